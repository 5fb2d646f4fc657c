"""The candidate's home lists what needs their action (a slot offered from a waiting list with its
deadline, an accepted application to book, the wish list), their applications with their state
and their next interviews."""

from __future__ import annotations

from datetime import timedelta

from jobday.db import utcnow
from jobday.formats import format_datetime
from jobday.scheduling import applications, waitlist, wishes
from jobday.scheduling import booking as bookings
from tests import factories
from tests.scheduling.conftest import registered_candidate, slots_of

EN = {"Accept-Language": "en"}


def test_the_home_lists_what_needs_action_then_applications_and_next_interviews(backend, client, db, fair, login_as):
    cellula = factories.make_participation(factories.make_company(name="Cellula"), fair.edition)
    fair.edition.wishes_open_at = utcnow() - timedelta(days=1)
    fair.edition.wishes_close_at = utcnow() + timedelta(days=3)
    # Every Acme slot taken; Bob waits; Alice cancels: the slot is offered to Bob.
    alice_booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    for slot in fair.acme_slots[1:]:
        other = registered_candidate(fair.edition)
        bookings.book_slot(other, slot.id, actor=other)
    entry = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    bookings.cancel_booking(alice_booking, actor=fair.alice)
    # Bob applied to Biolab, which accepted; he booked at Cellula and wishes to meet Acme.
    fair.biolab.booking_mode = "apply"
    application = applications.apply_to_company(fair.bob, fair.biolab, actor=fair.bob, motivation="QC")
    applications.decide_application(application, actor=fair.biolab.company.members[0].user, accept=True,
                                    message="")
    cellula_booking = bookings.book_slot(fair.bob, slots_of(cellula)[6].id, actor=fair.bob)
    wishes.set_wishes(fair.bob, fair.edition, [fair.acme.id], actor=fair.bob)
    db.session.commit()
    assert entry.status == "offered"

    login_as(fair.bob)
    page = client.get("/candidate", headers=EN).get_data(as_text=True)
    todo = page[page.index('id="todo-heading"'):page.index('id="interviews-heading"')]
    with client.application.test_request_context(headers=EN):
        deadline = format_datetime(entry.offer_expires_at)
        when = format_datetime(cellula_booking.starts_at)
    assert "Acme Bio offers you a slot" in todo and deadline in todo
    assert f'action="/interviews/waitlists/{entry.id}/accept"' in todo
    assert "Biolab accepted your application" in todo
    assert f'href="/interviews/companies/{fair.biolab.id}"' in todo
    assert "You wish to meet 1 company" in todo and 'href="/interviews/wishes"' in todo
    interviews = page[page.index('id="interviews-heading"'):page.index('id="applications-heading"')]
    assert when in interviews and "Cellula" in interviews
    applications_part = page[page.index('id="applications-heading"'):]
    assert "Biolab" in applications_part and "Accepted" in applications_part


def test_nothing_to_do_no_to_do_list(client, db, fair, login_as):
    login_as(fair.carol)
    page = client.get("/candidate", headers=EN).get_data(as_text=True)
    assert 'id="todo-heading"' not in page and "You have no interview yet." in page


def test_the_home_finds_the_candidates_rows_by_their_own_index(app, db):
    """Each part of the to-do list and the invitations are looked up by the candidate's index,
    not by the edition's (SQLite's planner, without statistics, chose the edition's: every
    application or invitation of the edition read for one candidate)."""
    from jobday.leads.home_rows import _INVITATIONS
    from jobday.scheduling.todo import _CANDIDATE_ACTION_ROWS

    if db.engine.dialect.name != "sqlite":
        return
    for driver_statement in (_CANDIDATE_ACTION_ROWS, _INVITATIONS):
        compiled = driver_statement.statement.compile(dialect=db.engine.dialect)
        values = compiled.construct_params({"candidate_id": 1, "edition_id": 1})
        plan = [row[3] for row in db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled.string}", tuple(values[name] for name in compiled.positiontup))]
        lookups = [step for step in plan if step.startswith("SEARCH") and "PRIMARY KEY" not in step]
        assert lookups and all("candidate_id" in step and "edition_id" not in step for step in lookups), plan
