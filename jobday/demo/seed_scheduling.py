"""Demo interviews: the wish window, ranked wishes (3-8 per registered candidate, a few
popular companies), morning-only and afternoon-only candidates, a few shortlists, and some
open bookings already made, all in bulk. Seeding twice adds nothing."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import APPROVED, OPEN_BOOKING, InterviewSlot, InterviewTable, Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling.models import Availability, Booking, Shortlist, Wish

BOOKINGS = 150


def seed_scheduling(edition: Edition, rng: random.Random) -> dict[str, int]:
    if db.session.scalar(select(func.count(Wish.id)).where(Wish.edition_id == edition.id)):
        return {}
    now = utcnow()
    if edition.wishes_open_at is None:
        edition.wishes_open_at = now - timedelta(days=1)
        closes = edition.booking_opens_at
        edition.wishes_close_at = (
            closes if closes and closes > now + timedelta(days=1) else now + timedelta(days=7)
        )
    participations = list(
        db.session.execute(
            select(Participation.id, Participation.booking_mode)
            .where(Participation.edition_id == edition.id, Participation.status == APPROVED)
            .order_by(Participation.id)
        ).all()
    )
    candidates = list(
        db.session.scalars(
            select(Registration.user_id)
            .where(
                Registration.edition_id == edition.id, Registration.status == RegistrationStatus.REGISTERED
            )
            .order_by(Registration.user_id)
        )
    )
    if not participations or not candidates:
        return {}
    ids = [pid for pid, _mode in participations]
    popularity = [1.0 / (rank + 1) ** 0.9 for rank in range(len(ids))]
    rng.shuffle(popularity)
    wishes, availability, shortlist = [], [], set()
    for candidate_id in candidates:
        chosen: list[int] = []
        for _ in range(min(rng.randint(3, 8), len(ids))):
            while True:
                pid = rng.choices(ids, weights=popularity)[0]
                if pid not in chosen:
                    chosen.append(pid)
                    break
        wishes += [
            {
                "edition_id": edition.id,
                "candidate_id": candidate_id,
                "participation_id": pid,
                "rank": rank,
                "created_at": now,
            }
            for rank, pid in enumerate(chosen, start=1)
        ]
        roll = rng.random()
        if roll < 0.32:
            availability.append(
                {
                    "edition_id": edition.id,
                    "candidate_id": candidate_id,
                    "period": "morning" if roll < 0.16 else "afternoon",
                }
            )
        if rng.random() < 0.1:
            shortlist.add((chosen[0], candidate_id))
    db.session.execute(insert(Wish), wishes)
    if availability:
        db.session.execute(insert(Availability), availability)
    if shortlist:
        db.session.execute(
            insert(Shortlist),
            [{"participation_id": p, "candidate_id": c, "created_at": now} for p, c in sorted(shortlist)],
        )
    booked = _bookings(
        edition, rng, [pid for pid, mode in participations if mode == OPEN_BOOKING], candidates
    )
    return {"interview wishes": len(wishes), "interviews booked": booked}


def _bookings(edition: Edition, rng: random.Random, open_ids: list[int], candidates: list[int]) -> int:
    """One interview each for some candidates not booked yet, at free slots of open-booking companies."""
    slots = list(
        db.session.execute(
            select(
                InterviewSlot.id,
                InterviewSlot.starts_at,
                InterviewSlot.ends_at,
                InterviewTable.participation_id,
            )
            .join(InterviewTable)
            .where(
                InterviewTable.participation_id.in_(open_ids or [0]),
                InterviewSlot.status == "free",
                InterviewSlot.held_by_candidate_id.is_(None),
            )
            .order_by(InterviewSlot.id)
        ).all()
    )
    if not slots:
        return 0
    booked = set(db.session.scalars(select(Booking.candidate_id).where(
        Booking.edition_id == edition.id, Booking.active)))  # the demo people's own (seed_journeys)
    candidates = [candidate_id for candidate_id in candidates if candidate_id not in booked]
    now = utcnow()
    picked_slots = rng.sample(slots, min(BOOKINGS, len(slots)))
    who = rng.sample(candidates, min(len(picked_slots), len(candidates)))
    rows, holds = [], []
    for (slot_id, starts_at, ends_at, pid), candidate_id in zip(picked_slots, who, strict=False):
        rows.append(
            {
                "edition_id": edition.id,
                "participation_id": pid,
                "slot_id": slot_id,
                "candidate_id": candidate_id,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "active": True,
                "source": "open",
                "sequence": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
        holds.append((slot_id, candidate_id))
    db.session.execute(insert(Booking), rows)
    for slot_id, candidate_id in holds:
        db.session.execute(
            InterviewSlot.__table__.update()
            .where(InterviewSlot.id == slot_id)
            .values(held_by_candidate_id=candidate_id, held_at=now)
        )
    return len(rows)
