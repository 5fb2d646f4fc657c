"""A job worker killed (SIGKILL) in the middle of a bulk print, then started again (issue 16,
item 7). The job stayed "running 0/301" for ever and could not be retried, and its render
processes kept working. Now the render processes die with the worker, the new worker marks
the job failed (its lease: ``jobs.lease``) well within a minute, and a retry prints it.
On SQLite and PostgreSQL, with real worker processes."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from jobday.badges import printing
from jobday.extensions import db
from jobday.jobs.models import Job, JobStatus
from jobday.jobs.services import enqueue, retry_job
from jobday.security import Role
from tests import factories
from tests.jobs.worker_process import running_worker, wait_for

PEOPLE = 300
FAST_LEASE = {"JOB_HEARTBEAT_SECONDS": 1, "JOB_LEASE_SECONDS": 5, "BADGE_PDF_PROCESSES": 2}


def session_processes(session_id: int) -> set[int]:
    """Live processes of a session (the worker's, started with a session of its own), orphans included."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[3]) == session_id:
            found.add(int(stat.parent.name))
    return found


def _fair():
    edition = factories.make_edition()
    for n in range(PEOPLE):
        factories.make_registration(factories.make_candidate(first_name=f"P{n}", last_name="Burst"), edition)
    organiser = factories.make_user(roles=(Role.ADMIN,), locale="en")
    db.session.commit()
    return edition, organiser


def _job(job_id: int) -> Job:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_a_worker_killed_during_a_bulk_print(real_queue_app, tmp_path):
    settings = {**real_queue_app.config["WORKER_SETTINGS"], **FAST_LEASE}
    real_queue_app.config.update(FAST_LEASE)
    edition, organiser = _fair()
    job, _badges = printing.start_print(printing.Selection(edition_id=edition.id), layout="a4-8", offset=(0, 0),
                                        reason=None, actor=organiser)
    db.session.commit()
    job_id = job.id
    enqueue(job)

    with running_worker(settings, tmp_path / "worker-1.log") as worker:
        # Running, and rendering: the worker, its resource tracker, the fork server and its renderers.
        wait_for(lambda: _job(job_id).status == JobStatus.RUNNING and len(session_processes(worker.pid)) > 3,
                 timeout=120, worker=worker, step=0.05, what="the job rendering")
        renderers = session_processes(worker.pid) - {worker.pid}
        worker.kill()
    # The render processes (the fork server and its children) go with it.
    wait_for(lambda: not session_processes(worker.pid), timeout=20, what="the render processes to stop")
    assert renderers
    assert _job(job_id).status == JobStatus.RUNNING  # nobody has told the database yet

    with running_worker(settings, tmp_path / "worker-2.log") as worker:
        restarted = time.monotonic()
        wait_for(lambda: _job(job_id).status == JobStatus.FAILED, timeout=60, worker=worker,
                 what="the job marked failed")
        assert time.monotonic() - restarted < 60
        failed = _job(job_id)
        assert "stopped before it finished" in failed.error and failed.finished_at is not None
        again = retry_job(failed, actor=organiser)
        db.session.commit()
        again_id = again.id
        enqueue(again)
        wait_for(lambda: _job(again_id).finished, timeout=240, worker=worker, what="the retry")
    done = _job(again_id)
    assert done.status == JobStatus.DONE, done.error
    assert done.total == PEOPLE + 1 and done.result_key
    assert db.session.scalar(select(Job.status).where(Job.id == job_id)) == JobStatus.FAILED
