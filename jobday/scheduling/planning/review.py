"""What the scheduler page shows about a run besides its figures: what was fixed before it
ran (the organiser's locks, the bookings that already exist), the candidates it left without
an interview, and how it differs from another run (who gained, who lost an interview)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from jobday.accounts.models import User
from jobday.collation import collated, sorted_by
from jobday.companies.models import Company, InterviewSlot, Participation
from jobday.extensions import db
from jobday.scheduling.models import Booking, ScheduleAssignment, ScheduleRun, Wish

BOOKINGS_SHOWN = 500


@dataclass
class BookingRow:
    starts_at: datetime
    company: str
    candidate: str
    candidate_id: int
    source: object  # BookingSource


@dataclass
class Unplaced:
    user: User
    wished: list[str]  # the companies, by rank


@dataclass
class Change:
    user: User
    before: int
    after: int
    gained: list[str] = field(default_factory=list)  # companies
    lost: list[str] = field(default_factory=list)


@dataclass
class Diff:
    other: ScheduleRun
    gained: list[Change]  # more interviews than in ``other``
    lost: list[Change]  # fewer
    moved: int  # as many interviews, with other companies


def unplaced_ids(problem, schedule) -> list[int]:
    """The candidates with a wish that the schedule (existing interviews included) leaves
    without any interview; stored with the run, as its problem is not kept."""
    placed = {a.candidate_id for a in schedule.assignments}
    placed |= {candidate.id for candidate in problem.candidates if candidate.existing}
    return sorted({wish.candidate_id for wish in problem.wishes if not wish.suggested} - placed)


def locked_interviews(run: ScheduleRun) -> list[ScheduleAssignment]:
    return list(db.session.scalars(
        select(ScheduleAssignment)
        .where(ScheduleAssignment.run_id == run.id, ScheduleAssignment.locked)
        .join(InterviewSlot, InterviewSlot.id == ScheduleAssignment.slot_id)
        .options(selectinload(ScheduleAssignment.slot).selectinload(InterviewSlot.table),
                 selectinload(ScheduleAssignment.candidate))
        .order_by(InterviewSlot.starts_at, ScheduleAssignment.id)))


def existing_bookings(edition_id: int, limit: int = BOOKINGS_SHOWN) -> tuple[list[BookingRow], int]:
    """The edition's active bookings (every run keeps them), earliest first, and their number."""
    total = db.session.scalar(select(func.count(Booking.id)).where(
        Booking.edition_id == edition_id, Booking.active)) or 0
    rows = db.session.execute(
        select(Booking.starts_at, Company.name, User.first_name, User.last_name, User.email, User.id, Booking.source)
        .join(Participation, Participation.id == Booking.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .join(User, User.id == Booking.candidate_id)
        .where(Booking.edition_id == edition_id, Booking.active)
        .order_by(Booking.starts_at, collated(Company.name), Booking.id)
        .limit(limit))
    return [BookingRow(at, company, f"{first} {last}".strip() or email, user_id, source)
            for at, company, first, last, email, user_id, source in rows], total


def _company_names(edition_id: int) -> dict[int, str]:
    return dict(db.session.execute(
        select(Participation.id, Company.name).join(Company, Company.id == Participation.company_id)
        .where(Participation.edition_id == edition_id)).all())


def unplaced(run: ScheduleRun) -> list[Unplaced] | None:
    """The candidates the run left without an interview, by name, with the companies they
    wished; ``None`` for a run that did not record them."""
    ids = run.stats.get("unplaced")
    if ids is None:
        return None
    if not ids:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all()
    names = _company_names(run.edition_id)
    wished: dict[int, list[str]] = defaultdict(list)
    for candidate_id, participation_id in db.session.execute(
            select(Wish.candidate_id, Wish.participation_id)
            .where(Wish.edition_id == run.edition_id, Wish.candidate_id.in_(ids)).order_by(Wish.rank)):
        wished[candidate_id].append(names.get(participation_id, ""))
    ordered = sorted_by(users, lambda user: f"{user.last_name} {user.first_name}")
    return [Unplaced(user, wished[user.id]) for user in ordered]


def _companies_per_candidate(run_id: int) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for candidate_id, participation_id in db.session.execute(
            select(ScheduleAssignment.candidate_id, ScheduleAssignment.participation_id)
            .where(ScheduleAssignment.run_id == run_id)):
        found[candidate_id].append(participation_id)
    return found


def compare(run: ScheduleRun, other: ScheduleRun) -> Diff:
    """``run`` against ``other``: each candidate's interviews (locked and new; bookings that
    existed before are the same in both) counted and named by company."""
    now, before = _companies_per_candidate(run.id), _companies_per_candidate(other.id)
    changed = {cid for cid in now.keys() | before.keys() if sorted(now.get(cid, ())) != sorted(before.get(cid, ()))}
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(changed)))} if changed else {}
    names = _company_names(run.edition_id)
    gained, lost, moved = [], [], 0
    for cid in changed:
        after_ids, before_ids = now.get(cid, []), before.get(cid, [])
        change = Change(users[cid], len(before_ids), len(after_ids),
                        gained=sorted(names.get(p, "") for p in set(after_ids) - set(before_ids)),
                        lost=sorted(names.get(p, "") for p in set(before_ids) - set(after_ids)))
        if change.after > change.before:
            gained.append(change)
        elif change.after < change.before:
            lost.append(change)
        else:
            moved += 1

    def by_name(changes: list[Change]) -> list[Change]:
        return sorted_by(changes, lambda change: f"{change.user.last_name} {change.user.first_name}")

    return Diff(other, by_name(gained), by_name(lost), moved)


def comparable_runs(run: ScheduleRun, runs: list[ScheduleRun]) -> list[ScheduleRun]:
    """The earlier runs with a result (preview, published or discarded after a preview)."""
    return [other for other in runs if other.id != run.id and other.finished_at is not None]
