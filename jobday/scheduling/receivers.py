"""Scheduling follows the features below it.

* A withdrawn registration: the candidate's interviews are cancelled and their slots
  offered to the waiting lists; the candidate leaves every waiting list and their
  pending applications are withdrawn. (The candidates feature e-mails the withdrawal.)
* A plan change that drops booked slots (the companies' plan guard): the bookings of
  those slots end. The guard finds the taken slots through ``held_by_candidate_id``, which
  the booking service keeps in step, so this holder reports no holds of its own (that
  would list each booking twice) and only releases.
"""

from __future__ import annotations

from sqlalchemy import select, update

from jobday.companies import plan_guard
from jobday.db import utcnow
from jobday.extensions import db
from jobday.scheduling import booking as bookings
from jobday.scheduling import notify, waitlist
from jobday.scheduling.models import (
    APP_PENDING,
    APP_WITHDRAWN,
    CANCEL_PLAN,
    CANCEL_WITHDRAWN,
    OFFERED,
    WAITING,
    Application,
    Booking,
    WaitlistEntry,
)


def on_registration_withdrawn(registration, **extra) -> None:
    now = extra.get("now") or utcnow()
    cancel_for_withdrawal(registration.user_id, registration.edition_id, now=now)


def on_candidate_erased(user, **extra) -> None:
    """Erasure: the motivation a candidate wrote to companies is their own text; it goes."""
    db.session.execute(update(Application).where(Application.candidate_id == user.id).values(motivation=""))


def cancel_for_withdrawal(candidate_id: int, edition_id: int, *, now) -> list[Booking]:
    cancelled = []
    for booking in bookings.active_bookings(candidate_id, edition_id):
        booking = bookings._lock_booking(booking)
        if not booking.active:
            continue
        bookings.free_slot(booking, reason=CANCEL_WITHDRAWN, now=now)
        notify.company_cancellation(booking)
        cancelled.append(booking)
        waitlist.offer_slot(booking.slot_id, now=now)
    waitlist.close_entries(candidate_id, edition_id, now=now)
    db.session.execute(
        update(Application)
        .where(
            Application.candidate_id == candidate_id,
            Application.edition_id == edition_id,
            Application.status == APP_PENDING,
        )
        .values(status=APP_WITHDRAWN)
    )
    db.session.flush()
    return cancelled


def _no_holds(session, slot_ids):
    return []


def _release_bookings(session, slot_ids) -> None:
    now = utcnow()
    session.execute(
        update(Booking)
        .where(Booking.slot_id.in_(slot_ids), Booking.active)
        .values(
            active=False,
            cancelled_at=now,
            updated_at=now,
            cancel_reason=CANCEL_PLAN,
            sequence=Booking.sequence + 1,
        )
    )
    offered = session.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.offered_slot_id.in_(slot_ids), WaitlistEntry.status == OFFERED
        )
    )
    for entry in offered:
        entry.status, entry.offered_slot_id, entry.offer_expires_at = WAITING, None, None
    session.flush()


SLOT_HOLDER = plan_guard.SlotHolder(_no_holds, _release_bookings)
