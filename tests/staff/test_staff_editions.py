"""Organisers create, edit and copy editions and open or close registration and booking by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jobday.candidates.models import Registration
from jobday.companies.models import Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.editions.services import (
    booking_open,
    get_edition_by_year,
    registration_open,
)
from jobday.security import Role
from jobday.staff.models import AuditEntry
from tests import factories

FORM = {
    "year": "2031", "name": "Jobdays 2031", "starts_on": "2031-03-20", "ends_on": "2031-03-20",
    "opens_at": "09:00", "closes_at": "17:00", "venue_name": "Biopark", "venue_address": "Gosselies",
    "map_url": "", "capacity": "800", "registration_opens_at": "", "registration_closes_at": "",
    "booking_opens_at": "2031-03-01T09:00", "booking_closes_at": "2031-03-19T20:00",
    "description_fr": "Bienvenue", "description_en": "Welcome", "interview_gap_minutes": "15",
    "max_interviews_per_candidate": "5", "waitlist_offer_hours": "24", "retention_cv_months": "6",
    "retention_data_months": "24", "retention_scans_months": "12",
}


def _audits() -> list[str]:
    from jobday.extensions import db

    return list(db.session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "edition_change")))


def test_create_an_edition(app, db, client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/staff/editions/new").status_code == 200
    response = client.post_form("/staff/editions/new", FORM)
    assert response.status_code == 303
    edition = get_edition_by_year(2031)
    assert (edition.capacity, edition.description_en, edition.interview_gap_minutes) == (800, "Welcome", 15)
    # Typed in Brussels time (UTC+1 in March); empty windows get the usual defaults.
    assert edition.booking_opens_at == datetime(2031, 3, 1, 8, 0, tzinfo=UTC)
    assert edition.registration_opens_at is not None
    assert edition.registration_opens_at < edition.registration_closes_at
    assert _audits() == ["create"]
    page = client.get("/staff/editions").get_data(as_text=True)
    assert "Jobdays 2031" in page and "/staff/editions/2031/edit" in page


@pytest.mark.parametrize(("change", "english"), [
    ({"ends_on": "2031-03-19"}, "must end on or after the day it starts"),
    ({"booking_opens_at": "2031-03-19T21:00"}, "must open before it closes"),
    ({"year": "2032"}, "already exists for this year"),
    ({"capacity": "0"}, "capacity must be a positive number"),
])
def test_bad_edits_are_refused_and_change_nothing(app, db, client, login_as, change, english):
    login_as(Role.ADMIN)
    client.post_form("/staff/editions/new", FORM)
    factories.make_edition(year=2032)
    db.session.commit()
    before = {c.key: getattr(get_edition_by_year(2031), c.key) for c in Edition.__table__.columns}
    response = client.post_form("/staff/editions/2031/edit", {**FORM, **change},
                                headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert english in response.get_data(as_text=True)
    db.session.expire_all()
    assert {c.key: getattr(get_edition_by_year(2031), c.key) for c in Edition.__table__.columns} == before
    assert _audits() == ["create"]


def test_bad_edit_in_french_shows_the_message_next_to_the_field(app, db, client, login_as):
    """The default locale is French; the msgid shows until the catalogue is translated."""
    login_as(Role.ADMIN)
    client.post_form("/staff/editions/new", FORM)
    response = client.post_form("/staff/editions/2031/edit", {**FORM, "ends_on": "2031-03-19"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="ends_on-error"' in page and 'lang="fr"' in page


def test_edit_saves_and_keeps_windows_in_local_time(app, db, client, login_as):
    login_as(Role.ADMIN)
    client.post_form("/staff/editions/new", FORM)
    page = client.get("/staff/editions/2031/edit").get_data(as_text=True)
    assert 'value="2031-03-01T09:00"' in page
    response = client.post_form("/staff/editions/2031/edit", {**FORM, "name": "Jobday 2031", "capacity": ""})
    assert response.status_code == 303
    db.session.expire_all()
    edition = get_edition_by_year(2031)
    assert (edition.name, edition.capacity) == ("Jobday 2031", None)
    assert edition.booking_opens_at == datetime(2031, 3, 1, 8, 0, tzinfo=UTC)
    assert _audits() == ["create", "edit"]


def test_clone_copies_settings_shifts_windows_and_invites_approved_companies(app, db, client, login_as, fair):
    login_as(Role.ADMIN)
    source = fair.edition
    source.year = 2030  # the factories' year sequence may leave the form's range
    source.description_fr, source.retention_cv_months, source.capacity = "Texte", 3, 500
    declined = factories.make_company(name="Gamma Labs")
    factories.make_participation(declined, source, status="declined")
    fair.part_a.stand, fair.part_a.needs_power, fair.part_a.tables_wanted = "A1", True, 1
    db.session.commit()
    year = source.year + 1
    starts_on = source.starts_on + timedelta(days=364)
    response = client.post_form(f"/staff/editions/{source.year}/clone",
                                {"year": str(year), "starts_on": starts_on.isoformat()})
    assert response.status_code == 303
    db.session.expire_all()
    target = get_edition_by_year(year)
    assert (target.description_fr, target.retention_cv_months, target.capacity) == ("Texte", 3, 500)
    assert target.ends_on - target.starts_on == source.ends_on - source.starts_on
    for name in ("registration_opens_at", "registration_closes_at", "booking_opens_at", "booking_closes_at"):
        assert getattr(target, name) - getattr(source, name) == timedelta(days=364)
    parts = {p.company_id: p for p in db.session.scalars(select(Participation).where(
        Participation.edition_id == target.id))}
    assert set(parts) == {fair.company_a.id, fair.company_b.id}
    part = parts[fair.company_a.id]
    assert (part.status, part.stand, part.needs_power, len(part.tables)) == ("pending", None, True, 1)
    count = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.edition_id == target.id))
    assert count == 0
    assert db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.edition_id == source.id)) == 2
    assert any(detail.startswith("clone_from=") for detail in _audits())


def test_clone_to_a_taken_year_is_refused(app, db, client, login_as, fair):
    login_as(Role.ADMIN)
    fair.edition.year = 2030
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(Participation))
    response = client.post_form(f"/staff/editions/{fair.edition.year}/clone",
                                {"year": str(fair.edition.year), "starts_on": "2040-01-01"},
                                headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "already exists for this year" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 1
    assert db.session.scalar(select(func.count()).select_from(Participation)) == before


def test_open_and_close_now_drive_the_public_windows(app, db, client, login_as):
    login_as(Role.ADMIN)
    edition = factories.make_edition(year=2033)
    db.session.commit()
    assert registration_open(edition) and booking_open(edition)
    for window, check in (("registration", registration_open), ("booking", booking_open)):
        assert client.post_form(f"/staff/editions/2033/{window}/close").status_code == 303
        db.session.expire_all()
        assert not check(edition)
        assert client.post_form(f"/staff/editions/2033/{window}/open").status_code == 303
        db.session.expire_all()
        assert check(edition)
        assert check(edition, utcnow() + timedelta(days=1))
    assert _audits() == ["registration=close", "registration=open", "booking=close", "booking=open"]
    assert client.post_form("/staff/editions/2033/badges/open").status_code == 404


def test_open_now_after_the_window_closed_opens_without_end(app, db):
    from jobday.editions.services import open_registration_now

    edition = factories.make_edition(year=2034, registration_opens_at=utcnow() - timedelta(days=9),
                                     registration_closes_at=utcnow() - timedelta(days=1))
    assert not registration_open(edition)
    open_registration_now(edition)
    assert registration_open(edition, utcnow() + timedelta(days=30))


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.RECRUITER, Role.STAFF])
def test_other_roles_get_403(app, db, client, login_as, role):
    factories.make_edition(year=2035)
    login_as(role)
    for url in ("/staff/editions", "/staff/editions/new", "/staff/editions/2035/edit",
                "/staff/editions/2035/clone"):
        assert client.get(url).status_code == 403
    assert client.post_form("/staff/editions/2035/registration/close").status_code == 403
    assert client.post_form("/staff/editions/new", FORM).status_code == 403
    assert get_edition_by_year(2031) is None


def test_anonymous_is_sent_to_login(app, db, client):
    factories.make_edition(year=2035)
    db.session.commit()
    response = client.get("/staff/editions/2035/edit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_post_without_csrf_is_refused(app, db, client, login_as):
    edition = factories.make_edition(year=2036)
    login_as(Role.ADMIN)
    closes = edition.registration_closes_at
    assert client.post("/staff/editions/2036/registration/close").status_code == 400
    assert client.post("/staff/editions/new", data=FORM).status_code == 400
    db.session.expire_all()
    assert edition.registration_closes_at == closes
    assert get_edition_by_year(2031) is None


def test_a_fair_is_not_moved_into_the_past_but_a_past_fair_still_takes_other_edits(app, db, client, login_as):
    """A mistyped year (2025 for 2026) would start the retention clock and close the door: refused."""
    login_as(Role.ADMIN)
    client.post_form("/staff/editions/new", FORM)
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    before = {c.key: getattr(get_edition_by_year(2031), c.key) for c in Edition.__table__.columns}
    en = {"Accept-Language": "en"}
    response = client.post_form("/staff/editions/2031/edit", {**FORM, "starts_on": yesterday, "ends_on": yesterday},
                                headers=en)
    assert response.status_code == 422
    assert "This day is already over" in response.get_data(as_text=True)
    db.session.expire_all()
    assert {c.key: getattr(get_edition_by_year(2031), c.key) for c in Edition.__table__.columns} == before
    new = client.post_form("/staff/editions/new", {**FORM, "year": "2030", "starts_on": yesterday,
                                                   "ends_on": yesterday}, headers=en)
    assert new.status_code == 422 and get_edition_by_year(2030) is None
    clone = client.post_form("/staff/editions/2031/clone", {"year": "2029", "starts_on": yesterday}, headers=en)
    assert clone.status_code == 422 and get_edition_by_year(2029) is None
    # An edition already over keeps its dates and takes other changes.
    old = factories.make_edition(year=2020)
    db.session.commit()
    past = {**FORM, "year": "2020", "starts_on": old.starts_on.isoformat(), "ends_on": old.ends_on.isoformat(),
            "booking_opens_at": "", "booking_closes_at": "", "name": "Jobdays 2020 (archive)"}
    assert client.post_form("/staff/editions/2020/edit", past).status_code == 303
    db.session.expire_all()
    assert get_edition_by_year(2020).name == "Jobdays 2020 (archive)"
