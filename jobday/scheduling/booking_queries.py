"""Who has which interview, as the pages and calendars list them: a candidate's agenda, a
company's bookings and its calendar feed's rows, and the organiser's candidates without an
interview. Statements built once where every page asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from jobday.accounts.models import User
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.collation import collated
from jobday.companies.models import Company, InterviewSlot, InterviewTable, Participation
from jobday.driver_sql import DriverStatement
from jobday.extensions import db
from jobday.scheduling.models import Booking
from jobday.scheduling.queries import DayPerson


class AgendaBooking(NamedTuple):
    """What the agenda, the home page, the calendars and the schedule's e-mail read of a booking
    (plain values: loading the bookings as objects cost more than the rest of the home's section)."""

    id: int
    participation_id: int
    starts_at: datetime
    ends_at: datetime
    active: bool
    sequence: int
    updated_at: datetime


@dataclass
class AgendaItem:
    booking: AgendaBooking
    company: str
    table: str
    stand: str


# Built once (every agenda, home page and calendar asks) and sent to the driver.
_AGENDA = (
    select(Booking.id, Booking.participation_id, Booking.starts_at, Booking.ends_at, Booking.active,
           Booking.sequence, Booking.updated_at, Company.name, InterviewTable.name, Participation.stand)
    .join(InterviewSlot, InterviewSlot.id == Booking.slot_id)
    .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
    .join(Participation, Participation.id == Booking.participation_id)
    .join(Company, Company.id == Participation.company_id)
    .where(Booking.candidate_id == bindparam("candidate_id"), Booking.edition_id == bindparam("edition_id"))
    .order_by(Booking.starts_at)
)
_ACTIVE_AGENDA = DriverStatement(_AGENDA.where(Booking.active))
_WHOLE_AGENDA = DriverStatement(_AGENDA)


def agenda_items(candidate_id: int, edition_id: int, *, include_cancelled: bool = False) -> list[AgendaItem]:
    query = _WHOLE_AGENDA if include_cancelled else _ACTIVE_AGENDA
    db.session.flush()  # as Session.execute would (the schedule's e-mails read after writing)
    return [
        AgendaItem(AgendaBooking(*row[:7]), company, table, stand or "")
        for *row, company, table, stand in query.session_all(candidate_id=candidate_id, edition_id=edition_id)
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


class CalendarBooking(NamedTuple):
    """A booking as the company's calendar shows it (``company_calendar_bookings``)."""

    id: int
    sequence: int
    starts_at: datetime
    ends_at: datetime
    active: bool
    updated_at: datetime
    table: str
    candidate: DayPerson


# ``company_bookings(include_cancelled=True)`` as plain rows with the candidate's name: built once.
_CALENDAR = (
    select(Booking.id, Booking.sequence, Booking.starts_at, Booking.ends_at, Booking.active, Booking.updated_at,
           InterviewTable.name, User.first_name, User.last_name, User.email)
    .join(InterviewSlot, InterviewSlot.id == Booking.slot_id)
    .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
    .join(User, User.id == Booking.candidate_id)
    .where(Booking.participation_id == bindparam("participation_id"))
    .order_by(Booking.starts_at, InterviewTable.name)
)


def company_calendar_bookings(participation_id: int) -> list[CalendarBooking]:
    """A company's bookings, cancelled ones too, by time: its calendar's events."""
    return [CalendarBooking(*row[:7], DayPerson.of(*row[7:]))
            for row in db.session.execute(_CALENDAR, {"participation_id": participation_id})]


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
