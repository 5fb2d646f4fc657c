"""What the interview plan page shows of a company's tables: plain rows in two statements
built once and sent to the driver (the tables with their slots and who holds each; the tables'
opening hours), instead of ORM tables with three eager loads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import NamedTuple

from sqlalchemy import String, bindparam, select, type_coerce
from sqlalchemy.orm import aliased

from jobday.accounts.models import User
from jobday.companies.models import CompanyMember, InterviewSlot, InterviewTable, TableOpening
from jobday.driver_sql import DriverStatement


class PlanOpening(NamedTuple):
    day: date
    starts_at: time
    ends_at: time


class Holder(NamedTuple):
    display_name: str  # ``User.display_name``'s rule: the name, else the e-mail


class PlanSlot(NamedTuple):  # named tuples: a slot list's key among kept parts hashes without a call
    id: int
    starts_at: datetime
    ends_at: datetime
    status: str  # a ``SlotStatus`` code, read as a plain string
    held_by: Holder | None

    @property
    def is_held(self) -> bool:
        return self.held_by is not None


@dataclass
class PlanTable:
    id: int
    name: str
    recruiter_id: int | None
    recruiter: Holder | None = None
    openings: list[PlanOpening] = field(default_factory=list)  # by day and time
    slots: list[PlanSlot] = field(default_factory=list)  # by time

    @property
    def slots_shown(self) -> tuple:
        """What the slot list (``_macros.html``) shows of the table: its key among kept parts."""
        return self.name, tuple(self.slots)


_RECRUITER = aliased(User)
_TABLES = DriverStatement(
    select(InterviewTable.id, InterviewTable.name, InterviewTable.recruiter_id, InterviewSlot.id.label("slot_id"),
           InterviewSlot.starts_at, InterviewSlot.ends_at, type_coerce(InterviewSlot.status, String).label("status"),
           InterviewSlot.held_by_candidate_id, User.first_name, User.last_name, User.email,
           _RECRUITER.first_name.label("recruiter_first_name"), _RECRUITER.last_name.label("recruiter_last_name"),
           _RECRUITER.email.label("recruiter_email"))
    .select_from(InterviewTable)
    .outerjoin(_RECRUITER, _RECRUITER.id == InterviewTable.recruiter_id)
    .outerjoin(InterviewSlot, InterviewSlot.table_id == InterviewTable.id)
    .outerjoin(User, User.id == InterviewSlot.held_by_candidate_id)
    .where(InterviewTable.participation_id == bindparam("participation_id"))
    .order_by(InterviewTable.id, InterviewSlot.starts_at, InterviewSlot.id)
)

_OPENINGS = DriverStatement(
    select(TableOpening.table_id, TableOpening.day, TableOpening.starts_at, TableOpening.ends_at)
    .join(InterviewTable, InterviewTable.id == TableOpening.table_id)
    .where(InterviewTable.participation_id == bindparam("participation_id"))
    .order_by(TableOpening.table_id, TableOpening.day, TableOpening.starts_at)
)


def _holder(first_name: str, last_name: str, email: str) -> Holder:
    return Holder(f"{first_name} {last_name}".strip() or email)


def plan_tables(participation_id: int, *, with_openings: bool = True) -> list[PlanTable]:
    """The participation's tables (in the order they were added), their recruiter, hours
    (unless ``with_openings`` is false: the company page does not show them) and slots."""
    tables: dict[int, PlanTable] = {}
    for row in _TABLES.session_all(participation_id=participation_id):
        table = tables.get(row.id)
        if table is None:
            recruiter = None
            if row.recruiter_id is not None:
                recruiter = _holder(row.recruiter_first_name, row.recruiter_last_name, row.recruiter_email)
            table = tables[row.id] = PlanTable(row.id, row.name, row.recruiter_id, recruiter)
        if row.slot_id is None:
            continue
        holder = None
        if row.held_by_candidate_id is not None:
            holder = _holder(row.first_name, row.last_name, row.email)
        table.slots.append(PlanSlot(row.slot_id, row.starts_at, row.ends_at, row.status, holder))
    openings = _OPENINGS.session_all(participation_id=participation_id) if with_openings else ()
    for table_id, day, starts_at, ends_at in openings:
        if table_id in tables:
            tables[table_id].openings.append(PlanOpening(day, starts_at, ends_at))
    return list(tables.values())


_MEMBERS = DriverStatement(
    select(CompanyMember.user_id, User.first_name, User.last_name, User.email)
    .join(User, User.id == CompanyMember.user_id)
    .where(CompanyMember.company_id == bindparam("company_id"))
    .order_by(CompanyMember.id)  # the order of ``Company.members``: equal names stay in it
)


def recruiters_of(company_id: int) -> list[tuple[int, str]]:
    """The company's members (user id, display name) by name, for the choice of a table's recruiter."""
    people = [(user_id, f"{first_name} {last_name}".strip() or email)
              for user_id, first_name, last_name, email in _MEMBERS.session_all(company_id=company_id)]
    return sorted(people, key=lambda person: person[1].lower())
