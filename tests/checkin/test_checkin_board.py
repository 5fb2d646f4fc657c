"""The arrivals board: the candidates late for their next interview by name, company and time;
arrivals per quarter hour with axes and values; only the fair day's scans; figures updated in
place (a fragment the page fetches) instead of a timed reload."""

from __future__ import annotations

from datetime import timedelta

from jobday.checkin.board import board
from jobday.checkin.services import perform_checkin
from jobday.db import utcnow
from jobday.extensions import db as _db
from jobday.scheduling.models import Booking
from jobday.security import Role
from tests import factories
from tests.checkin.conftest import nonce
from tests.scheduling.conftest import slots_of


def _candidate(edition, first, last):
    user = factories.make_candidate(first_name=first, last_name=last)
    factories.make_registration(user, edition)
    return user, factories.make_badge(user, edition)


def _interview(edition, participation, slot, user, starts_at):
    _db.session.add(Booking(edition_id=edition.id, participation_id=participation.id, slot_id=slot.id,
                            candidate_id=user.id, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=20)))


def test_the_board_names_candidates_late_for_their_next_interview(backend, app, today_edition):
    now = utcnow()
    acme = factories.make_participation(factories.make_company(name="Acme Bio"), today_edition, stand="A1")
    slots = slots_of(acme)
    device, _ = factories.make_gate_device(today_edition, gate="A")
    late, _ = _candidate(today_edition, "Lena", "Late")
    soon, _ = _candidate(today_edition, "Sam", "Soon")
    later, _ = _candidate(today_edition, "Leo", "Later")
    inside, inside_badge = _candidate(today_edition, "Ines", "Inside")
    _interview(today_edition, acme, slots[0], late, now - timedelta(minutes=10))
    _interview(today_edition, acme, slots[1], late, now + timedelta(minutes=10))  # not her *next* one
    _interview(today_edition, acme, slots[2], soon, now + timedelta(minutes=5))
    _interview(today_edition, acme, slots[3], later, now + timedelta(minutes=50))
    _interview(today_edition, acme, slots[4], inside, now - timedelta(minutes=5))
    perform_checkin(inside_badge.code, gate="A", nonce=nonce(), edition=today_edition, device=device)
    _db.session.commit()
    rows = board(today_edition, now=now).late
    assert [(r["name"], r["company"], r["stand"], r["minutes"]) for r in rows] == [
        ("Lena Late", "Acme Bio", "A1", 10), ("Sam Soon", "Acme Bio", "A1", -5)]
    assert rows[0]["starts_at"] == now - timedelta(minutes=10)


def test_the_board_counts_only_the_fair_days_scans(backend, app, db):
    edition = factories.make_edition_today()
    edition.starts_on -= timedelta(days=1)  # a two-day fair: yesterday and today
    device, _ = factories.make_gate_device(edition, gate="A")
    people = [factories.make_badge(factories.make_user(first_name=f"P{n}"), edition) for n in range(4)]
    yesterday = utcnow() - timedelta(days=1)
    for badge in people[1:]:  # three came yesterday (and left without an exit scan)
        perform_checkin(badge.code, gate="B", nonce=nonce(), edition=edition, device=device, now=yesterday)
    perform_checkin(people[0].code, gate="A", nonce=nonce(), edition=edition, device=device)
    perform_checkin("nope", gate="A", nonce=nonce(), edition=edition, device=device, now=yesterday)
    _db.session.commit()
    today = board(edition)
    assert (today.inside, today.arrivals, today.per_gate, today.refused) == (1, 1, [("A", 1)], [])
    assert [bar["count"] for bar in today.buckets] == [1]
    assert [tick["value"] for tick in today.ticks] == [0, 1]


def test_the_arrivals_page_updates_its_figures_in_place(client, login_as, today_edition):
    device, _ = factories.make_gate_device(today_edition, gate="A")
    for n in range(7):
        badge = factories.make_badge(factories.make_user(first_name=f"P{n}"), today_edition)
        perform_checkin(badge.code, gate="A", nonce=nonce(), edition=today_edition, device=device)
    _db.session.commit()
    login_as("staff")
    assert client.get("/staff/arrivals/figures").status_code == 403
    login_as("admin")
    page = client.get("/staff/arrivals").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and "js/door/arrivals.js" in page
    assert 'data-figures="/staff/arrivals/figures"' in page
    figures = client.get("/staff/arrivals/figures", headers={"X-Jobday-Background": "1"})
    fragment = figures.get_data(as_text=True)
    assert figures.status_code == 200 and "<html" not in fragment and 'id="entries">7<' in fragment
    assert fragment.count('class="board-axis"') == 2  # both axes
    assert '>10</text>' in fragment and '>5</text>' in fragment  # the y axis's values, up to 10
    assert 'class="board-label board-value"' in fragment and '>7</text>' in fragment  # the bar's value


def test_the_board_counts_a_walk_in_visitor_without_an_account_as_inside(app, today_edition):
    from jobday.checkin.walkin import register_walk_in

    door = factories.make_user(roles=(Role.STAFF,))
    device, _ = factories.make_gate_device(today_edition, gate="A")
    _, badge = _candidate(today_edition, "Ines", "Inside")
    perform_checkin(badge.code, gate="A", nonce=nonce(), edition=today_edition, device=device)
    register_walk_in(first_name="Jürgen", last_name="Ødegård", email=None, kind="company",
                     company="Société Générale Électrique", edition=today_edition, actor=door)
    _db.session.commit()
    today = board(today_edition)
    assert (today.inside, today.arrivals) == (2, 2)  # the visitor has a badge, no account: inside all the same
