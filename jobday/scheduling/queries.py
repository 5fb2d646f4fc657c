"""Read models for the scheduling pages: each returns plain rows, eagerly loaded, so
templates never query."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from jobday.accounts.models import User
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.collation import collated, like_folded
from jobday.companies.models import (
    APPROVED,
    SLOT_BLOCKED,
    Company,
    InterviewSlot,
    InterviewTable,
    JobOffer,
    JobOfferArea,
    Participation,
)
from jobday.db import utcnow
from jobday.extensions import db
from jobday.scheduling.models import OFFERED, OUTCOME_HELD, OUTCOME_NO_SHOW, Booking, SlotState, WaitlistEntry


@dataclass
class CompanyRow:
    participation: Participation
    company: Company
    free_slots: int
    booked_by_me: bool = False


def approved_companies(
    edition_id: int,
    *,
    search: str = "",
    area: str = "",
    contract: str = "",
    level: str = "",
    now: datetime | None = None,
    candidate_id: int | None = None,
) -> list[CompanyRow]:
    query = (
        select(Participation, Company)
        .join(Company, Company.id == Participation.company_id)
        .where(Participation.edition_id == edition_id, Participation.status == APPROVED)
        .order_by(collated(Company.name), Company.id)
    )
    if search.strip():
        query = query.where(Company.name_key.like(like_folded(search), escape="\\"))
    offers = select(JobOffer.company_id).where(JobOffer.closed_at.is_(None))
    if contract:
        offers = offers.where(JobOffer.contract_type == contract)
    if level:
        offers = offers.where(JobOffer.education_level == level)
    if area:
        offers = offers.join(JobOfferArea, JobOfferArea.offer_id == JobOffer.id).where(
            JobOfferArea.area == area
        )
    if contract or level or area:
        query = query.where(Company.id.in_(offers))
    rows = db.session.execute(query).all()
    free = free_counts([p.id for p, _ in rows], now)
    mine = set()
    if candidate_id is not None:
        mine = set(
            db.session.scalars(
                select(Booking.participation_id).where(
                    Booking.candidate_id == candidate_id, Booking.edition_id == edition_id, Booking.active
                )
            )
        )
    return [CompanyRow(p, c, free.get(p.id, 0), p.id in mine) for p, c in rows]


def free_counts(participation_ids: list[int], now: datetime | None) -> dict[int, int]:
    if not participation_ids:
        return {}
    query = (
        select(InterviewTable.participation_id, func.count(InterviewSlot.id))
        .join(InterviewSlot, InterviewSlot.table_id == InterviewTable.id)
        .where(
            InterviewTable.participation_id.in_(participation_ids),
            InterviewSlot.status == "free",
            InterviewSlot.held_by_candidate_id.is_(None),
        )
        .group_by(InterviewTable.participation_id)
    )
    if now is not None:
        query = query.where(InterviewSlot.starts_at > now)
    return dict(db.session.execute(query).all())


@dataclass
class SlotView:
    slot: InterviewSlot
    state: str  # free | booked | blocked | offered | mine | held | no_show
    booking: Booking | None = None


@dataclass
class TableView:
    table: InterviewTable
    slots: list[SlotView] = field(default_factory=list)


def table_views(
    participation_id: int, *, now: datetime | None = None, candidate_id: int | None = None
) -> list[TableView]:
    now = now or utcnow()
    tables = list(
        db.session.scalars(
            select(InterviewTable)
            .where(InterviewTable.participation_id == participation_id)
            .options(selectinload(InterviewTable.slots), selectinload(InterviewTable.recruiter))
            .order_by(InterviewTable.name)
        )
    )
    slot_ids = [s.id for t in tables for s in t.slots]
    booked = (
        {
            b.slot_id: b
            for b in db.session.scalars(
                select(Booking)
                .where(Booking.slot_id.in_(slot_ids), Booking.active)
                .options(selectinload(Booking.candidate))
            )
        }
        if slot_ids
        else {}
    )
    offered = (
        set(
            db.session.scalars(
                select(WaitlistEntry.offered_slot_id).where(
                    WaitlistEntry.offered_slot_id.in_(slot_ids),
                    WaitlistEntry.status == OFFERED,
                    WaitlistEntry.offer_expires_at > now,
                )
            )
        )
        if slot_ids
        else set()
    )
    views = []
    for table in tables:
        view = TableView(table)
        for slot in table.slots:
            booking = booked.get(slot.id)
            if booking is not None:
                state = (
                    SlotState.MINE
                    if booking.candidate_id == candidate_id
                    else SlotState.HELD
                    if booking.outcome == OUTCOME_HELD
                    else SlotState.NO_SHOW
                    if booking.outcome == OUTCOME_NO_SHOW
                    else SlotState.BOOKED
                )
            elif slot.status == SLOT_BLOCKED:
                state = SlotState.BLOCKED
            elif slot.held_by_candidate_id is not None:
                state = SlotState.BOOKED
            elif slot.id in offered:
                state = SlotState.OFFERED
            else:
                state = SlotState.FREE
            view.slots.append(SlotView(slot, state, booking))
        views.append(view)
    return views


@dataclass
class AgendaItem:
    booking: Booking
    company: str
    table: str
    stand: str


def agenda_items(candidate_id: int, edition_id: int, *, include_cancelled: bool = False) -> list[AgendaItem]:
    query = (
        select(Booking, Company.name, InterviewTable.name, Participation.stand)
        .join(InterviewSlot, InterviewSlot.id == Booking.slot_id)
        .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
        .join(Participation, Participation.id == Booking.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .where(Booking.candidate_id == candidate_id, Booking.edition_id == edition_id)
        .order_by(Booking.starts_at)
    )
    if not include_cancelled:
        query = query.where(Booking.active)
    return [
        AgendaItem(b, company, table, stand or "") for b, company, table, stand in db.session.execute(query)
    ]


def company_bookings(participation_id: int, *, include_cancelled: bool = False) -> list[tuple[Booking, str]]:
    """(booking, table name) of a company, by time."""
    query = (
        select(Booking, InterviewTable.name)
        .join(InterviewSlot, InterviewSlot.id == Booking.slot_id)
        .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
        .where(Booking.participation_id == participation_id)
        .options(selectinload(Booking.candidate))
        .order_by(Booking.starts_at, InterviewTable.name)
    )
    if not include_cancelled:
        query = query.where(Booking.active)
    return list(db.session.execute(query))


# --- organiser ----------------------------------------------------------------------------


def candidates_without_interviews(edition_id: int, limit: int = 500) -> list[User]:
    with_booking = select(Booking.candidate_id).where(Booking.edition_id == edition_id, Booking.active)
    return list(
        db.session.scalars(
            select(User)
            .join(Registration, Registration.user_id == User.id)
            .where(
                Registration.edition_id == edition_id,
                Registration.status == RegistrationStatus.REGISTERED,
                User.id.not_in(with_booking),
            )
            .order_by(collated(User.last_name), collated(User.first_name), User.id)
            .limit(limit)
        )
    )


def count_without_interviews(edition_id: int) -> int:
    with_booking = select(Booking.candidate_id).where(Booking.edition_id == edition_id, Booking.active)
    return (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.edition_id == edition_id,
                Registration.status == RegistrationStatus.REGISTERED,
                Registration.user_id.not_in(with_booking),
            )
        )
        or 0
    )
