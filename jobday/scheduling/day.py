"""The fair day at a company's tables: interviews marked held or no-show, and candidates who
have not checked in released to the waiting list shortly before their interview.

Whether a candidate is inside is the door's to say; the door sits above scheduling, so its
``init_app`` registers the answer here (``register_presence``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from jobday.accounts.models import User
from jobday.companies.access import require_member
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.editions.services import EditionPhase, edition_phase
from jobday.extensions import db
from jobday.scheduling import booking as bookings
from jobday.scheduling import errors, notify, waitlist
from jobday.scheduling.models import CANCEL_RELEASED, OUTCOME_HELD, OUTCOME_NO_SHOW, Booking

RELEASE_BEFORE = timedelta(minutes=10)

_presence: list[Callable[[int, int], bool]] = []


def register_presence(is_inside: Callable[[int, int], bool]) -> None:
    """``is_inside(user_id, edition_id)``: has the person passed the door (and not left again)?"""
    if is_inside not in _presence:
        _presence.append(is_inside)


def candidate_checked_in(candidate_id: int, edition_id: int) -> bool:
    """Has the candidate passed the door (and not left again)? The door's scans answer."""
    return any(is_inside(candidate_id, edition_id) for is_inside in _presence)


def booking_for_recruiter(booking_id: int, actor: User) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise errors.BookingNotFound()
    require_member(booking.participation.company_id, actor)
    return booking


def mark_outcome(
    booking: Booking, outcome: str | None, *, actor: User, now: datetime | None = None
) -> Booking:
    """Held, no-show, or neither again (a mistake undone)."""
    now = now or utcnow()
    require_member(booking.participation.company_id, actor)
    if outcome not in (OUTCOME_HELD, OUTCOME_NO_SHOW, None):
        raise errors.InvalidInput("outcome", _l("Choose held or no-show."))
    if not booking.active:
        raise errors.BookingNotActive()
    if not outcomes_open(booking.participation.edition, now):
        raise errors.NotTheFairDay()
    booking.outcome, booking.outcome_at = outcome, now if outcome else None
    db.session.flush()
    return booking


def outcomes_open(edition: Edition, now: datetime) -> bool:
    """Held and no-show are facts of the fair's days: not before (and not after) them."""
    today = now.astimezone(ZoneInfo(edition.timezone)).date()
    return edition_phase(edition, today) == EditionPhase.ONGOING


def can_release(booking: Booking, now: datetime) -> bool:
    return (
        booking.active
        and booking.outcome is None
        and booking.starts_at - RELEASE_BEFORE <= now < booking.ends_at
        and not candidate_checked_in(booking.candidate_id, booking.edition_id)
    )


def release_to_waitlist(booking: Booking, *, actor: User, now: datetime | None = None) -> Booking:
    """Free the slot of a candidate not checked in 10 minutes before; offer it on."""
    now = now or utcnow()
    require_member(booking.participation.company_id, actor)
    booking = bookings._lock_booking(booking)
    if not booking.active:
        raise errors.BookingNotActive()
    if now < booking.starts_at - RELEASE_BEFORE:
        raise errors.TooEarly()
    if now >= booking.ends_at:
        raise errors.SlotPast()
    if candidate_checked_in(booking.candidate_id, booking.edition_id):
        raise errors.CheckedIn()
    bookings.free_slot(booking, reason=CANCEL_RELEASED, now=now)
    notify.booking_cancelled(booking, reason=CANCEL_RELEASED)
    waitlist.offer_slot(booking.slot_id, now=now)
    return booking
