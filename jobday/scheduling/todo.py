"""What a candidate's home lists about their interviews besides the agenda: slots offered to
them from waiting lists (with the deadline), their applications (with their state and a
proposed slot) and their wishes, all in one query (the home page counts its queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, bindparam, cast, literal, null, select, type_coerce, union_all

from jobday.companies.models import Company, InterviewSlot, Participation
from jobday.db import UTCDateTime, written_in
from jobday.driver_sql import DriverStatement
from jobday.scheduling.models import OFFERED, Application, WaitlistEntry, Wish


@dataclass(frozen=True)
class Line:
    id: int
    company: str
    participation_id: int
    status: str | None = None
    when: datetime | None = None  # the offered or proposed slot's start
    deadline: datetime | None = None  # an offer's
    order: int = 0  # a wish's rank


@dataclass
class Todo:
    offers: list[Line] = field(default_factory=list)
    applications: list[Line] = field(default_factory=list)
    wishes: list[Line] = field(default_factory=list)


def _moment(column):  # typed even where a part has none, so the union reads aware datetimes
    return column if column is not None else type_coerce(null(), UTCDateTime())


def _part(kind: str, model, *, status=None, when=None, deadline=None, order=None, created=None):
    return (select(literal(kind).label("kind"), model.id.label("id"), Company.name.label("company"),
                   model.participation_id.label("participation_id"),
                   type_coerce(cast(status, String) if status is not None else null(), String).label("status"),
                   _moment(when).label("when"), _moment(deadline).label("deadline"),
                   (order if order is not None else literal(0)).label("sort_order"),
                   _moment(created).label("created"))
            .join(Participation, Participation.id == model.participation_id)
            .join(Company, Company.id == Participation.company_id)
            # The edition compared as "edition_id + 0", which no index serves: SQLite's planner (no
            # statistics) took the edition's index and read every application of the edition.
            .where(model.candidate_id == bindparam("candidate_id"), model.edition_id + 0 == bindparam("edition_id")))


# Written into the statement, not bound (``written_in``): bound, it tripled the union's time.
_OFFERED = written_in(OFFERED)

# The three kinds of line on a candidate's to-do list (offers, applications, wishes) in one
# statement, built once (constructing the union cost more than running it) and sent to the driver
# (finding it in SQLAlchemy's cache did too). Read on the home page's GET only: nothing to flush.
_CANDIDATE_ACTION_ROWS = DriverStatement(union_all(
    _part("offer", WaitlistEntry, when=InterviewSlot.starts_at, deadline=WaitlistEntry.offer_expires_at)
    .join(InterviewSlot, InterviewSlot.id == WaitlistEntry.offered_slot_id)
    .where(WaitlistEntry.status == _OFFERED),
    _part("application", Application, status=Application.status, when=InterviewSlot.starts_at,
          created=Application.created_at)
    .outerjoin(InterviewSlot, InterviewSlot.id == Application.proposed_slot_id),
    _part("wish", Wish, order=Wish.rank),
))


def candidate_todo(candidate_id: int, edition_id: int) -> Todo:
    todo = Todo()
    rows = _CANDIDATE_ACTION_ROWS.session_all(candidate_id=candidate_id, edition_id=edition_id)
    lists = {"offer": todo.offers, "application": todo.applications, "wish": todo.wishes}
    for row in rows:
        lists[row.kind].append(Line(row.id, row.company, row.participation_id, row.status,
                                    row.when, row.deadline, row.sort_order))
    created = {row.id: row.created for row in rows if row.kind == "application"}
    todo.offers.sort(key=lambda line: line.deadline)
    todo.applications.sort(key=lambda line: (created[line.id], line.id), reverse=True)
    todo.wishes.sort(key=lambda line: line.order)
    return todo
