"""Pages that say only what is true: no menu entry leads to a 404 (a company not yet approved
sees why its pages are empty), "published" only when candidates can see the offer, no "CV" link
without a CV, and held / no-show only on the fair's days."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from jobday.candidates import cv
from jobday.candidates.consent import record_consents
from jobday.candidates.services import get_profile
from jobday.editions.models import Edition
from jobday.scheduling import booking as bookings
from tests import factories

EN = {"Accept-Language": "en"}


def _menu(client) -> list[str]:
    page = client.get("/account/settings").get_data(as_text=True)
    nav = re.search(r'<nav class="role-nav".*?</nav>', page, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


def _every_menu_entry_answers(client) -> list[str]:
    entries = _menu(client)
    assert entries
    for href in entries:
        response = client.get(href)
        assert response.status_code == 200, (href, response.status_code)
    return entries


def _no_edition(db):
    for edition in db.session.scalars(db.select(Edition)):
        db.session.delete(edition)
    db.session.commit()


@pytest.mark.parametrize("state", ["no edition", "not registered", "registered"])
def test_every_menu_entry_of_a_candidate_answers(client, db, login_as, state):
    candidate = factories.make_candidate()
    if state != "no edition":
        edition = factories.make_edition()
        if state == "registered":
            factories.make_registration(candidate, edition)
    db.session.commit()
    login_as(candidate)
    entries = _every_menu_entry_answers(client)
    assert "/interviews" in entries and "/interviews/agenda" in entries


@pytest.mark.parametrize("state", ["no edition", "not applied", "pending", "declined", "approved"])
def test_every_menu_entry_of_a_recruiter_answers(client, db, login_as, state):
    company = factories.make_company(name="Vaxolis")
    if state != "no edition":
        edition = factories.make_edition()
        if state in ("pending", "declined", "approved"):
            factories.make_participation(company, edition, status=state)
    db.session.commit()
    login_as(factories.company_admin(company))
    entries = _every_menu_entry_answers(client)
    assert "/company/applicants" in entries and "/company/day" in entries


def test_a_pending_company_is_told_why_its_applicants_page_is_empty(client, db, login_as):
    company = factories.make_company(name="Vaxolis")
    factories.make_participation(company, factories.make_edition(), status="pending")
    db.session.commit()
    login_as(factories.company_admin(company))
    for path in ("/company/applicants", "/company/day"):
        page = client.get(path, headers=EN).get_data(as_text=True)
        assert "waiting for the organisers" in page
        assert 'href="/company"' in page


def test_an_offer_is_published_only_when_candidates_can_see_it(client, db, login_as):
    company = factories.make_company(name="Vaxolis")
    edition = factories.make_edition()
    participation = factories.make_participation(company, edition, status="pending")
    db.session.commit()
    login_as(factories.company_admin(company))
    offer = {"title": "Technicien QC", "contract_type": "permanent", "education_level": "bachelor",
             "job_areas": "quality_control", "open_for_interviews": "y"}
    response = client.post_form("/company/offers/new", offer, headers=EN, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The offer is published" not in page
    assert "once the organisers approve" in page and "visible once approved" in page
    assert "Technicien QC" not in client.get("/offers").get_data(as_text=True)

    participation.status = "approved"
    db.session.commit()
    response = client.post_form("/company/offers/new", {**offer, "title": "Opérateur"}, headers=EN,
                                follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The offer is published" in page and "visible once approved" not in page
    assert "Opérateur" in client.get("/offers").get_data(as_text=True)


def test_a_cv_link_only_where_there_is_a_cv(client, db, fair, login_as):
    for candidate in (fair.alice, fair.bob):
        record_consents(candidate, {"share_with_applied": True}, actor=candidate)
    cv.store_cv(get_profile(fair.alice), factories.make_pdf(), "alice.pdf")
    alice = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    bookings.book_slot(fair.bob, fair.acme_slots[2].id, actor=fair.bob)
    db.session.commit()
    login_as(fair.recruiter)
    page = client.get("/company/day", headers=EN).get_data(as_text=True)
    assert page.count("/cv\"") == 1
    assert f'href="/company/candidates/{fair.alice.id}/cv"' in page
    assert f"/company/candidates/{fair.bob.id}/cv" not in page
    assert alice.candidate_id == fair.alice.id


def test_held_and_no_show_only_on_the_fair_day(client, db, fair, login_as):
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    login_as(fair.recruiter)
    page = client.get("/company/day", headers=EN).get_data(as_text=True)
    assert "No-show" not in page and "On the fair day" in page
    response = client.post_form(f"/company/bookings/{booking.id}/outcome", {"outcome": "held"}, headers=EN,
                                follow_redirects=True)
    assert "only on the fair" in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.outcome is None

    with freeze_time(booking.starts_at + timedelta(minutes=30)):
        login_as(fair.recruiter)
        assert "No-show" in client.get("/company/day", headers=EN).get_data(as_text=True)
        client.post_form(f"/company/bookings/{booking.id}/outcome", {"outcome": "no_show"})
    db.session.refresh(booking)
    assert booking.outcome == "no_show"

    with freeze_time(booking.starts_at + timedelta(days=2)):
        login_as(fair.recruiter)
        client.post_form(f"/company/bookings/{booking.id}/outcome", {"outcome": "held"})
    db.session.refresh(booking)
    assert booking.outcome == "no_show"
