"""Read models for the scheduling pages: each returns plain rows, eagerly loaded, so
templates never query. Their statements run on the session's connection: plain rows need
nothing of the ORM's execution (which costs as much again as a small statement)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Row, Select, and_, bindparam, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from jobday.accounts.models import User
from jobday.candidates.consent import shares_profile_with_company
from jobday.candidates.models import CandidateProfile
from jobday.collation import collated, collator, like_folded
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
from jobday.db import utcnow, written_in
from jobday.driver_sql import DriverStatement
from jobday.extensions import db
from jobday.scheduling.models import (
    OFFERED,
    OUTCOME_HELD,
    OUTCOME_NO_SHOW,
    WAITLIST_OPEN,
    Application,
    ApplicationStatus,
    Booking,
    SlotState,
    WaitlistEntry,
)


class Exhibitor(NamedTuple):
    id: int
    name: str


class Stand(NamedTuple):
    id: int  # the participation's
    stand: str | None
    booking_mode: str


@dataclass
class CompanyRow:
    participation: Stand  # the few columns the company list shows, not the entities
    company: Exhibitor
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
    """The edition's approved companies in the reader's order of names, with their free slots
    (starting after ``now`` when given) and whether ``candidate_id`` has an interview there:
    one statement."""
    query = _approved_companies(now is not None, candidate_id is not None)
    if search.strip():
        query = query.where(Company.name_key.like(like_folded(search), escape="\\"))
    if contract or level or area:
        query = query.where(Company.id.in_(_offered_by(contract, level, area)))
    rows = db.session.connection().execute(query, {"edition_id": edition_id, "now": now, "candidate_id": candidate_id})
    # Sorted here by ICU sort keys (``collation.sort_key``, one per company): on SQLite an ORDER BY
    # of the collation calls back into Python for each of its comparisons, several per company.
    order = collator()
    return [
        CompanyRow(Stand(pid, stand, mode), Exhibitor(cid, name), free_slots, bool(booked))
        for _key, cid, pid, stand, mode, name, free_slots, booked in sorted(
            (order.getSortKey(name), cid, pid, stand, mode, name, free_slots, booked)
            for pid, stand, mode, cid, name, free_slots, booked in rows
        )
    ]


def _offered_by(contract: str, level: str, area: str) -> Select:
    """The companies with an open offer of this contract, level and area (those given)."""
    offers = select(JobOffer.company_id).where(JobOffer.closed_at.is_(None))
    if contract:
        offers = offers.where(JobOffer.contract_type == contract)
    if level:
        offers = offers.where(JobOffer.education_level == level)
    if area:
        offers = offers.join(JobOfferArea, JobOfferArea.offer_id == JobOffer.id).where(
            JobOfferArea.area == area
        )
    return offers


_APPROVED_COMPANIES: dict[tuple, Select] = {}


def _approved_companies(with_now: bool, with_candidate: bool) -> Select:
    """The list's statement without its filters (nor order), built once per variant: the list
    is every candidate's first page in a booking rush."""
    key = (with_now, with_candidate)
    if key in _APPROVED_COMPANIES:
        return _APPROVED_COMPANIES[key]
    # The free slots counted while joining each company's tables and slots (the slots through
    # their (table_id, starts_at) key), grouped by the participation it starts from: no temporary
    # B-tree. The count's condition stays out of the WHERE, or SQLite drives the join from the
    # index on held_by_candidate_id (every free slot of every edition, then a sort to group them).
    slots_joined = InterviewSlot.table_id == InterviewTable.id
    if with_now:
        slots_joined = and_(slots_joined, InterviewSlot.starts_at > bindparam("now"))
    free = func.count(case((and_(InterviewSlot.status == "free", InterviewSlot.held_by_candidate_id.is_(None)), 1)))
    mine = (
        select(Booking.id)
        .where(
            Booking.participation_id == Participation.id,
            Booking.candidate_id == bindparam("candidate_id"),
            Booking.edition_id == bindparam("edition_id"),
            Booking.active,
        )
        .exists()
        if with_candidate
        else literal(False)
    )
    query = _APPROVED_COMPANIES[key] = (
        select(Participation.id, Participation.stand, Participation.booking_mode, Company.id, Company.name,
               free, mine)
        .join(Company, Company.id == Participation.company_id)
        .outerjoin(InterviewTable, InterviewTable.participation_id == Participation.id)
        .outerjoin(InterviewSlot, slots_joined)
        .where(Participation.edition_id == bindparam("edition_id"), Participation.status == APPROVED)
        .group_by(Participation.id, Company.id)  # the other columns depend on these keys (PostgreSQL)
    )
    return query


@dataclass
class SlotView:
    slot: DaySlot | GridSlot
    state: str  # free | booked | blocked | offered | mine | held | no_show
    booking: DayBooking | None = None


@dataclass
class TableView:
    table: DayTable | GridTable
    slots: list[SlotView] = field(default_factory=list)


class DayPerson(NamedTuple):
    """A name on the day page (``User.display_name``'s rule: the name, else the e-mail)."""

    display_name: str

    @classmethod
    def of(cls, first_name: str, last_name: str, email: str) -> DayPerson:
        return cls(f"{first_name} {last_name}".strip() or email)


class DayTable(NamedTuple):
    id: int
    name: str
    recruiter: DayPerson | None


class DaySlot(NamedTuple):
    id: int
    starts_at: datetime
    ends_at: datetime


class DayBooking(NamedTuple):
    """An active booking as the day page and ``day.can_release`` read it."""

    id: int
    candidate_id: int
    candidate: DayPerson
    outcome: str | None
    starts_at: datetime
    ends_at: datetime
    edition_id: int
    active: bool = True
    shares_profile: bool = False  # with the company (``profile_shared``: they booked with it)
    has_cv: bool = False


_Recruiter = aliased(User)


def _slots_of_tables(*columns) -> Select:
    """The participation's tables (each once without a slot when it has none), their slots,
    each slot's active booking and its offer to the waiting list: the join chain of the day
    page and of the candidates' grid (bound parameters ``participation_id`` and ``now``)."""
    return (
        select(*columns)
        .select_from(InterviewTable)
        .outerjoin(InterviewSlot, InterviewSlot.table_id == InterviewTable.id)
        .outerjoin(Booking, and_(Booking.slot_id == InterviewSlot.id, Booking.active))
        .outerjoin(
            WaitlistEntry,
            and_(
                WaitlistEntry.offered_slot_id == InterviewSlot.id,
                WaitlistEntry.status == written_in(OFFERED),
                WaitlistEntry.offer_expires_at > bindparam("now"),
            ),
        )
        .where(InterviewTable.participation_id == bindparam("participation_id"))
        .order_by(InterviewTable.name, InterviewTable.id, InterviewSlot.starts_at, InterviewSlot.id)
    )


# The company's tables, their slots, active bookings and candidates (whether each shares their
# profile with the company, which they booked with, and has a CV), the recruiter at each table
# and the slots offered to the waiting list: one statement, built once.
_DAY = DriverStatement(
    _slots_of_tables(
        InterviewTable.id,
        InterviewTable.name,
        _Recruiter.first_name,
        _Recruiter.last_name,
        _Recruiter.email,
        InterviewSlot.id.label("slot_id"),
        InterviewSlot.starts_at,
        InterviewSlot.ends_at,
        InterviewSlot.status,
        InterviewSlot.held_by_candidate_id,
        Booking.id.label("booking_id"),
        Booking.candidate_id,
        Booking.outcome,
        Booking.starts_at.label("booking_starts_at"),
        Booking.ends_at.label("booking_ends_at"),
        Booking.edition_id,
        User.first_name.label("candidate_first_name"),
        User.last_name.label("candidate_last_name"),
        User.email.label("candidate_email"),
        shares_profile_with_company(User.id, Booking.edition_id, applied_or_booked=True).label("shares_profile"),
        CandidateProfile.cv_stored_name.is_not(None).label("has_cv"),
        WaitlistEntry.id.label("offer_id"),
    )
    .outerjoin(_Recruiter, _Recruiter.id == InterviewTable.recruiter_id)
    .outerjoin(User, User.id == Booking.candidate_id)
    .outerjoin(CandidateProfile, CandidateProfile.user_id == Booking.candidate_id)
)


def table_views(participation_id: int, *, now: datetime | None = None) -> list[TableView]:
    """The company's tables (by name) and their slots (by time) with their state, the active
    booking and its candidate's name: the recruiters' day page, in one statement."""
    now = now or utcnow()
    views: list[TableView] = []
    seen: set[int] = set()
    for row in _DAY.session_all(participation_id=participation_id, now=now):
        if not views or views[-1].table.id != row.id:
            recruiter = DayPerson.of(row.first_name, row.last_name, row.email) if row.email is not None else None
            views.append(TableView(DayTable(row.id, row.name, recruiter)))
        if row.slot_id is None or row.slot_id in seen:
            continue
        seen.add(row.slot_id)
        booking = None
        if row.booking_id is not None:
            booking = DayBooking(row.booking_id, row.candidate_id,
                                 DayPerson.of(row.candidate_first_name, row.candidate_last_name, row.candidate_email),
                                 row.outcome, row.booking_starts_at, row.booking_ends_at, row.edition_id,
                                 shares_profile=bool(row.shares_profile), has_cv=bool(row.has_cv))
            state = (
                SlotState.HELD
                if row.outcome == OUTCOME_HELD
                else SlotState.NO_SHOW
                if row.outcome == OUTCOME_NO_SHOW
                else SlotState.BOOKED
            )
        elif row.status == SLOT_BLOCKED:
            state = SlotState.BLOCKED
        elif row.held_by_candidate_id is not None:
            state = SlotState.BOOKED
        elif row.offer_id is not None:
            state = SlotState.OFFERED
        else:
            state = SlotState.FREE
        views[-1].slots.append(SlotView(DaySlot(row.slot_id, row.starts_at, row.ends_at), state, booking))
    return views


# --- a company's page, as a candidate sees it --------------------------------------------------


class GridTable(NamedTuple):
    id: int
    name: str


class GridSlot(NamedTuple):
    id: int
    starts_at: datetime
    ends_at: datetime


# Each slot with what the candidate may know of it: taken or not (by them, or held, or a
# no-show), a break, offered to the waiting list; nobody else's name. Tables without slots
# come as one row without a slot. Built once (it costs as much to build as to run).
_GRID = DriverStatement(_slots_of_tables(
    InterviewTable.id,
    InterviewTable.name,
    InterviewSlot.id.label("slot_id"),
    InterviewSlot.starts_at,
    InterviewSlot.ends_at,
    InterviewSlot.status,
    InterviewSlot.held_by_candidate_id,
    Booking.candidate_id,
    Booking.outcome,
    WaitlistEntry.id.label("offer_id"),
))


def candidate_grid(participation_id: int, *, now: datetime, candidate_id: int) -> list[TableView]:
    """The company's tables and slots with their state for ``candidate_id`` (``table_views``
    read in one statement, with the columns the candidate's page shows: no bookings, no users)."""
    views: list[TableView] = []
    seen: set[int] = set()
    rows = _GRID.session_all(participation_id=participation_id, now=now)
    for table_id, name, slot_id, starts_at, ends_at, status, held_by, booker, outcome, offer in rows:
        if not views or views[-1].table.id != table_id:
            views.append(TableView(GridTable(table_id, name)))
        if slot_id is None or slot_id in seen:
            continue
        seen.add(slot_id)
        if booker is not None:
            state = (
                SlotState.MINE
                if booker == candidate_id
                else SlotState.HELD
                if outcome == OUTCOME_HELD
                else SlotState.NO_SHOW
                if outcome == OUTCOME_NO_SHOW
                else SlotState.BOOKED
            )
        elif status == SLOT_BLOCKED:
            state = SlotState.BLOCKED
        elif held_by is not None:
            state = SlotState.BOOKED
        elif offer is not None:
            state = SlotState.OFFERED
        else:
            state = SlotState.FREE
        views[-1].slots.append(SlotView(GridSlot(slot_id, starts_at, ends_at), state))
    return views


class HeadParticipation(NamedTuple):
    """The participation's columns a company page reads (plain, not the entity)."""

    id: int
    edition_id: int
    company_id: int
    stand: str | None
    booking_mode: str
    status: str
    is_approved = Participation.is_approved  # the entity's rules, read from these columns


class HeadCompany(NamedTuple):
    """The company's columns a company page reads (its heading, logo, description, website)."""

    id: int
    name: str
    website: str
    logo_filename: str | None
    description_fr: str
    description_en: str
    description = Company.description


_HEAD_COLUMNS = (
    Participation.id, Participation.edition_id, Participation.company_id, Participation.stand,
    Participation.booking_mode, Participation.status,
    Company.id, Company.name, Company.website, Company.logo_filename, Company.description_fr, Company.description_en,
)


@dataclass
class CompanyHead:
    """A company as the candidate's page opens it: the participation and company, the
    candidate's application there and place in its waiting list (None: none), and whether
    waiting-list offers of the edition are overdue (``waitlist.offers_due``)."""

    participation: HeadParticipation
    company: HeadCompany
    application_status: ApplicationStatus | None
    waitlist_position: int | None  # 1 for the first in line
    offers_due: bool


def _open(status):
    """``status`` is open (``WAITLIST_OPEN``), written in as comparisons: an ``IN`` list is expanded
    at each execution, which the driver's statements (``DriverStatement``) do not do."""
    return or_(*(status == written_in(open_status) for open_status in WAITLIST_OPEN))


def _company_head():
    me, ahead = aliased(WaitlistEntry), aliased(WaitlistEntry)
    application = (
        select(Application.status)
        .where(Application.candidate_id == bindparam("candidate_id"), Application.participation_id == Participation.id)
        .scalar_subquery()
    )
    position = (  # waitlist.position of the candidate's open entry, if any
        select(func.count(ahead.id) + 1)
        .select_from(me)
        .outerjoin(
            ahead,
            and_(
                ahead.participation_id == me.participation_id,
                _open(ahead.status),
                or_(ahead.joined_at < me.joined_at, and_(ahead.joined_at == me.joined_at, ahead.id < me.id)),
            ),
        )
        .where(
            me.candidate_id == bindparam("candidate_id"),
            me.participation_id == Participation.id,
            _open(me.status),
        )
        .group_by(me.id)
        .scalar_subquery()
    )
    offers_due = (
        select(WaitlistEntry.id)
        .where(
            WaitlistEntry.edition_id == Participation.edition_id,
            WaitlistEntry.status == written_in(OFFERED),
            WaitlistEntry.offer_expires_at <= bindparam("now"),
        )
        .exists()
    )
    return (
        select(*_HEAD_COLUMNS, application, position, offers_due)
        .join(Company, Company.id == Participation.company_id)
        .where(Participation.id == bindparam("participation_id"))
    )


# Straight to the driver: finding this tree of subqueries in SQLAlchemy's cache cost more than running it.
_COMPANY_HEAD = DriverStatement(_company_head())


def company_head(participation_id: int, candidate_id: int, *, now: datetime) -> CompanyHead | None:
    row = _COMPANY_HEAD.session_first(participation_id=participation_id, candidate_id=candidate_id, now=now)
    if row is None:
        return None
    return CompanyHead(HeadParticipation(*row[:6]), HeadCompany(*row[6:12]), row[12], row[13], bool(row[14]))


def open_offers(company_id: int) -> list[Row]:
    """The company's open offers in the reader's order: (id, title, contract_type, education_level)."""
    order = collated(JobOffer.title)
    statement = _OPEN_OFFERS.get(order.right.collation)  # COLLATE name: one per database and language
    if statement is None:
        statement = _OPEN_OFFERS[order.right.collation] = (
            select(JobOffer.id, JobOffer.title, JobOffer.contract_type, JobOffer.education_level)
            .where(JobOffer.company_id == bindparam("company_id"), JobOffer.closed_at.is_(None))
            .order_by(order)
        )
    return list(db.session.connection().execute(statement, {"company_id": company_id}))


_OPEN_OFFERS: dict[str, Select] = {}
