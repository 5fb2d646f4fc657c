"""Whether a running job's worker still runs it: a lease renewed by a heartbeat.

A worker that takes a job writes who it is (``worker``: host, process id and a token drawn
when the process started) and renews ``heartbeat_at`` every ``JOB_HEARTBEAT_SECONDS`` from a
thread while the handler runs. A worker killed (out of memory, a deploy, ``kill -9``) stops
renewing, and its jobs stayed "running" for ever. ``recover_abandoned`` marks failed, with a
reason the organiser reads and a retry button, every running job whose worker is known to be
gone (a process of this machine that no longer exists, or an earlier process with the same
id) or whose heartbeat is older than ``JOB_LEASE_SECONDS``. Every worker runs it when it
starts, once more when a lease has had time to run out, and every minute.
A job is not re-queued by itself: a bulk print or a campaign half done is for the organiser
to start again (a campaign's e-mails are never sent twice: their outbox keys).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jobday.db import utcnow
from jobday.extensions import db
from jobday.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

_HOST = socket.gethostname()
_TOKEN = secrets.token_hex(4)


def this_worker() -> str:
    return f"{_HOST}:{os.getpid()}:{_TOKEN}"


def _gone(worker: str | None) -> bool:
    """Whether the worker is known to have stopped (only a process of this machine can be known)."""
    host, _, rest = (worker or "").partition(":")
    pid_text, _, token = rest.partition(":")
    if host != _HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return token != _TOKEN  # an earlier process that had our id (a container restarted)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def _settings() -> tuple[float, timedelta]:
    config = current_app.config
    return float(config["JOB_HEARTBEAT_SECONDS"]), timedelta(seconds=float(config["JOB_LEASE_SECONDS"]))


class Heartbeat:
    """``with Heartbeat(job_id):`` renews the job's lease from a thread while the block runs."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.app = current_app._get_current_object()
        self.interval, _lease = _settings()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-job-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stopped.set()
        self.thread.join()

    def _run(self) -> None:
        with self.app.app_context():
            while not self.stopped.wait(self.interval):
                try:
                    with Session(db.engine) as session:
                        session.execute(update(Job).where(Job.id == self.job_id, Job.status == JobStatus.RUNNING)
                                        .values(heartbeat_at=utcnow()))
                        session.commit()
                except Exception:  # the database is away for a moment: the next beat tries again
                    log.warning("Heartbeat of job %s failed", self.job_id, exc_info=True)


def recover_abandoned() -> list[int]:
    """Mark failed the running jobs whose worker stopped; returns their ids."""
    _interval, lease = _settings()
    now = utcnow()
    recovered = []
    with Session(db.engine) as session:
        running = session.execute(select(Job.id, Job.worker, Job.heartbeat_at, Job.started_at, Job.params)
                                  .where(Job.status == JobStatus.RUNNING)).all()
        for job_id, worker, heartbeat_at, started_at, params in running:
            last_sign = heartbeat_at or started_at
            if not _gone(worker) and last_sign is not None and now - last_sign < lease:
                continue
            locale = (params or {}).get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]
            with force_locale(locale):
                reason = _("The worker running this job stopped before it finished (it was restarted or "
                           "killed). Nothing more will happen: start the job again.")
            changed = session.execute(
                update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.worker == worker)
                .values(status=JobStatus.FAILED, finished_at=now, error=reason[:500]))
            if changed.rowcount:
                recovered.append(job_id)
        session.commit()
    for job_id in recovered:
        log.warning("Job %s was running in a worker that stopped; marked failed", job_id)
    return recovered
