"""Long work (bulk PDFs, campaigns, the scheduler) runs on the job queue.

A feature registers a handler for a job kind from its ``init_app``::

    register_job_handler("badges.print", print_badges)
    # print_badges(job: Job, progress: Callable[[int, int], None]) -> JobResult

``start_job`` adds the row in the caller's transaction; ``enqueue`` hands it to huey once
the caller has committed. The handler runs in its own application context and database
session; ``progress(done, total)`` is written at once in a separate transaction so the
page that polls sees it. A failure is recorded with its reason; ``retry_job`` starts a new
job with the same parameters.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app, has_request_context
from flask_babel import force_locale, get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, update
from sqlalchemy.orm import Session

from jobday.db import utcnow
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.jobs import lease
from jobday.jobs.models import Job, JobStatus
from jobday.storage import ExpiringFile, new_key

log = logging.getLogger(__name__)
LOCALE_PARAM = "locale"


@dataclass
class JobResult:
    data: bytes | None = None  # a file to offer for download, kept RESULT_DAYS days
    name: str | None = None  # its file name
    summary: str = ""


Handler = Callable[[Job, Callable[[int, int], None]], JobResult | None]
_handlers: dict[str, Handler] = {}


class JobNotRetryable(DomainError):
    code = "job_not_retryable"
    message = _l("Only a failed job can be retried.")


def register_job_handler(kind: str, handler: Handler) -> None:
    _handlers[kind] = handler


_next_steps: dict[str, tuple[str, Any]] = {}


def register_next_step(kind: str, endpoint: str, label) -> None:
    """The page a finished job of ``kind`` leads to (e.g. the schedule a run proposed), with the
    button's (lazily translated) words: the job page says what to do next."""
    _next_steps[kind] = (endpoint, label)


def next_step(kind: str) -> tuple[str, Any] | None:
    return _next_steps.get(kind)


def start_job(kind: str, *, actor, params: dict | None = None) -> Job:
    if kind not in _handlers:
        raise ValueError(f"no handler for job kind {kind!r}")
    params = {**(params or {}), LOCALE_PARAM: _starter_locale(actor)}
    job = Job(kind=kind, params=params, started_by_id=actor.id if actor else None)
    db.session.add(job)
    db.session.flush()
    return job


def _starter_locale(actor) -> str:
    """The language the job's summary is written in: the page's, else the starter's choice."""
    if has_request_context():
        return str(get_locale())
    return getattr(actor, "locale", None) or current_app.config["BABEL_DEFAULT_LOCALE"]


def enqueue(job: Job) -> None:
    """Call after the commit that created the job.

    The id is read without reloading the row and the session's transaction is closed first:
    with an eager queue the job runs at once on other connections, and on SQLite an open
    transaction of the caller would hold the write lock they need.
    """
    job_id = inspect(job).identity[0]
    db.session.commit()
    current_app.extensions["jobday.huey_run_job"](job_id)


def retry_job(job: Job, *, actor) -> Job:
    if job.status != JobStatus.FAILED:
        raise JobNotRetryable()
    again = start_job(job.kind, actor=actor, params=dict(job.params))
    again.retry_of_id = job.id
    return again


def run_job(job_id: int) -> None:
    """Executed by the worker (or at once in tests and in eager mode)."""
    with Session(db.engine) as session:
        job = session.get(Job, job_id)
        if job is None or job.status != JobStatus.QUEUED:
            return  # already taken by another worker, or gone
        job.status, job.started_at = JobStatus.RUNNING, utcnow()
        job.worker, job.heartbeat_at = lease.this_worker(), job.started_at
        locale = job.params.get(LOCALE_PARAM) or current_app.config["BABEL_DEFAULT_LOCALE"]
        session.commit()
        kind = job.kind

    def progress(done: int, total: int) -> None:
        with Session(db.engine) as session:
            session.execute(update(Job).where(Job.id == job_id).values(done=done, total=total))
            session.commit()

    # The summary and the reason of a failure are written in the language of the person who
    # started the job, who reads them on its page.
    with force_locale(locale), lease.Heartbeat(job_id):
        try:
            job = db.session.get(Job, job_id)
            result = _handlers[kind](job, progress) or JobResult()
            db.session.commit()
        except Exception as error:  # recorded for the organiser, with the reason
            db.session.rollback()
            log.exception("Job %s (%s) failed", job_id, kind)
            _finish(job_id, status=JobStatus.FAILED, error=failure_text(error)[:500])
            return
        summary = str(result.summary)
    _finish(job_id, status=JobStatus.DONE, result=result, result_name=result.name,
            result_summary=summary[:500] or None)


def failure_text(error: Exception) -> str:
    """A rule's refusal in words; anything else as a technical detail for whoever investigates."""
    if isinstance(error, DomainError):
        return str(error.message)
    return gettext("an unexpected error (%(detail)s)", detail=f"{type(error).__name__}: {error}")


def _finish(job_id: int, result: JobResult | None = None, **values) -> None:
    """Record the end, and the result's file with it (in storage: any web process serves it)."""
    now = utcnow()
    with Session(db.engine) as session:
        if result is not None and result.data is not None:
            key = f"job-{job_id}-{new_key()}"
            session.add(ExpiringFile(key=key, kind="job", content_type=content_type_of(result.name),
                                     size=len(result.data), data=result.data,
                                     expires_at=now + timedelta(days=current_app.config["JOB_RESULT_DAYS"])))
            values["result_key"] = key
        # Only while still running here: a job marked failed meanwhile (its lease ran out) stays so.
        session.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING)
                        .values(finished_at=now, **values))
        session.commit()


def content_type_of(name: str | None) -> str:
    return mimetypes.guess_type(name or "")[0] or "application/octet-stream"
