"""Small loaders, one query or two each, that read what the scheduling problem is made of.

Company ids in the problem are participation ids; table and slot ids are the database ids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import APPLY_BOOKING, APPROVED, SLOT_BLOCKED, InterviewSlot, InterviewTable, Participation
from jobday.companies.offers import company_suggester
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling import solver as S
from jobday.scheduling.models import (
    APP_ACCEPTED,
    OFFERED,
    Application,
    Availability,
    Booking,
    InterviewPolicy,
    Shortlist,
    WaitlistEntry,
    Wish,
)
from jobday.scheduling.planning.clock import minutes


@dataclass
class Companies:
    participations: list[Participation]
    companies: tuple[S.Company, ...]
    slot_owner: dict[int, int]  # slot id -> participation id
    closed: set[int]  # blocked slots and slots already begun


def load_companies(edition: Edition, origin: datetime, now: datetime) -> Companies:
    """The approved companies with their tables and slots, and how many interviews a
    company allows one candidate."""
    participations = list(
        db.session.scalars(
            select(Participation)
            .where(Participation.edition_id == edition.id, Participation.status == APPROVED)
            .options(selectinload(Participation.tables).selectinload(InterviewTable.slots))
            .order_by(Participation.id)
        )
    )
    policies = dict(
        db.session.execute(
            select(InterviewPolicy.participation_id, InterviewPolicy.max_per_candidate).where(
                InterviewPolicy.participation_id.in_([p.id for p in participations])
            )
        ).all()
    )
    slot_owner: dict[int, int] = {}
    closed: set[int] = set()
    companies = []
    for participation in participations:
        tables = []
        for table in participation.tables:
            slots = []
            for slot in table.slots:
                slot_owner[slot.id] = participation.id
                if slot.status == SLOT_BLOCKED or slot.starts_at <= now:
                    closed.add(slot.id)
                slots.append(S.Slot(id=slot.id, start=minutes(slot.starts_at, origin),
                                    end=minutes(slot.ends_at, origin)))
            tables.append(S.Table(id=table.id, slots=tuple(slots)))
        extra = policies.get(participation.id)
        companies.append(S.Company(id=participation.id, tables=tuple(tables),
                                   max_per_candidate=extra if extra and extra > 1 else None))
    return Companies(participations, tuple(companies), slot_owner, closed)


def load_wishes(edition: Edition, companies: Companies) -> list[S.Wish]:
    """Registered candidates' wishes, ranks kept dense; a wish for an apply-and-accept
    company counts once the company accepted or shortlisted the candidate."""
    registered = select(Registration.user_id).where(
        Registration.edition_id == edition.id, Registration.status == RegistrationStatus.REGISTERED
    )
    rows = db.session.execute(
        select(Wish.candidate_id, Wish.participation_id, Wish.rank)
        .where(
            Wish.edition_id == edition.id,
            Wish.candidate_id.in_(registered),
            Wish.participation_id.in_(list(companies.slot_owner.values()) or [0]),
        )
        .order_by(Wish.candidate_id, Wish.rank)
    ).all()
    apply_mode = {p.id for p in companies.participations if p.booking_mode == APPLY_BOOKING}
    accepted = set(
        db.session.execute(
            select(Application.candidate_id, Application.participation_id).where(
                Application.edition_id == edition.id, Application.status == APP_ACCEPTED
            )
        )
    )
    shortlisted = set(
        db.session.execute(
            select(Shortlist.candidate_id, Shortlist.participation_id).where(
                Shortlist.participation_id.in_([p.id for p in companies.participations] or [0])
            )
        )
    )
    wishes = []
    rank_of: dict[int, int] = defaultdict(int)
    for candidate_id, participation_id, _rank in rows:
        pair = (candidate_id, participation_id)
        if participation_id in apply_mode and pair not in accepted and pair not in shortlisted:
            continue
        rank_of[candidate_id] += 1
        wishes.append(S.Wish(candidate_id=candidate_id, company_id=participation_id, rank=rank_of[candidate_id],
                             shortlisted=pair in shortlisted))
    return wishes


SUGGESTIONS_PER_CANDIDATE = 5


def load_suggestions(edition: Edition, companies: Companies, with_wishes: set[int]) -> list[S.Wish]:
    """The matching's suggestions for registered candidates without wishes: their best-fitting
    open-booking exhibitors (an apply-and-accept company chooses its candidates itself), at
    most ``SUGGESTIONS_PER_CANDIDATE`` each, ranked by the score."""
    suggest = company_suggester()
    if suggest is None:
        return []
    participation_of = {p.company_id: p.id for p in companies.participations if p.booking_mode != APPLY_BOOKING}
    found = suggest(edition.id, limit=SUGGESTIONS_PER_CANDIDATE, excluded=with_wishes,
                    company_ids=set(participation_of))
    return [S.Wish(candidate_id=candidate_id, company_id=participation_of[company_id], rank=rank, suggested=True)
            for candidate_id in sorted(found) for rank, company_id in enumerate(found[candidate_id], start=1)]


def load_existing(
    edition: Edition, in_problem: set[int], slot_owner: dict[int, int], origin: datetime
) -> tuple[dict[int, list[S.ExistingInterview]], set[int]]:
    """The interviews already booked: those of the problem's candidates (which the schedule
    keeps), and the slots that others' bookings take."""
    existing: dict[int, list[S.ExistingInterview]] = defaultdict(list)
    booked_by_others: set[int] = set()
    for booking in db.session.scalars(select(Booking).where(Booking.edition_id == edition.id, Booking.active)):
        if booking.candidate_id in in_problem:
            existing[booking.candidate_id].append(
                S.ExistingInterview(
                    company_id=booking.participation_id,
                    start=minutes(booking.starts_at, origin),
                    end=minutes(booking.ends_at, origin),
                    slot_id=booking.slot_id if booking.slot_id in slot_owner else None,
                )
            )
        else:
            booked_by_others.add(booking.slot_id)
    return existing, booked_by_others


def load_held(edition: Edition, slot_owner: dict[int, int]) -> set[int]:
    """Slots held by a booking or offered to someone on a waiting list."""
    held = set(
        db.session.scalars(
            select(InterviewSlot.id).where(
                InterviewSlot.id.in_(list(slot_owner) or [0]), InterviewSlot.held_by_candidate_id.is_not(None)
            )
        )
    )
    return held | set(
        db.session.scalars(
            select(WaitlistEntry.offered_slot_id).where(
                WaitlistEntry.edition_id == edition.id,
                WaitlistEntry.status == OFFERED,
                WaitlistEntry.offered_slot_id.is_not(None),
            )
        )
    )


def load_periods(edition: Edition) -> dict[int, str]:
    """When each candidate said they can come (all day when they did not say)."""
    return dict(
        db.session.execute(
            select(Availability.candidate_id, Availability.period).where(Availability.edition_id == edition.id)
        ).all()
    )
