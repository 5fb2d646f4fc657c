"""The worker's jobs: solving a run (no transaction held while the solver works) and publishing it."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from jobday.accounts.models import User
from jobday.db import utcnow
from jobday.extensions import db
from jobday.jobs.services import JobResult
from jobday.scheduling.models import RUN_FAILED, ScheduleRun
from jobday.scheduling.planning.publish import publish_run
from jobday.scheduling.planning.runs import DEFAULT_TIME_LIMIT, prepare_run, solve_built, store_preview


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
    return JobResult(summary=_("%(covered)d of %(candidates)d candidates with wishes get an interview; "
                               "%(met)d of %(wishes)d wishes met.", covered=stats["coverage"],
                               candidates=stats["candidates_with_wishes"], met=stats["wishes_met"],
                               wishes=stats["wishes"]))


def publish_job(job, progress) -> JobResult:
    run = db.session.get(ScheduleRun, job.params["run_id"])
    actor = db.session.get(User, job.started_by_id) if job.started_by_id else None
    # No progress writes: they would wait for the write lock this transaction holds on SQLite.
    result = publish_run(run, actor=actor)
    return JobResult(summary=" ".join((
        ngettext("%(num)d interview booked.", "%(num)d interviews booked.", result.booked),
        ngettext("%(num)d left out (no longer possible).", "%(num)d left out (no longer possible).",
                 result.skipped),
        _("E-mailed: %(candidates)s and %(companies)s.",
          candidates=ngettext("%(num)d candidate", "%(num)d candidates", result.candidates),
          companies=ngettext("%(num)d company", "%(num)d companies", result.companies)))))
