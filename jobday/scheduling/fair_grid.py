"""The organisers' interview grid: every approved company × the times of the fair, one table
per half-day so that a half-day fits a laptop screen, each slot with its state, table, time
and candidate (the name for the tooltip and for screen readers).

A half-day has a column per start time while there are at most ``MAX_COLUMNS`` of them.
Companies whose plans start at other times would multiply the columns: then the columns are
periods (the edition's usual slot-and-pause length, or longer so that ``MAX_COLUMNS`` hold the
half-day) and each slot sits in the column where it starts (its tooltip says its own time)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from jobday.accounts.models import User
from jobday.collation import collated
from jobday.companies.models import APPROVED, SLOT_BLOCKED, Company, InterviewSlot, InterviewTable, Participation
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling.models import Booking, SlotState

AFTERNOON = time(13, 0)  # a slot starting at 13:00 or later belongs to the afternoon
MAX_COLUMNS = 12
ROUND = 5  # minutes


@dataclass
class Cell:
    state: SlotState
    starts_at: datetime
    table: str
    candidate: str = ""  # the booked candidate's name


@dataclass
class GridRow:
    participation: Participation
    company: Company
    cells: dict[datetime, list[Cell]] = field(default_factory=dict)  # column start → its slots
    total: int = 0  # slots of this half-day, breaks left out
    booked: int = 0

    @property
    def fill(self) -> float:
        return self.booked / self.total if self.total else 0.0


@dataclass
class HalfDay:
    day: date
    afternoon: bool
    columns: list[datetime]
    rows: list[GridRow]


def _slots(edition_id: int):
    return db.session.execute(
        select(InterviewSlot.id, InterviewSlot.starts_at, InterviewSlot.status, InterviewTable.name,
               InterviewTable.participation_id)
        .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
        .join(Participation, Participation.id == InterviewTable.participation_id)
        .where(Participation.edition_id == edition_id, Participation.status == APPROVED)
        .order_by(InterviewSlot.starts_at, InterviewTable.name, InterviewSlot.id)).all()


def _bookings(edition_id: int) -> dict[int, tuple[str | None, str]]:
    """slot id → (outcome, candidate's name) for the active bookings."""
    rows = db.session.execute(
        select(Booking.slot_id, Booking.outcome, User.first_name, User.last_name, User.email)
        .join(User, User.id == Booking.candidate_id)
        .where(Booking.edition_id == edition_id, Booking.active))
    return {slot_id: (outcome, f"{first or ''} {last or ''}".strip() or email)
            for slot_id, outcome, first, last, email in rows}


def _state(slot_id: int, status, booked: dict) -> tuple[SlotState, str]:
    if slot_id in booked:
        outcome, name = booked[slot_id]
        return SlotState(outcome or SlotState.BOOKED), name  # held and no_show are slot states too
    return (SlotState.BLOCKED if status == SLOT_BLOCKED else SlotState.FREE), ""


def column_of(starts: list[datetime], usual: timedelta):
    """A function giving the column of a start time, for a half-day's sorted ``starts``."""
    distinct = sorted(set(starts))
    if len(distinct) <= MAX_COLUMNS:
        return lambda start: start
    span = (distinct[-1] - distinct[0]) / timedelta(minutes=1)
    least = math.ceil(span / (MAX_COLUMNS - 1) / ROUND) * ROUND
    step = max(usual, timedelta(minutes=least))
    first = distinct[0]
    return lambda start: first + (start - first) // step * step


def grid(edition: Edition) -> list[HalfDay]:
    """The edition's half-days in order, each with its columns and a row per approved
    company (in the reader's order, also where a company has no slot that half-day)."""
    participations = db.session.execute(
        select(Participation, Company).join(Company, Company.id == Participation.company_id)
        .where(Participation.edition_id == edition.id, Participation.status == APPROVED)
        .order_by(collated(Company.name))).all()
    zone = ZoneInfo(edition.timezone or "Europe/Brussels")
    booked = _bookings(edition.id)
    halves: dict[tuple[date, bool], list] = defaultdict(list)
    for slot in _slots(edition.id):
        local = slot.starts_at.astimezone(zone)
        halves[(local.date(), local.time() >= AFTERNOON)].append(slot)
    usual = timedelta(minutes=edition.default_slot_minutes + edition.default_pause_minutes)
    result = []
    for (day, afternoon), slots in sorted(halves.items()):
        column_at = column_of([slot.starts_at for slot in slots], usual)
        rows = {p.id: GridRow(p, c) for p, c in participations}
        columns = set()
        for slot_id, starts_at, status, table, pid in slots:
            column = column_at(starts_at)
            columns.add(column)
            state, name = _state(slot_id, status, booked)
            row = rows[pid]
            row.cells.setdefault(column, []).append(Cell(state, starts_at, table, name))
            if state != SlotState.BLOCKED:
                row.total += 1
                row.booked += state != SlotState.FREE
        for row in rows.values():
            for cells in row.cells.values():
                cells.sort(key=lambda cell: (cell.table, cell.starts_at))
        result.append(HalfDay(day, afternoon, sorted(columns), list(rows.values())))
    return result
