"""Scheduler runs: a run reads the problem, solves it and stores the result as a preview
(``ScheduleRun`` + ``ScheduleAssignment``) that supersedes earlier previews."""

from __future__ import annotations

import logging
from dataclasses import replace

from jobday.accounts.models import User
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling import errors
from jobday.scheduling import solver as S
from jobday.scheduling.models import RUN_DISCARDED, RUN_PREVIEW, RUN_RUNNING, ScheduleAssignment, ScheduleRun
from jobday.scheduling.planning.locks import previous_locks
from jobday.scheduling.planning.problem import Built, build_problem
from jobday.scheduling.planning.review import unplaced_ids
from jobday.security import Role

log = logging.getLogger(__name__)
DEFAULT_TIME_LIMIT = 10.0


def start_run(edition: Edition, *, actor: User | None, keep_locks: bool = True,
              matching: bool = False) -> ScheduleRun:
    """A new run (the caller starts its job). Earlier previews are superseded. ``matching``:
    candidates without wishes may get interviews the matching suggests (``build_problem``)."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise errors.BookingNotFound()
    run = ScheduleRun(
        edition_id=edition.id,
        status=RUN_RUNNING,
        created_by_id=actor.id if actor else None,
        stats={"keep_locks": keep_locks, "matching": matching},
    )
    db.session.add(run)
    db.session.flush()
    return run


def prepare_run(run: ScheduleRun) -> Built:
    """Read the problem of the run's edition (with the last preview's locks if asked)."""
    edition = db.session.get(Edition, run.edition_id)
    locks = previous_locks(edition) if run.stats.get("keep_locks", True) else []
    return build_problem(edition, locks=locks, matching=run.stats.get("matching", False))


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
        matching=run.stats.get("matching", False),
        dropped_locks=built.dropped_locks,
        timed_out=schedule.timed_out,
        fill=_fill(schedule.stats),
        baseline=_stats_dict(schedule.baseline) if schedule.baseline else None,
        baseline_fill=_fill(schedule.baseline),
        unplaced=unplaced_ids(built.problem, schedule),
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
        "from_matching": stats.suggestions_met,
        "long_waits": stats.long_waits,
        "seconds": round(stats.seconds, 2),
        "proven_optimal": stats.proven_optimal,
        **_distance(stats),
    }


def _distance(stats: S.Stats) -> dict:
    """How far the schedule can be from the best possible, by the solver's bound:
    ``coverage_short`` candidates who might still get an interview, then (when none)
    ``weight_short`` weighted wishes; both ``None`` when no bound is known."""
    bound = stats.bound
    if bound is None:
        return {"coverage_short": None, "weight_short": None}
    coverage_short = max(0, bound.coverage - stats.coverage)
    return {"coverage_short": coverage_short,
            "weight_short": max(0, bound.weight - stats.weight) if coverage_short == 0 else None}
