"""Booking, cancelling and moving interviews: the rules that must hold even under a rush.

Every booking locks, in this order, the candidate's registration row (so one candidate's
bookings are serialised: the overlap, gap, cap and per-company checks read a stable set)
and then the slot row (so two candidates racing for it are serialised). On SQLite a
writing request already holds the database (``BEGIN IMMEDIATE``). Behind the locks the
database still refuses a second active booking of a slot or a second active booking of a
candidate at the same start (partial unique indexes): an ``IntegrityError`` becomes
``SlotTaken``.

A booking keeps the slot's ``held_by_candidate_id`` in step (the companies' plan guard
reads it), in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from jobday.accounts.models import User
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import APPLY_BOOKING, SLOT_FREE, InterviewSlot, InterviewTable, Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.editions.services import booking_open
from jobday.extensions import db
from jobday.scheduling import errors, notify
from jobday.scheduling.models import (
    ACCEPTED,
    APP_ACCEPTED,
    CANCEL_CANDIDATE,
    CANCEL_MOVED,
    OFFERED,
    SOURCE_OPEN,
    WAITING,
    Application,
    Booking,
    InterviewPolicy,
    WaitlistEntry,
)
from jobday.scheduling.signals import slot_freed
from jobday.security import Role

# Sources that skip the booking window and the apply-mode acceptance (the organiser's
# scheduler, an organiser booking by hand, a slot the company itself invited the candidate to).
PRIVILEGED_SOURCES = ("scheduler", "organiser", "invitation")


# --- locks and lookups -------------------------------------------------------------------


def lock_registration(user_id: int, edition_id: int) -> Registration | None:
    return db.session.scalar(
        select(Registration)
        .where(Registration.user_id == user_id, Registration.edition_id == edition_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def lock_slot(slot_id: int) -> InterviewSlot | None:
    return db.session.scalar(
        select(InterviewSlot)
        .where(InterviewSlot.id == slot_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


# A slot's company and edition, in one query.
_SLOT_PLACE = (
    select(Participation, Edition)
    .join(InterviewTable, InterviewTable.participation_id == Participation.id)
    .join(InterviewSlot, InterviewSlot.table_id == InterviewTable.id)
    .join(Edition, Edition.id == Participation.edition_id)
    .where(InterviewSlot.id == bindparam("slot_id"))
)


def slot_participation(slot: InterviewSlot) -> Participation:
    return db.session.scalar(
        select(Participation).join(InterviewTable).where(InterviewTable.id == slot.table_id)
    )


def active_bookings(candidate_id: int, edition_id: int) -> list[Booking]:
    return list(
        db.session.scalars(
            select(Booking)
            .where(Booking.candidate_id == candidate_id, Booking.edition_id == edition_id, Booking.active)
            .order_by(Booking.starts_at)
        )
    )


def active_booking_of_slot(slot_id: int) -> Booking | None:
    return db.session.scalar(select(Booking).where(Booking.slot_id == slot_id, Booking.active))


_MAX_PER_CANDIDATE = select(InterviewPolicy.max_per_candidate).where(
    InterviewPolicy.participation_id == bindparam("participation_id"))


DEFAULT_MAX_PER_CANDIDATE = 1  # without a policy of the company's


def max_per_candidate(participation_id: int) -> int:
    value = db.session.scalar(_MAX_PER_CANDIDATE, {"participation_id": participation_id})
    return value or DEFAULT_MAX_PER_CANDIDATE


def accepted_application(candidate_id: int, participation_id: int) -> Application | None:
    return db.session.scalar(
        select(Application).where(
            Application.candidate_id == candidate_id,
            Application.participation_id == participation_id,
            Application.status == APP_ACCEPTED,
        )
    )


def changes_deadline(edition: Edition) -> datetime | None:
    return edition.interview_changes_close_at or edition.booking_closes_at


def changes_open(edition: Edition, now: datetime) -> bool:
    deadline = changes_deadline(edition)
    return booking_open(edition, now) and (deadline is None or now < deadline)


# --- the rules -----------------------------------------------------------------------------


def conflicts(
    bookings: list[Booking], starts_at: datetime, ends_at: datetime, gap_minutes: int
) -> list[Booking]:
    """The bookings that overlap [starts_at, ends_at) or leave less than the gap to it."""
    gap = timedelta(minutes=gap_minutes)
    return [b for b in bookings if starts_at < b.ends_at + gap and b.starts_at < ends_at + gap]


def check_candidate_free(
    candidate_id: int,
    edition: Edition,
    slot: InterviewSlot,
    participation_id: int,
    *,
    ignore: Booking | None = None,
) -> None:
    """Overlap and gap, the per-company limit and the edition's cap (caller holds the lock)."""
    mine = [b for b in active_bookings(candidate_id, edition.id) if ignore is None or b.id != ignore.id]
    if conflicts(mine, slot.starts_at, slot.ends_at, edition.interview_gap_minutes):
        raise errors.Overlap()
    if sum(1 for b in mine if b.participation_id == participation_id) >= max_per_candidate(participation_id):
        raise errors.CompanyLimit()
    if len(mine) >= edition.max_interviews_per_candidate:
        raise errors.CandidateCap()


def candidate_is_free(
    candidate_id: int, edition: Edition, slot: InterviewSlot, participation_id: int
) -> bool:
    try:
        check_candidate_free(candidate_id, edition, slot, participation_id)
    except errors.DomainError:
        return False
    return True


def _check_slot_free(slot: InterviewSlot, candidate_id: int, now: datetime) -> None:
    if slot.status != SLOT_FREE:
        raise errors.SlotUnavailable()
    if slot.held_by_candidate_id is not None or active_booking_of_slot(slot.id) is not None:
        raise errors.SlotTaken()
    offer = db.session.scalar(
        select(WaitlistEntry).where(WaitlistEntry.offered_slot_id == slot.id, WaitlistEntry.status == OFFERED)
    )
    if offer is None:
        return
    if offer.candidate_id != candidate_id and offer.offer_expires_at > now:
        raise errors.SlotTaken()  # held for the first of the waiting list
    # The candidate takes the slot offered to them, or an overdue offer lapses now.
    if offer.candidate_id == candidate_id:
        offer.status, offer.closed_at = ACCEPTED, now
    else:
        offer.status, offer.passed_slot_ids = WAITING, [*offer.passed_slot_ids, slot.id]
    offer.offered_slot_id = offer.offer_expires_at = None


def _check_edition(registration: Registration | None, participation: Participation, edition: Edition) -> None:
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        raise errors.NotRegistered()
    if participation is None or not participation.is_approved or participation.edition_id != edition.id:
        raise errors.CompanyNotApproved()


# --- booking ----------------------------------------------------------------------------


def book_slot(
    candidate: User,
    slot_id: int,
    *,
    actor: User,
    source: str = SOURCE_OPEN,
    now: datetime | None = None,
    notify_candidate: bool = True,
) -> Booking:
    """Put ``candidate`` in the slot, or raise the rule that says no."""
    now = now or utcnow()
    if actor.id != candidate.id and not actor.has_role(Role.ADMIN):
        raise errors.BookingNotFound()
    found = db.session.execute(_SLOT_PLACE, {"slot_id": slot_id}).first()  # the slot is read with its lock below
    if found is None:
        raise errors.BookingNotFound()
    participation, edition = found
    registration = lock_registration(candidate.id, edition.id)
    _check_edition(registration, participation, edition)
    privileged = source in PRIVILEGED_SOURCES
    if not privileged and source != "waitlist" and not booking_open(edition, now):
        raise errors.BookingClosed()
    if (
        not privileged
        and participation.booking_mode == APPLY_BOOKING
        and accepted_application(candidate.id, participation.id) is None
    ):
        raise errors.ApplicationRequired()
    slot = lock_slot(slot_id)
    if slot is None:
        raise errors.SlotTaken()
    if slot.starts_at <= now:
        raise errors.SlotPast()
    _check_slot_free(slot, candidate.id, now)
    check_candidate_free(candidate.id, edition, slot, participation.id)
    booking = Booking(
        edition_id=edition.id,
        participation_id=participation.id,
        slot_id=slot.id,
        candidate_id=candidate.id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        source=source,
        created_at=now,
        updated_at=now,
        created_by_id=actor.id,
    )
    db.session.add(booking)
    slot.held_by_candidate_id, slot.held_at = candidate.id, now
    _flush()
    if notify_candidate:
        facts = notify.interview_facts(booking)
        notify.booking_confirmed(booking, facts)
        if actor.id == candidate.id:  # the candidate's own doing; the company did not book it
            notify.company_booking(booking, facts)
    return booking


def _flush() -> None:
    try:
        db.session.flush()
    except IntegrityError as error:  # a racer got there first; the caller rolls back
        raise errors.SlotTaken() from error


# --- cancelling and moving ----------------------------------------------------------------


def get_booking_for(booking_id: int, user: User) -> Booking:
    """The candidate's own booking (404 for anyone else's)."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.candidate_id != user.id:
        raise errors.BookingNotFound()
    return booking


def _lock_booking(booking: Booking) -> Booking:
    lock_registration(booking.candidate_id, booking.edition_id)
    lock_slot(booking.slot_id)
    return db.session.scalar(
        select(Booking)
        .where(Booking.id == booking.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def free_slot(booking: Booking, *, reason: str, now: datetime) -> None:
    """End the booking and free its slot (caller holds the locks); no offer, no e-mail."""
    booking.active = False
    booking.cancelled_at = booking.updated_at = now
    booking.cancel_reason = reason
    booking.sequence += 1
    slot = db.session.get(InterviewSlot, booking.slot_id)
    if slot is not None and slot.held_by_candidate_id == booking.candidate_id:
        slot.held_by_candidate_id, slot.held_at = None, None
    db.session.flush()


def cancel_booking(
    booking: Booking,
    *,
    actor: User,
    reason: str = CANCEL_CANDIDATE,
    now: datetime | None = None,
    check_deadline: bool = True,
) -> Booking:
    """Cancel and free the slot at once; it is offered to the company's waiting list."""
    now = now or utcnow()
    booking = _lock_booking(booking)
    if not booking.active:
        raise errors.BookingNotActive()
    edition = db.session.get(Edition, booking.edition_id)
    if check_deadline and reason == CANCEL_CANDIDATE and not changes_open(edition, now):
        raise errors.ChangesClosed()
    free_slot(booking, reason=reason, now=now)
    notify.booking_cancelled(booking, reason=reason)
    if reason == CANCEL_CANDIDATE:
        notify.company_cancellation(booking)
    slot_freed.send(booking.slot_id, now=now, reason=None)
    return booking


def move_booking(booking: Booking, new_slot_id: int, *, actor: User, now: datetime | None = None) -> Booking:
    """Move an interview to another slot of the same company; the calendar event keeps its
    UID and its SEQUENCE grows. The old slot goes to the waiting list."""
    now = now or utcnow()
    if booking.candidate_id != actor.id and not actor.has_role(Role.ADMIN):
        raise errors.BookingNotFound()
    edition = db.session.get(Edition, booking.edition_id)
    registration = lock_registration(booking.candidate_id, edition.id)
    _check_edition(registration, booking.participation, edition)
    if not changes_open(edition, now):
        raise errors.ChangesClosed()
    new_slot = db.session.get(InterviewSlot, new_slot_id)
    if new_slot is None or slot_participation(new_slot).id != booking.participation_id:
        raise errors.BookingNotFound()
    if new_slot_id == booking.slot_id:
        return booking
    old_slot = lock_slot(booking.slot_id)
    new_slot = lock_slot(new_slot_id)
    booking = db.session.scalar(
        select(Booking)
        .where(Booking.id == booking.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if not booking.active:
        raise errors.BookingNotActive()
    if new_slot.starts_at <= now:
        raise errors.SlotPast()
    _check_slot_free(new_slot, booking.candidate_id, now)
    mine = [b for b in active_bookings(booking.candidate_id, edition.id) if b.id != booking.id]
    if conflicts(mine, new_slot.starts_at, new_slot.ends_at, edition.interview_gap_minutes):
        raise errors.Overlap()
    if old_slot is not None and old_slot.held_by_candidate_id == booking.candidate_id:
        old_slot.held_by_candidate_id, old_slot.held_at = None, None
    previous = booking.starts_at
    booking.slot_id, booking.starts_at, booking.ends_at = new_slot.id, new_slot.starts_at, new_slot.ends_at
    booking.sequence += 1
    booking.updated_at = now
    new_slot.held_by_candidate_id, new_slot.held_at = booking.candidate_id, now
    _flush()
    db.session.refresh(booking, ["slot"])
    notify.booking_moved(booking, previous)
    if old_slot is not None:
        slot_freed.send(old_slot.id, now=now, reason=CANCEL_MOVED)
    return booking
