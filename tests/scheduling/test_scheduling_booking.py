"""Booking rules, each from both sides: the allowed case and the refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from jobday.companies import interview_plan
from jobday.companies.errors import PlanConflict
from jobday.companies.models import InterviewTable
from jobday.db import utcnow
from jobday.mail.models import OutboundEmail
from jobday.scheduling import booking as bookings
from jobday.scheduling import errors
from jobday.scheduling.models import Booking, InterviewPolicy
from tests import factories
from tests.scheduling.conftest import registered_candidate


def _count(model=Booking, *where):
    return _db_session().scalar(select(func.count()).select_from(model).where(*where)) or 0


def _db_session():
    from jobday.extensions import db

    return db.session


def test_a_registered_candidate_books_a_free_slot(fair, db):
    slot = fair.acme_slots[0]
    booking = bookings.book_slot(fair.alice, slot.id, actor=fair.alice)
    db.session.commit()
    assert booking.active and booking.slot_id == slot.id and booking.sequence == 0
    assert slot.held_by_candidate_id == fair.alice.id  # the companies' marker follows
    mail = db.session.scalar(select(OutboundEmail).where(OutboundEmail.recipient == "alice@example.org"))
    assert "Acme Bio" in mail.subject and "/interviews/agenda.ics" in mail.body_text


def test_a_slot_is_never_booked_twice(fair, db):
    slot = fair.acme_slots[0]
    bookings.book_slot(fair.alice, slot.id, actor=fair.alice)
    db.session.commit()
    with pytest.raises(errors.SlotTaken):
        bookings.book_slot(fair.bob, slot.id, actor=fair.bob)
    db.session.rollback()
    assert _count(Booking, Booking.active) == 1


def test_the_database_refuses_two_active_bookings_of_one_slot(fair, db):
    slot = fair.acme_slots[0]
    for who in (fair.alice, fair.bob):
        db.session.add(
            Booking(
                edition_id=fair.edition.id,
                participation_id=fair.acme.id,
                slot_id=slot.id,
                candidate_id=who.id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
        )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_the_database_refuses_one_candidate_twice_at_the_same_start(fair, db):
    for slot, participation in ((fair.acme_slots[0], fair.acme), (fair.biolab_slots[0], fair.biolab)):
        db.session.add(
            Booking(
                edition_id=fair.edition.id,
                participation_id=participation.id,
                slot_id=slot.id,
                candidate_id=fair.alice.id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
        )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_a_cancelled_booking_leaves_the_slot_bookable_again(fair, db):
    slot = fair.acme_slots[0]
    booking = bookings.book_slot(fair.alice, slot.id, actor=fair.alice)
    bookings.cancel_booking(booking, actor=fair.alice)
    db.session.commit()
    assert not booking.active and booking.cancel_reason == "candidate" and slot.held_by_candidate_id is None
    again = bookings.book_slot(fair.bob, slot.id, actor=fair.bob)
    db.session.commit()
    assert again.active and _count(Booking) == 2


def test_overlapping_interviews_are_refused(fair, db):
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    with pytest.raises(errors.Overlap):
        bookings.book_slot(fair.alice, fair.biolab_slots[0].id, actor=fair.alice)  # same time


def test_the_gap_between_interviews_is_kept(fair, db):
    # Slots 09:30-09:50 and 10:00-10:20: a 10-minute gap is enough, a 15-minute one is not.
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    bookings.book_slot(fair.alice, fair.biolab_slots[1].id, actor=fair.alice)
    fair.edition.interview_gap_minutes = 15
    bookings.book_slot(fair.bob, fair.acme_slots[1].id, actor=fair.bob)  # 10:00-10:20
    with pytest.raises(errors.Overlap):
        bookings.book_slot(fair.bob, fair.biolab_slots[0].id, actor=fair.bob)  # 09:30-09:50


def test_one_interview_per_company_unless_the_company_allows_more(fair, db):
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    with pytest.raises(errors.CompanyLimit):
        bookings.book_slot(fair.alice, fair.acme_slots[3].id, actor=fair.alice)
    db.session.add(InterviewPolicy(participation_id=fair.acme.id, max_per_candidate=2))
    assert bookings.book_slot(fair.alice, fair.acme_slots[3].id, actor=fair.alice).active


def test_the_edition_caps_a_candidates_interviews(fair, db):
    fair.edition.max_interviews_per_candidate = 1
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    with pytest.raises(errors.CandidateCap):
        bookings.book_slot(fair.alice, fair.biolab_slots[5].id, actor=fair.alice)


def test_booking_only_inside_the_booking_window(fair, db):
    fair.edition.booking_opens_at = utcnow() + timedelta(days=1)
    with pytest.raises(errors.BookingClosed):
        bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    fair.edition.booking_opens_at = utcnow() - timedelta(days=2)
    fair.edition.booking_closes_at = utcnow() - timedelta(days=1)
    with pytest.raises(errors.BookingClosed):
        bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)


@pytest.mark.parametrize("status", [None, "waitlisted", "withdrawn"])
def test_only_registered_candidates_book(fair, db, status):
    dave = factories.make_candidate()
    if status:
        factories.make_registration(dave, fair.edition, status=status)
    with pytest.raises(errors.NotRegistered):
        bookings.book_slot(dave, fair.acme_slots[0].id, actor=dave)


def test_only_approved_companies(fair, db):
    fair.acme.status = "declined"
    with pytest.raises(errors.CompanyNotApproved):
        bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)


def test_apply_mode_companies_only_after_acceptance(fair, db):
    from jobday.scheduling import applications

    fair.acme.booking_mode = "apply"
    with pytest.raises(errors.ApplicationRequired):
        bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    application = applications.apply_to_company(fair.alice, fair.acme, actor=fair.alice, motivation="QC!")
    with pytest.raises(errors.ApplicationRequired):
        bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    applications.decide_application(application, actor=fair.recruiter, accept=True)
    assert bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice).active


def test_a_candidate_cannot_book_for_someone_else(fair, db):
    with pytest.raises(errors.BookingNotFound):
        bookings.book_slot(fair.bob, fair.acme_slots[0].id, actor=fair.alice)


def test_a_blocked_or_past_slot_cannot_be_booked(fair, db):
    slot = fair.acme_slots[0]
    slot.status = "blocked"
    with pytest.raises(errors.SlotUnavailable):
        bookings.book_slot(fair.alice, slot.id, actor=fair.alice)
    with pytest.raises(errors.SlotPast):
        bookings.book_slot(
            fair.alice,
            fair.acme_slots[1].id,
            actor=factories.make_user(roles=("admin",)),
            source="organiser",
            now=fair.acme_slots[1].starts_at,
        )


def test_moving_keeps_the_booking_and_bumps_its_sequence(fair, db):
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    moved = bookings.move_booking(booking, fair.acme_slots[4].id, actor=fair.alice)
    db.session.commit()
    assert moved.id == booking.id and moved.sequence == 1 and moved.slot_id == fair.acme_slots[4].id
    assert fair.acme_slots[0].held_by_candidate_id is None
    assert fair.acme_slots[4].held_by_candidate_id == fair.alice.id
    assert bookings.book_slot(fair.bob, fair.acme_slots[0].id, actor=fair.bob).active


def test_moving_to_another_company_or_a_taken_slot_is_refused(fair, db):
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    bookings.book_slot(fair.bob, fair.acme_slots[2].id, actor=fair.bob)
    with pytest.raises(errors.BookingNotFound):
        bookings.move_booking(booking, fair.biolab_slots[4].id, actor=fair.alice)
    with pytest.raises(errors.SlotTaken):
        bookings.move_booking(booking, fair.acme_slots[2].id, actor=fair.alice)


def test_cancelling_and_moving_end_at_the_deadline(fair, db):
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    fair.edition.interview_changes_close_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(errors.ChangesClosed):
        bookings.cancel_booking(booking, actor=fair.alice)
    with pytest.raises(errors.ChangesClosed):
        bookings.move_booking(booking, fair.acme_slots[4].id, actor=fair.alice)
    assert booking.active


def test_a_plan_change_never_drops_a_booked_slot_silently(fair, db):
    booking_id = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice).id
    db.session.commit()
    table = db.session.scalar(select(InterviewTable).where(InterviewTable.participation_id == fair.acme.id))
    with pytest.raises(PlanConflict) as refused:
        interview_plan.delete_table(table, actor=fair.recruiter)
    assert [hold.candidate.id for hold in refused.value.holds] == [fair.alice.id]  # listed once
    db.session.rollback()
    interview_plan.delete_table(table, actor=fair.recruiter, confirm_cancel=True)
    db.session.commit()
    # The slot is gone, and its booking with it (the candidate was e-mailed by the companies feature).
    assert db.session.get(Booking, booking_id) is None
    mails = db.session.scalars(select(OutboundEmail).where(OutboundEmail.recipient == "alice@example.org"))
    assert len(mails.all()) == 2  # the booking, then the cancellation


def test_a_withdrawn_candidates_interviews_are_cancelled_and_offered_on(fair, db):
    from jobday.candidates.registration import withdraw_registration
    from jobday.scheduling import waitlist

    slots = fair.acme_slots
    for slot in slots[1:]:
        user = registered_candidate(fair.edition)
        bookings.book_slot(user, slot.id, actor=user)
    booking = bookings.book_slot(fair.alice, slots[0].id, actor=fair.alice)
    entry = waitlist.join_waitlist(fair.bob, fair.acme, actor=fair.bob)
    db.session.commit()
    withdraw_registration(fair.alice, fair.edition, actor=fair.alice, password=factories.DEFAULT_PASSWORD)
    db.session.commit()
    assert not booking.active and booking.cancel_reason == "withdrawn"
    assert entry.status == "offered" and entry.offered_slot_id == slots[0].id
