"""The worker's jobs: solving a run (no transaction held while the solver works) and publishing it
(in short transactions)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from jobday.accounts.models import User
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.jobs.services import JobResult
from jobday.scheduling.errors import RunNotReady
from jobday.scheduling.models import RUN_FAILED, RUN_PREVIEW, RUN_PUBLISHING, ScheduleRun
from jobday.scheduling.planning.publish import (
    Published,
    begin_publication,
    book_rows,
    candidates_to_mail,
    companies_to_mail,
    finish_publication,
    mail_candidates,
    mail_companies,
    rows_of,
    system_actor,
)
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
    """The publication in short transactions (``PUBLISH_BATCH`` interviews or people each), so
    that pages keep answering on SQLite, whose write lock one transaction holds: booking 1,040
    interviews in one held it for half a minute. The run was marked "being published" by the
    request that started the job; a job started again after a stop goes on where it was."""
    run_id = job.params["run_id"]
    size = max(1, int(current_app.config.get("SCHEDULE_PUBLISH_BATCH", 50)))
    run = db.session.get(ScheduleRun, run_id)
    if run.status == RUN_PREVIEW:  # started without the request's mark (the command line)
        begin_publication(run, actor=None)
    elif run.status != RUN_PUBLISHING:
        raise RunNotReady()
    edition_id, now = run.edition_id, utcnow()
    actor_id = job.started_by_id
    rows = rows_of(run)
    candidate_ids, participation_ids = candidates_to_mail(edition_id, run_id), companies_to_mail(edition_id)
    db.session.commit()
    total = len(rows) + len(candidate_ids) + len(participation_ids)
    done, result = 0, Published()

    def step(count: int) -> None:
        nonlocal done
        db.session.commit()  # the batch's transaction ends: others may write now
        done += count
        progress(done, total)

    progress(0, total)
    for start in range(0, len(rows), size):
        chunk = rows[start:start + size]
        actor = db.session.get(User, actor_id) if actor_id else system_actor()
        booked, skipped = book_rows(chunk, actor=actor, now=now)
        result.booked, result.skipped = result.booked + booked, result.skipped + skipped
        step(len(chunk))
    actor = db.session.get(User, actor_id) if actor_id else None
    finish_publication(db.session.get(ScheduleRun, run_id), actor=actor, result=result, now=now)
    step(0)
    for start in range(0, len(candidate_ids), size):
        chunk = candidate_ids[start:start + size]
        run, edition = db.session.get(ScheduleRun, run_id), db.session.get(Edition, edition_id)
        result.candidates += mail_candidates(run, edition, chunk)
        step(len(chunk))
    for start in range(0, len(participation_ids), size):
        chunk = participation_ids[start:start + size]
        run, edition = db.session.get(ScheduleRun, run_id), db.session.get(Edition, edition_id)
        result.companies += mail_companies(run, edition, chunk)
        step(len(chunk))
    return JobResult(summary=publish_summary(result))


def publish_summary(result: Published) -> str:
    return " ".join((
        ngettext("%(num)d interview booked.", "%(num)d interviews booked.", result.booked),
        ngettext("%(num)d left out (no longer possible).", "%(num)d left out (no longer possible).",
                 result.skipped),
        _("E-mailed: %(candidates)s and %(companies)s.",
          candidates=ngettext("%(num)d candidate", "%(num)d candidates", result.candidates),
          companies=ngettext("%(num)d company", "%(num)d companies", result.companies))))
