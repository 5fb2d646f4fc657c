"""Recruiter pages: applicants (only their company's, 404 otherwise), decisions with a
message, proposals the candidate confirms, shortlists, CVs only with consent, the day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobday.candidates.consent import record_consents
from jobday.scheduling import applicant_lists, applications
from jobday.scheduling import booking as bookings
from jobday.scheduling.models import Application, Booking, Shortlist
from tests import factories

EN = {"Accept-Language": "en"}


@pytest.fixture
def applied(fair, db):
    fair.acme.booking_mode = "apply"
    application = applications.apply_to_company(
        fair.alice, fair.acme, actor=fair.alice, motivation="Quality control is my thing."
    )
    db.session.commit()
    return application


def test_the_recruiter_sees_the_applicants_without_a_shared_profile(client, db, fair, applied, login_as):
    login_as(fair.recruiter)
    page = client.get("/company/applicants", headers=EN).get_data(as_text=True)
    assert "Zoë" not in page or "Alice" in page
    assert "profile not shared" in page
    page = client.get(f"/company/applicants/{applied.id}", headers=EN).get_data(as_text=True)
    assert "Quality control is my thing." in page and "has not chosen to share" in page
    assert "alice@example.org" not in page
    assert client.get(f"/company/candidates/{fair.alice.id}/cv").status_code == 404


def test_with_consent_the_profile_and_cv_are_shared(client, db, fair, applied, login_as, tmp_path):
    from jobday.candidates import cv
    from jobday.candidates.services import get_profile

    record_consents(fair.alice, {"share_with_applied": True}, actor=fair.alice)
    profile = get_profile(fair.alice)
    cv.store_cv(profile, factories.make_pdf(), "alice.pdf")
    db.session.commit()
    login_as(fair.recruiter)
    page = client.get(f"/company/applicants/{applied.id}", headers=EN).get_data(as_text=True)
    assert "alice@example.org" in page and "Download the CV" in page
    response = client.get(f"/company/candidates/{fair.alice.id}/cv")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    from jobday.staff.models import AuditEntry

    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "cv_view")).all()
    assert (entry.actor_id, entry.object_id) == (fair.recruiter.id, fair.alice.id)
    assert "alice" not in entry.detail  # the audit log names objects, never their data
    # Withdrawn consent takes effect at once.
    record_consents(fair.alice, {"share_with_applied": False}, actor=fair.alice)
    db.session.commit()
    assert client.get(f"/company/candidates/{fair.alice.id}/cv").status_code == 404
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "cv_view")).all()) == 1


def test_another_company_gets_404(client, db, fair, applied, login_as):
    login_as(fair.biolab.company.members[0].user)
    assert client.get(f"/company/applicants/{applied.id}").status_code == 404
    response = client.post_form(f"/company/applicants/{applied.id}", {"decision-decision": "accept"})
    assert response.status_code == 404
    assert client.get(f"/company/candidates/{fair.alice.id}/cv").status_code == 404
    db.session.refresh(applied)
    assert applied.status == "pending"


def test_accepting_with_a_message_then_proposing_a_slot(client, db, fair, applied, login_as, mailbox):
    login_as(fair.recruiter)
    response = client.post_form(
        f"/company/applicants/{applied.id}",
        {"decision-decision": "accept", "decision-message": "See you at 10!", "decision-submit": "y"},
    )
    assert response.status_code == 303
    db.session.refresh(applied)
    assert applied.status == "accepted" and applied.decision_message == "See you at 10!"
    assert "See you at 10!" in mailbox.text(mailbox.to("alice@example.org")[-1])
    again = client.post_form(
        f"/company/applicants/{applied.id}",
        {"decision-decision": "decline", "decision-submit": "y"},
        headers=EN,
    )
    assert again.status_code == 409
    slot = fair.acme_slots[1]
    response = client.post_form(
        f"/company/applicants/{applied.id}", {"propose-slot_id": slot.id, "propose-submit": "y"}
    )
    assert response.status_code == 303
    db.session.refresh(applied)
    assert applied.proposed_slot_id == slot.id
    login_as(fair.alice)
    assert "proposes" in client.get("/interviews/applications", headers=EN).get_data(as_text=True)
    assert client.post_form(f"/interviews/applications/{applied.id}/confirm").status_code == 303
    booking = db.session.scalar(select(Booking).where(Booking.active))
    assert booking.slot_id == slot.id and booking.source == "proposal"


def test_a_decision_needs_a_choice(client, db, fair, applied, login_as):
    login_as(fair.recruiter)
    response = client.post_form(f"/company/applicants/{applied.id}", {"decision-submit": "y"}, headers=EN)
    assert response.status_code == 400
    db.session.refresh(applied)
    assert applied.status == "pending"


def test_filters_and_sorting(client, db, fair, applied, login_as):
    record_consents(fair.bob, {"share_with_all_exhibitors": True}, actor=fair.bob)
    applications.apply_to_company(fair.bob, fair.acme, actor=fair.bob, motivation="Me too.")
    db.session.commit()
    login_as(fair.recruiter)
    rows = applicant_lists.applicants(fair.acme, actor=fair.recruiter, level="master")
    assert [row.candidate_id for row in rows] == [fair.bob.id]  # Alice's level is not shared
    rows = applicant_lists.applicants(fair.acme, actor=fair.recruiter, sort="oldest")
    assert [row.candidate_id for row in rows] == [fair.alice.id, fair.bob.id]
    page = client.get("/company/applicants?status=pending&sort=name", headers=EN)
    assert page.status_code == 200


def test_shortlisting_only_known_candidates(client, db, fair, applied, login_as):
    login_as(fair.recruiter)
    assert (
        client.post_form(f"/company/candidates/{fair.alice.id}/shortlist", {"shortlisted": "1"}).status_code
        == 303
    )
    assert db.session.scalar(select(func.count()).select_from(Shortlist)) == 1
    assert (
        client.post_form(f"/company/candidates/{fair.carol.id}/shortlist", {"shortlisted": "1"}).status_code
        == 404
    )
    assert (
        client.post_form(f"/company/candidates/{fair.alice.id}/shortlist", {"shortlisted": "0"}).status_code
        == 303
    )
    assert db.session.scalar(select(func.count()).select_from(Shortlist)) == 0


def test_candidates_cannot_see_recruiter_pages(client, db, fair, applied, login_as):
    login_as(fair.alice)
    assert client.get("/company/applicants").status_code == 403
    assert client.get("/company/day").status_code == 403


def test_the_day_view_with_held_no_show_and_release(client, db, fair, login_as):
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    other = bookings.book_slot(fair.bob, fair.biolab_slots[3].id, actor=fair.bob)
    db.session.commit()
    from freezegun import freeze_time

    with freeze_time(booking.starts_at - timedelta(hours=1)):  # the fair's morning
        login_as(fair.recruiter)
        page = client.get("/company/day", headers=EN).get_data(as_text=True)
        assert "Alice" in page and "No-show" in page and "release" not in page  # too early to release
        assert client.post_form(f"/company/bookings/{booking.id}/outcome", {"outcome": "held"}).status_code == 303
        db.session.refresh(booking)
        assert booking.outcome == "held"
        assert client.post_form(f"/company/bookings/{other.id}/outcome", {"outcome": "held"}).status_code == 404
        assert (
            client.post_form(f"/company/bookings/{booking.id}/outcome", {"outcome": "bogus"}).status_code == 400
        )
    # Ten minutes before, a candidate not checked in can be released.

    second = bookings.book_slot(fair.bob, fair.acme_slots[4].id, actor=fair.bob)
    db.session.commit()
    with freeze_time(second.starts_at - timedelta(minutes=5)):
        login_as(fair.recruiter)  # a session of that day
        page = client.get("/company/day", headers=EN).get_data(as_text=True)
        assert "Release the slot" in page
        assert client.post_form(f"/company/bookings/{second.id}/release").status_code == 303
    db.session.refresh(second)
    assert not second.active and second.cancel_reason == "released"


def test_no_application_rows_leak_between_companies(db, fair, applied):
    other = fair.biolab.company.members[0].user
    from jobday.companies.errors import NotCompanyMember

    with pytest.raises(NotCompanyMember):
        applicant_lists.applicants(fair.acme, actor=other)
    assert db.session.scalar(select(func.count(Application.id))) == 1


def test_the_company_sets_how_many_interviews_a_candidate_may_have(client, db, fair, login_as):
    from jobday.scheduling import errors
    from jobday.scheduling.models import InterviewPolicy

    login_as(fair.recruiter)
    assert client.post_form("/company/interview-limit", {"limit": "2"}).status_code == 303
    assert db.session.get(InterviewPolicy, fair.acme.id).max_per_candidate == 2
    assert client.post_form("/company/interview-limit", {"limit": "7"}).status_code == 400
    assert db.session.get(InterviewPolicy, fair.acme.id).max_per_candidate == 2
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    bookings.book_slot(fair.alice, fair.acme_slots[3].id, actor=fair.alice)
    with pytest.raises(errors.CompanyLimit):
        bookings.book_slot(fair.alice, fair.acme_slots[6].id, actor=fair.alice)
    login_as(fair.alice)
    assert client.post_form("/company/interview-limit", {"limit": "3"}).status_code == 403


def test_a_company_sees_a_profile_shared_with_the_companies_applied_to_or_booked(backend, db, fair):
    """``profile_shared``: with the consent to share with the companies one applies to or
    books, the profile is the company's only while an application or an active booking links
    them; the consent to share with every exhibitor needs neither."""
    from jobday.scheduling import booking as bookings
    from jobday.scheduling.applications import apply_to_company, profile_shared

    record_consents(fair.bob, {"share_with_applied": True}, actor=fair.bob)
    record_consents(fair.carol, {"share_with_all_exhibitors": True}, actor=fair.carol)

    def shared(candidate, participation=fair.acme) -> bool:
        return profile_shared(candidate, participation, fair.edition)

    assert not shared(fair.bob) and shared(fair.carol) and not shared(fair.alice)
    booking = bookings.book_slot(fair.bob, fair.acme_slots[0].id, actor=fair.bob)
    assert shared(fair.bob) and not shared(fair.bob, fair.biolab)  # booked at Acme, not at Biolab
    bookings.cancel_booking(booking, actor=fair.bob)
    assert not shared(fair.bob)
    fair.biolab.booking_mode = "apply"
    apply_to_company(fair.bob, fair.biolab, actor=fair.bob, motivation="Je voudrais vous rencontrer.")
    assert shared(fair.bob, fair.biolab) and not shared(fair.bob)
    fair.bob.is_disabled = True
    db.session.flush()
    assert not shared(fair.bob, fair.biolab)


def test_the_day_links_a_cv_only_while_the_booked_candidate_shares_it(client, db, fair, login_as):
    """The day's statement reads the consent rule with each booking (``shares_profile_with_company``):
    held here to its other form (``profiles_shared_with``) and to the page's CV links."""
    from jobday.candidates import cv
    from jobday.candidates.services import get_profile
    from jobday.scheduling import queries

    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    bookings.book_slot(fair.bob, fair.acme_slots[3].id, actor=fair.bob)
    for candidate in (fair.alice, fair.bob):
        cv.store_cv(get_profile(candidate), factories.make_pdf(), "cv.pdf")
    record_consents(fair.alice, {"share_with_applied": True}, actor=fair.alice)
    db.session.commit()

    def day():
        booked = [view.booking for table in queries.table_views(fair.acme.id) for view in table.slots
                  if view.booking]
        shared = {booking.candidate_id for booking in booked if booking.shares_profile}
        assert shared == applications.profiles_shared_with({b.candidate_id for b in booked}, fair.acme.edition)
        return client.get("/company/day", headers=EN).get_data(as_text=True)

    login_as(fair.recruiter)
    page = day()
    assert f"/company/candidates/{fair.alice.id}/cv" in page and f"/company/candidates/{fair.bob.id}/cv" not in page
    record_consents(fair.alice, {"share_with_applied": False}, actor=fair.alice)
    record_consents(fair.bob, {"share_with_all_exhibitors": True}, actor=fair.bob)
    db.session.commit()
    page = day()
    assert f"/company/candidates/{fair.alice.id}/cv" not in page and f"/company/candidates/{fair.bob.id}/cv" in page
    cv.delete_cv(get_profile(fair.bob))  # shared, but no CV: no link
    db.session.commit()
    assert f"/company/candidates/{fair.bob.id}/cv" not in day()
