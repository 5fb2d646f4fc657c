"""The demo is useful at once (issue 13, item 3): booking and wishes are open, the demo
candidate has a CV, interviews and an application, the demo company has applications to decide."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from jobday.accounts.models import User
from jobday.candidates import cv
from jobday.candidates.services import get_profile
from jobday.companies.models import CompanyMember, Participation
from jobday.demo.seed import seed_demo
from jobday.editions.services import booking_open, get_edition_by_year
from jobday.scheduling import booking as bookings
from jobday.scheduling.models import Application, Booking
from jobday.scheduling.wishes import wish_window_open


def _user(db, email):
    return db.session.scalar(select(User).where(User.email == email))


def test_the_demo_opens_booking_and_gives_each_login_something_to_do(db, client):
    seed_demo(candidates=150, companies=8, year=2033)
    db.session.commit()
    edition = get_edition_by_year(2033)
    assert booking_open(edition) and wish_window_open(edition)

    candidate = _user(db, "candidate@jobday.example")
    profile = get_profile(candidate)
    assert profile.has_cv
    text = PdfReader(io.BytesIO(cv.read_cv(profile))).pages[0].extract_text()
    assert "Zoë" in text and "Müller" in text
    mine = bookings.active_bookings(candidate.id, edition.id)
    assert len(mine) == 2 and len({b.participation_id for b in mine}) == 2
    assert not bookings.conflicts(mine[:1], mine[1].starts_at, mine[1].ends_at, edition.interview_gap_minutes)

    recruiter = _user(db, "recruiter@jobday.example")
    company = db.session.scalar(select(Participation).join(
        CompanyMember, CompanyMember.company_id == Participation.company_id).where(
        Participation.edition_id == edition.id, CompanyMember.user_id == recruiter.id))
    assert company.booking_mode == "apply" and company.is_approved
    apps = db.session.scalars(select(Application).where(Application.participation_id == company.id)).all()
    pending = [a for a in apps if a.status == "pending"]
    assert len(pending) >= 8 and candidate.id in {a.candidate_id for a in pending}
    accepted = {a.candidate_id for a in apps if a.status == "accepted"}
    booked_here = set(db.session.scalars(select(Booking.candidate_id).where(
        Booking.participation_id == company.id, Booking.active)))
    assert accepted and accepted <= booked_here

    # The recruiter logs in and finds them on the applicants page.
    response = client.post_form("/account/login", {"email": recruiter.email, "password": "demo-jobdays-wallonia"})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    page = client.get("/company/applicants").get_data(as_text=True)
    assert "Zoë" in page and page.count("À traiter") >= 8

    # Seeding again adds nothing.
    seed_demo(candidates=150, companies=8, year=2033)
    db.session.commit()
    assert len(db.session.scalars(select(Application).where(Application.participation_id == company.id)).all()) \
        == len(apps)
