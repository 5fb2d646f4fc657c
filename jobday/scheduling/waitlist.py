"""Company waiting lists: a freed slot goes to the first in line who is free at that time.

The line is ordered by (joined_at, id). An offer holds the slot for the edition's offer
time (``slot_offer_minutes`` before the fair, ``slot_offer_minutes_on_day`` on a fair
day), never past the slot's start. Accepting books the slot through the booking rules
under the same locks (registration, slot, then entry), so an acceptance and an expiry of
the same offer are serialised: exactly one wins. An expired or declined offer passes the
slot to the next in line; the candidate keeps their place for other slots.

Expiry happens lazily (pages that show the line, bookings of the slot) and from
``flask schedule expire-offers`` / the job worker's periodic task.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from jobday.accounts.models import User
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import APPLY_BOOKING, SLOT_FREE, InterviewSlot, InterviewTable, Participation
from jobday.db import utcnow, written_in
from jobday.driver_sql import DriverStatement
from jobday.editions.models import Edition
from jobday.editions.services import booking_open
from jobday.extensions import db
from jobday.scheduling import booking as bookings
from jobday.scheduling import errors, notify
from jobday.scheduling.models import (
    EXPIRED,
    LEFT,
    OFFERED,
    SOURCE_WAITLIST,
    WAITING,
    WAITLIST_OPEN,
    Booking,
    WaitlistEntry,
)


def open_entry(candidate_id: int, participation_id: int) -> WaitlistEntry | None:
    return db.session.scalar(
        select(WaitlistEntry).where(
            WaitlistEntry.candidate_id == candidate_id,
            WaitlistEntry.participation_id == participation_id,
            WaitlistEntry.status.in_(WAITLIST_OPEN),
        )
    )


# Built once (the agenda and the waiting lists ask at each view).
_ENTRIES_OF = (
    select(WaitlistEntry)
    .where(
        WaitlistEntry.candidate_id == bindparam("candidate_id"),
        WaitlistEntry.edition_id == bindparam("edition_id"),
        WaitlistEntry.status.in_(WAITLIST_OPEN),
    )
    .order_by(WaitlistEntry.joined_at)
    .options(  # many-to-one each: joined in the same statement
        joinedload(WaitlistEntry.participation).joinedload(Participation.company),
        joinedload(WaitlistEntry.offered_slot),
    )
)


def entries_of(candidate_id: int, edition_id: int) -> list[WaitlistEntry]:
    """The candidate's open entries, with what the pages show of them loaded."""
    return list(db.session.scalars(_ENTRIES_OF, {"candidate_id": candidate_id, "edition_id": edition_id}))


def with_positions(entries: list[WaitlistEntry]) -> list[tuple[WaitlistEntry, int]]:
    """Each entry with its place in line (1 for the first), in one query for all of them."""
    if not entries:
        return []
    ahead = aliased(WaitlistEntry)
    counts = dict(db.session.execute(
        select(WaitlistEntry.id, func.count(ahead.id))
        .outerjoin(ahead, and_(
            ahead.participation_id == WaitlistEntry.participation_id,
            ahead.status.in_(WAITLIST_OPEN),
            or_(ahead.joined_at < WaitlistEntry.joined_at,
                and_(ahead.joined_at == WaitlistEntry.joined_at, ahead.id < WaitlistEntry.id)),
        ))
        .where(WaitlistEntry.id.in_([entry.id for entry in entries]))
        .group_by(WaitlistEntry.id)
    ).all())
    return [(entry, counts.get(entry.id, 0) + 1) for entry in entries]


def position(entry: WaitlistEntry) -> int:
    """1 for the first in line."""
    ahead = db.session.scalar(
        select(func.count(WaitlistEntry.id)).where(
            WaitlistEntry.participation_id == entry.participation_id,
            WaitlistEntry.status.in_(WAITLIST_OPEN),
            or_(
                WaitlistEntry.joined_at < entry.joined_at,
                and_(WaitlistEntry.joined_at == entry.joined_at, WaitlistEntry.id < entry.id),
            ),
        )
    )
    return (ahead or 0) + 1


# Built once (asked by several recruiter pages; building it cost as much as running it).
_FREE_FUTURE = (
    InterviewTable.participation_id == bindparam("participation_id"),
    InterviewSlot.status == SLOT_FREE,
    InterviewSlot.held_by_candidate_id.is_(None),
    InterviewSlot.starts_at > bindparam("now"),
    InterviewSlot.id.not_in(select(WaitlistEntry.offered_slot_id).where(
        WaitlistEntry.status == written_in(OFFERED),
        WaitlistEntry.offer_expires_at > bindparam("now"),
        WaitlistEntry.offered_slot_id.is_not(None),
    )),
)
_FREE_FUTURE_SLOTS = (
    select(InterviewSlot)
    .join(InterviewTable)
    .where(*_FREE_FUTURE)
    .order_by(InterviewSlot.starts_at, InterviewTable.name)
    .options(joinedload(InterviewSlot.table))
)
_FREE_FUTURE_SLOT_ROWS = DriverStatement(
    select(InterviewSlot.id, InterviewSlot.starts_at, InterviewSlot.ends_at, InterviewTable.name.label("table_name"))
    .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
    .where(*_FREE_FUTURE)
    .order_by(InterviewSlot.starts_at, InterviewTable.name)
)


def free_future_slots(participation_id: int, now: datetime) -> list[InterviewSlot]:
    """Free slots of the company that nobody holds and nobody is offered."""
    return list(
        db.session.scalars(
            _FREE_FUTURE_SLOTS, {"participation_id": participation_id, "now": now}
        )
    )


def free_future_slot_rows(participation_id: int, now: datetime) -> list:
    """The same slots as plain rows (id, starts_at, ends_at, table_name), for a choice of slot."""
    return _FREE_FUTURE_SLOT_ROWS.session_all(participation_id=participation_id, now=now)


def offer_minutes(edition: Edition, now: datetime) -> int:
    today = now.astimezone(ZoneInfo(edition.timezone)).date()
    on_day = edition.starts_on <= today <= edition.ends_on
    return edition.slot_offer_minutes_on_day if on_day else edition.slot_offer_minutes


def waitlist_open(edition: Edition, now: datetime) -> bool:
    """Lines form while booking is open and on the fair days (for the no-show releases)."""
    if booking_open(edition, now):
        return True
    today = now.astimezone(ZoneInfo(edition.timezone)).date()
    return edition.starts_on <= today <= edition.ends_on


# --- joining and leaving ------------------------------------------------------------------


def join_waitlist(
    candidate: User, participation: Participation, *, actor: User, now: datetime | None = None
) -> WaitlistEntry:
    now = now or utcnow()
    if actor.id != candidate.id:
        raise errors.BookingNotFound()
    edition = participation.edition
    registration = bookings.lock_registration(candidate.id, edition.id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        raise errors.NotRegistered()
    if not waitlist_open(edition, now):
        raise errors.BookingClosed()
    if not participation.is_approved:
        raise errors.CompanyNotApproved()
    if (
        participation.booking_mode == APPLY_BOOKING
        and bookings.accepted_application(candidate.id, participation.id) is None
    ):
        raise errors.ApplicationRequired()
    if open_entry(candidate.id, participation.id) is not None:
        raise errors.AlreadyWaiting()
    mine = bookings.active_bookings(candidate.id, edition.id)
    if sum(1 for b in mine if b.participation_id == participation.id) >= bookings.max_per_candidate(
        participation.id
    ):
        raise errors.CompanyLimit()
    if any(
        bookings.candidate_is_free(candidate.id, edition, slot, participation.id)
        for slot in free_future_slots(participation.id, now)
    ):
        raise errors.WaitlistNotNeeded()
    entry = WaitlistEntry(
        edition_id=edition.id,
        participation_id=participation.id,
        candidate_id=candidate.id,
        status=WAITING,
        joined_at=now,
        passed_slot_ids=[],
    )
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise errors.AlreadyWaiting() from error
    return entry


def get_entry_for(entry_id: int, user: User) -> WaitlistEntry:
    entry = db.session.get(WaitlistEntry, entry_id)
    if entry is None or entry.candidate_id != user.id:
        raise errors.BookingNotFound()
    return entry


def _lock_entry(entry_id: int) -> WaitlistEntry:
    return db.session.scalar(
        select(WaitlistEntry)
        .where(WaitlistEntry.id == entry_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def leave_waitlist(entry: WaitlistEntry, *, actor: User, now: datetime | None = None) -> None:
    """Leave the line; a slot offered to the candidate passes to the next."""
    now = now or utcnow()
    if entry.candidate_id != actor.id:
        raise errors.BookingNotFound()
    bookings.lock_registration(entry.candidate_id, entry.edition_id)
    slot_id = entry.offered_slot_id
    if slot_id is not None:
        bookings.lock_slot(slot_id)
    entry = _lock_entry(entry.id)
    if entry.status not in WAITLIST_OPEN:
        return
    slot_id = entry.offered_slot_id if entry.status == OFFERED else None
    entry.status, entry.closed_at = LEFT, now
    entry.offered_slot_id = entry.offer_expires_at = None
    db.session.flush()
    if slot_id is not None:
        offer_slot(slot_id, now=now)


def decline_offer(entry: WaitlistEntry, *, actor: User, now: datetime | None = None) -> None:
    """Say no to this slot but stay in line for others."""
    now = now or utcnow()
    if entry.candidate_id != actor.id:
        raise errors.BookingNotFound()
    slot_id = entry.offered_slot_id
    if slot_id is None:
        raise errors.OfferExpired()
    bookings.lock_slot(slot_id)
    entry = _lock_entry(entry.id)
    if entry.status != OFFERED or entry.offered_slot_id != slot_id:
        raise errors.OfferExpired()
    _pass(entry, slot_id)
    offer_slot(slot_id, now=now)


def _pass(entry: WaitlistEntry, slot_id: int) -> None:
    entry.status = WAITING
    entry.passed_slot_ids = [*(entry.passed_slot_ids or []), slot_id]
    entry.offered_slot_id = entry.offer_expires_at = entry.offered_at = None
    db.session.flush()


# --- offers ---------------------------------------------------------------------------------


def offer_slot(slot_id: int, *, now: datetime, reason: str | None = None) -> WaitlistEntry | None:
    """Offer a freed slot to the first in line who is free at that time (the caller holds
    the slot's lock, or takes it here). None when nobody can take it."""
    slot = bookings.lock_slot(slot_id)
    if slot is None or slot.status != SLOT_FREE or slot.held_by_candidate_id is not None:
        return None
    if slot.starts_at <= now or bookings.active_booking_of_slot(slot.id) is not None:
        return None
    if (
        db.session.scalar(
            select(WaitlistEntry.id).where(
                WaitlistEntry.offered_slot_id == slot.id, WaitlistEntry.status == OFFERED
            )
        )
        is not None
    ):
        return None
    participation = bookings.slot_participation(slot)
    if not participation.is_approved:
        return None
    edition = participation.edition
    line = db.session.scalars(
        select(WaitlistEntry)
        .join(
            Registration,
            and_(
                Registration.user_id == WaitlistEntry.candidate_id,
                Registration.edition_id == WaitlistEntry.edition_id,
            ),
        )
        .where(
            WaitlistEntry.participation_id == participation.id,
            WaitlistEntry.status == WAITING,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .order_by(WaitlistEntry.joined_at, WaitlistEntry.id)
    )
    for entry in line:
        if slot.id in (entry.passed_slot_ids or []):
            continue
        if not bookings.candidate_is_free(entry.candidate_id, edition, slot, participation.id):
            continue
        entry = _lock_entry(entry.id)
        if entry.status != WAITING:
            continue
        expires = min(now + timedelta(minutes=offer_minutes(edition, now)), slot.starts_at)
        entry.status, entry.offered_slot_id = OFFERED, slot.id
        entry.offered_at, entry.offer_expires_at = now, expires
        db.session.flush()
        notify.slot_offered(entry)
        return entry
    return None


def accept_offer(entry: WaitlistEntry, *, actor: User, now: datetime | None = None) -> Booking:
    """Claim the offered slot atomically (or OfferExpired)."""
    now = now or utcnow()
    if entry.candidate_id != actor.id:
        raise errors.BookingNotFound()
    slot_id = entry.offered_slot_id
    if slot_id is None:
        raise errors.OfferExpired()
    bookings.lock_registration(entry.candidate_id, entry.edition_id)
    bookings.lock_slot(slot_id)
    entry = _lock_entry(entry.id)
    if entry.status != OFFERED or entry.offered_slot_id != slot_id or entry.offer_expires_at <= now:
        raise errors.OfferExpired()
    return bookings.book_slot(actor, slot_id, actor=actor, source=SOURCE_WAITLIST, now=now)


# Asked by every page that shows slots or lines: built once.
_OFFERS_DUE = (
    select(WaitlistEntry.id)
    .where(WaitlistEntry.status == written_in(OFFERED), WaitlistEntry.offer_expires_at <= bindparam("now"))
    .limit(1)
)
_EDITION_OFFERS_DUE = _OFFERS_DUE.where(WaitlistEntry.edition_id == bindparam("edition_id"))


def offers_due(now: datetime | None = None, *, edition_id: int | None = None) -> bool:
    now = now or utcnow()
    if edition_id is None:
        return db.session.scalar(_OFFERS_DUE, {"now": now}) is not None
    return db.session.scalar(_EDITION_OFFERS_DUE, {"now": now, "edition_id": edition_id}) is not None


def expire_slot_offers(now: datetime | None = None, *, edition_id: int | None = None) -> int:
    """Offers past their deadline pass to the next in line. Returns how many expired."""
    now = now or utcnow()
    query = (
        select(WaitlistEntry.id, WaitlistEntry.offered_slot_id)
        .where(WaitlistEntry.status == OFFERED, WaitlistEntry.offer_expires_at <= now)
        .order_by(WaitlistEntry.id)
    )
    if edition_id is not None:
        query = query.where(WaitlistEntry.edition_id == edition_id)
    expired = 0
    for entry_id, slot_id in db.session.execute(query).all():
        if slot_id is not None:
            bookings.lock_slot(slot_id)
        entry = _lock_entry(entry_id)
        if entry.status != OFFERED or entry.offer_expires_at > now or entry.offered_slot_id != slot_id:
            continue  # accepted or passed on meanwhile
        if slot_id is None:
            entry.status = WAITING
            continue
        _pass(entry, slot_id)
        expired += 1
        offer_slot(slot_id, now=now)
    db.session.flush()
    return expired


def close_entries(candidate_id: int, edition_id: int, *, now: datetime) -> None:
    """A withdrawn candidate leaves every line; their offers pass on."""
    for entry in entries_of(candidate_id, edition_id):
        slot_id = entry.offered_slot_id if entry.status == OFFERED else None
        entry.status, entry.closed_at = EXPIRED if slot_id else LEFT, now
        entry.offered_slot_id = entry.offer_expires_at = None
        db.session.flush()
        if slot_id is not None:
            offer_slot(slot_id, now=now)
