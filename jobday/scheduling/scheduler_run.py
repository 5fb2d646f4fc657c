"""The fair scheduler on the database: rows to a ``Problem``, a ``Schedule`` back to a
preview (``ScheduleRun`` + ``ScheduleAssignment``), organiser locks, and publication as
bookings with an e-mail to each person.

Times become whole minutes from midnight UTC of the day before the fair (so every local
time of the fair is positive). Company ids in the problem are participation ids, table and
slot ids are the database ids.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jobday.accounts.models import User
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import (
    APPLY_BOOKING,
    APPROVED,
    SLOT_BLOCKED,
    Company,
    InterviewSlot,
    InterviewTable,
    Participation,
)
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.jobs.services import JobResult
from jobday.scheduling import booking as bookings
from jobday.scheduling import errors, notify, queries
from jobday.scheduling import solver as S
from jobday.scheduling.models import (
    APP_ACCEPTED,
    AVAILABLE_AFTERNOON,
    AVAILABLE_MORNING,
    OFFERED,
    RUN_DISCARDED,
    RUN_FAILED,
    RUN_PREVIEW,
    RUN_PUBLISHED,
    RUN_RUNNING,
    SOURCE_SCHEDULER,
    Application,
    Availability,
    Booking,
    InterviewPolicy,
    ScheduleAssignment,
    ScheduleRun,
    Shortlist,
    WaitlistEntry,
    Wish,
)
from jobday.security import Role

log = logging.getLogger(__name__)
MORNING_ENDS, AFTERNOON_STARTS = time(13, 0), time(12, 0)
DEFAULT_TIME_LIMIT = 10.0


@dataclass
class Built:
    problem: S.Problem
    origin: datetime
    dropped_locks: int = 0
    notes: list[str] = field(default_factory=list)


def origin_of(edition: Edition) -> datetime:
    return datetime.combine(edition.starts_on - timedelta(days=1), time(0), tzinfo=UTC)


def _minutes(when: datetime, origin: datetime) -> int:
    return int((when - origin).total_seconds() // 60)


def _windows(edition: Edition, period: str, origin: datetime):
    if period not in (AVAILABLE_MORNING, AVAILABLE_AFTERNOON):
        return None
    zone = ZoneInfo(edition.timezone)
    windows = []
    day = edition.starts_on
    while day <= edition.ends_on:
        start = datetime.combine(day, time(0), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        if period == AVAILABLE_MORNING:
            end = datetime.combine(day, MORNING_ENDS, tzinfo=zone)
        else:
            start = datetime.combine(day, AFTERNOON_STARTS, tzinfo=zone)
        windows.append((_minutes(start, origin), _minutes(end, origin)))
        day += timedelta(days=1)
    return tuple(windows)


def build_problem(
    edition: Edition, *, locks: list[tuple[int, int]] = (), now: datetime | None = None
) -> Built:
    """The edition's scheduling problem; ``locks`` are (candidate id, slot id) pairs."""
    now = now or utcnow()
    origin = origin_of(edition)
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
    taken: set[int] = set()
    companies = []
    for participation in participations:
        tables = []
        for table in participation.tables:
            slots = []
            for slot in table.slots:
                slot_owner[slot.id] = participation.id
                if slot.status == SLOT_BLOCKED or slot.starts_at <= now:
                    taken.add(slot.id)
                slots.append(
                    S.Slot(
                        id=slot.id, start=_minutes(slot.starts_at, origin), end=_minutes(slot.ends_at, origin)
                    )
                )
            tables.append(S.Table(id=table.id, slots=tuple(slots)))
        extra = policies.get(participation.id)
        companies.append(
            S.Company(
                id=participation.id,
                tables=tuple(tables),
                max_per_candidate=extra if extra and extra > 1 else None,
            )
        )

    registered = select(Registration.user_id).where(
        Registration.edition_id == edition.id, Registration.status == RegistrationStatus.REGISTERED
    )
    wish_rows = db.session.execute(
        select(Wish.candidate_id, Wish.participation_id, Wish.rank)
        .where(
            Wish.edition_id == edition.id,
            Wish.candidate_id.in_(registered),
            Wish.participation_id.in_(list(slot_owner.values()) or [0]),
        )
        .order_by(Wish.candidate_id, Wish.rank)
    ).all()
    apply_mode = {p.id for p in participations if p.booking_mode == APPLY_BOOKING}
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
                Shortlist.participation_id.in_([p.id for p in participations] or [0])
            )
        )
    )
    wishes = []
    per_candidate_rank: dict[int, int] = defaultdict(int)
    for candidate_id, participation_id, _rank in wish_rows:
        pair = (candidate_id, participation_id)
        if participation_id in apply_mode and pair not in accepted and pair not in shortlisted:
            continue
        per_candidate_rank[candidate_id] += 1  # ranks stay dense after filtering
        wishes.append(
            S.Wish(
                candidate_id=candidate_id,
                company_id=participation_id,
                rank=per_candidate_rank[candidate_id],
                shortlisted=pair in shortlisted,
            )
        )
    candidate_ids = sorted({wish.candidate_id for wish in wishes})

    existing: dict[int, list[S.ExistingInterview]] = defaultdict(list)
    for booking in db.session.scalars(
        select(Booking).where(Booking.edition_id == edition.id, Booking.active)
    ):
        if booking.candidate_id in per_candidate_rank:
            existing[booking.candidate_id].append(
                S.ExistingInterview(
                    company_id=booking.participation_id,
                    start=_minutes(booking.starts_at, origin),
                    end=_minutes(booking.ends_at, origin),
                    slot_id=booking.slot_id if booking.slot_id in slot_owner else None,
                )
            )
        else:
            taken.add(booking.slot_id)
    held_by_problem = {interview.slot_id for items in existing.values() for interview in items}
    for slot_id in db.session.scalars(
        select(InterviewSlot.id).where(
            InterviewSlot.id.in_(list(slot_owner) or [0]), InterviewSlot.held_by_candidate_id.is_not(None)
        )
    ):
        if slot_id not in held_by_problem:
            taken.add(slot_id)
    taken |= set(
        db.session.scalars(
            select(WaitlistEntry.offered_slot_id).where(
                WaitlistEntry.edition_id == edition.id,
                WaitlistEntry.status == OFFERED,
                WaitlistEntry.offered_slot_id.is_not(None),
            )
        )
    )
    taken -= held_by_problem

    periods = dict(
        db.session.execute(
            select(Availability.candidate_id, Availability.period).where(
                Availability.edition_id == edition.id
            )
        ).all()
    )
    candidates = tuple(
        S.Candidate(
            id=cid,
            windows=_windows(edition, periods.get(cid, "all"), origin),
            existing=tuple(existing.get(cid, ())),
        )
        for cid in candidate_ids
    )
    settings = S.Settings(
        gap_minutes=edition.interview_gap_minutes,
        max_per_company=1,
        max_per_candidate=edition.max_interviews_per_candidate,
        max_rank=edition.max_wishes,
    )
    valid_locks, dropped = [], 0
    used = set()
    for candidate_id, slot_id in locks:
        if (
            candidate_id in per_candidate_rank
            and slot_id in slot_owner
            and slot_id not in taken
            and slot_id not in held_by_problem
            and slot_id not in used
        ):
            valid_locks.append(S.Lock(candidate_id=candidate_id, slot_id=slot_id))
            used.add(slot_id)
        else:
            dropped += 1
    problem = S.Problem(
        candidates=candidates,
        companies=tuple(companies),
        wishes=tuple(wishes),
        settings=settings,
        locked=tuple(valid_locks),
        taken_slots=frozenset(taken),
    )
    return Built(problem, origin, dropped)


# --- runs ---------------------------------------------------------------------------------------


def latest_run(edition: Edition) -> ScheduleRun | None:
    return db.session.scalar(
        select(ScheduleRun)
        .where(ScheduleRun.edition_id == edition.id)
        .order_by(ScheduleRun.id.desc())
        .limit(1)
    )


def previous_locks(edition: Edition) -> list[tuple[int, int]]:
    run = db.session.scalar(
        select(ScheduleRun)
        .where(ScheduleRun.edition_id == edition.id, ScheduleRun.status == RUN_PREVIEW)
        .order_by(ScheduleRun.id.desc())
        .limit(1)
    )
    if run is None:
        return []
    return list(
        db.session.execute(
            select(ScheduleAssignment.candidate_id, ScheduleAssignment.slot_id).where(
                ScheduleAssignment.run_id == run.id, ScheduleAssignment.locked
            )
        )
    )


def start_run(edition: Edition, *, actor: User | None, keep_locks: bool = True) -> ScheduleRun:
    """A new run (the caller starts its job). Earlier previews are superseded."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise errors.BookingNotFound()
    run = ScheduleRun(
        edition_id=edition.id,
        status=RUN_RUNNING,
        created_by_id=actor.id if actor else None,
        stats={"keep_locks": keep_locks},
    )
    db.session.add(run)
    db.session.flush()
    return run


def _fill(stats: S.Stats | None) -> dict:
    if stats is None:
        return {}
    return {str(k): [f.slots, f.open, f.booked] for k, f in stats.company_fill.items()}


def _stats_dict(stats: S.Stats) -> dict:
    return {
        "coverage": stats.coverage,
        "candidates_with_wishes": stats.candidates_with_wishes,
        "wishes": stats.wishes,
        "wishes_met": stats.wishes_met,
        "weight": stats.weight,
        "interviews": stats.interviews,
        "new_interviews": stats.new_interviews,
        "long_waits": stats.long_waits,
        "seconds": round(stats.seconds, 2),
        "proven_optimal": stats.proven_optimal,
    }


def prepare_run(run: ScheduleRun) -> Built:
    """Read the problem of the run's edition (with the last preview's locks if asked)."""
    edition = db.session.get(Edition, run.edition_id)
    locks = previous_locks(edition) if run.stats.get("keep_locks", True) else []
    return build_problem(edition, locks=locks)


def solve_built(built: Built, *, progress=None, time_limit: float = DEFAULT_TIME_LIMIT, workers: int = 2):
    """The solver on a built problem; no database access (a job commits before calling it, so
    its progress writes never wait for a lock this one holds)."""
    try:
        schedule = S.solve(built.problem, time_limit=time_limit, workers=workers, progress=progress)
    except S.ProblemError as error:  # e.g. locks that no longer hold: run again without them
        log.warning("Scheduler input refused (%s); running again without locks", error)
        built.dropped_locks += len(built.problem.locked)
        built.problem = replace(built.problem, locked=())
        schedule = S.solve(built.problem, time_limit=time_limit, workers=workers, progress=progress)
    problems = S.validate(built.problem, schedule)
    if problems:
        raise RuntimeError("the scheduler returned an invalid schedule: " + "; ".join(problems[:3]))
    return schedule


def execute_run(
    run: ScheduleRun, *, progress=None, time_limit: float = DEFAULT_TIME_LIMIT, workers: int = 2
) -> ScheduleRun:
    """Read, solve and store the preview in ``run`` (one transaction)."""
    built = prepare_run(run)
    schedule = solve_built(built, progress=progress, time_limit=time_limit, workers=workers)
    return store_preview(run, built, schedule)


def store_preview(run: ScheduleRun, built: Built, schedule) -> ScheduleRun:
    for item in schedule.assignments:
        db.session.add(
            ScheduleAssignment(
                run_id=run.id,
                candidate_id=item.candidate_id,
                slot_id=item.slot_id,
                participation_id=item.company_id,
                locked=item.locked,
            )
        )
    stats = _stats_dict(schedule.stats)
    stats.update(
        keep_locks=run.stats.get("keep_locks", True),
        dropped_locks=built.dropped_locks,
        timed_out=schedule.timed_out,
        fill=_fill(schedule.stats),
        baseline=_stats_dict(schedule.baseline) if schedule.baseline else None,
        baseline_fill=_fill(schedule.baseline),
    )
    db.session.execute(
        ScheduleRun.__table__.update()
        .where(
            ScheduleRun.edition_id == run.edition_id,
            ScheduleRun.status == RUN_PREVIEW,
            ScheduleRun.id != run.id,
        )
        .values(status=RUN_DISCARDED)
    )
    run.stats, run.status, run.finished_at = stats, RUN_PREVIEW, utcnow()
    db.session.flush()
    return run


def set_locked(assignment: ScheduleAssignment, locked: bool, *, actor: User) -> None:
    if not actor.has_role(Role.ADMIN):
        raise errors.BookingNotFound()
    if assignment.run.status != RUN_PREVIEW:
        raise errors.RunNotReady()
    assignment.locked = locked
    db.session.flush()


@dataclass
class Published:
    booked: int = 0
    skipped: int = 0
    candidates: int = 0
    companies: int = 0


def publish_run(
    run: ScheduleRun, *, actor: User | None, now: datetime | None = None, progress=None
) -> Published:
    """Book every interview of the preview (skipping any that a booking made since then
    contradicts) and e-mail each candidate and each company their schedule."""
    now = now or utcnow()
    run = db.session.scalar(
        select(ScheduleRun)
        .where(ScheduleRun.id == run.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if run.status != RUN_PREVIEW:
        raise errors.RunNotReady()
    edition = db.session.get(Edition, run.edition_id)
    organiser = actor or _system_actor()
    result = Published()
    rows = list(
        db.session.scalars(
            select(ScheduleAssignment)
            .where(ScheduleAssignment.run_id == run.id)
            .order_by(ScheduleAssignment.candidate_id, ScheduleAssignment.slot_id)
        )
    )
    users = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({row.candidate_id for row in rows} or {0}))
        )
    }
    for done, row in enumerate(rows, start=1):
        try:
            bookings.book_slot(
                users[row.candidate_id],
                row.slot_id,
                actor=organiser,
                source=SOURCE_SCHEDULER,
                now=now,
                notify_candidate=False,
            )
            result.booked += 1
        except errors.DomainError:
            result.skipped += 1
        if progress and done % 100 == 0:
            progress(done, len(rows))
    run.status, run.published_at = RUN_PUBLISHED, now
    db.session.flush()
    _mail_schedules(edition, {row.candidate_id for row in rows}, result)
    return result


def _system_actor() -> User:
    """The CLI publishes as the first organiser account."""
    from jobday.accounts.models import UserRole

    admin = db.session.scalar(select(User).join(UserRole).where(UserRole.role == str(Role.ADMIN)).limit(1))
    if admin is None:
        raise errors.RunNotReady(message="No organiser account exists to publish as.")
    return admin


def _mail_schedules(edition: Edition, candidate_ids: set[int], result: Published) -> None:
    registered = db.session.scalars(
        select(User)
        .join(Registration, Registration.user_id == User.id)
        .where(
            Registration.edition_id == edition.id,
            Registration.status == RegistrationStatus.REGISTERED,
            User.id.in_(select(Wish.candidate_id).where(Wish.edition_id == edition.id)),
        )
    )
    for user in registered:
        items = [
            {"starts_at": i.booking.starts_at, "company": i.company, "table": i.table, "stand": i.stand}
            for i in queries.agenda_items(user.id, edition.id)
        ]
        notify.schedule_published_candidate(user, edition, items)
        result.candidates += 1
    for participation, company in db.session.execute(
        select(Participation, Company)
        .join(Company, Company.id == Participation.company_id)
        .where(Participation.edition_id == edition.id, Participation.status == APPROVED)
    ).all():
        items = [
            {"starts_at": b.starts_at, "table": table, "candidate": b.candidate.display_name}
            for b, table in queries.company_bookings(participation.id)
        ]
        if not items:
            continue
        for recruiter in notify.company_recruiters(company.id):
            notify.schedule_published_company(recruiter, edition, company.name, items)
        result.companies += 1


# --- jobs -----------------------------------------------------------------------------------------


def solve_job(job, progress) -> JobResult:
    run_id = job.params["run_id"]
    time_limit = float(job.params.get("time_limit", DEFAULT_TIME_LIMIT))  # read before the commit below
    run = db.session.get(ScheduleRun, run_id)
    try:
        built = prepare_run(run)
        db.session.commit()  # no transaction (nor SQLite write lock) held while solving
        schedule = solve_built(
            built,
            progress=lambda _phase, fraction: progress(int(fraction * 100), 100),
            time_limit=time_limit,
        )
        run = store_preview(db.session.get(ScheduleRun, run_id), built, schedule)
    except Exception as error:
        db.session.rollback()
        run = db.session.get(ScheduleRun, run_id)
        run.status, run.error, run.finished_at = (
            RUN_FAILED,
            f"{type(error).__name__}: {error}"[:500],
            utcnow(),
        )
        db.session.commit()
        raise
    stats = run.stats
    return JobResult(
        summary=f"coverage {stats['coverage']}/{stats['candidates_with_wishes']}, "
        f"wishes met {stats['wishes_met']}/{stats['wishes']}"
    )


def publish_job(job, progress) -> JobResult:
    run = db.session.get(ScheduleRun, job.params["run_id"])
    actor = db.session.get(User, job.started_by_id) if job.started_by_id else None
    # No progress writes: they would wait for the write lock this transaction holds on SQLite.
    result = publish_run(run, actor=actor)
    return JobResult(
        summary=f"{result.booked} interviews booked, {result.skipped} skipped, "
        f"{result.candidates} candidates and {result.companies} companies e-mailed"
    )
