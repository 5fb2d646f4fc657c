"""Every export job, run by a real worker process (issue 16, item 3).

In tests the queue is eager: a job runs inside the request that starts it, where ``url_for``
works. In the worker there is no request, and the candidates' Excel export failed as soon as
one candidate who shares with all exhibitors had a CV (its link was built with ``url_for``).
Here each export runs in a worker started as in production, with such a candidate present,
on SQLite and PostgreSQL; the CV's link is read back from the file."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from jobday import storage
from jobday.candidates import cv
from jobday.candidates.consent import record_consents
from jobday.candidates.services import get_profile
from jobday.extensions import db as _db
from jobday.jobs.models import Job, JobStatus
from jobday.jobs.services import enqueue, start_job
from jobday.staff import audit_views, export_views, exports
from tests import factories
from tests.jobs.worker_process import running_worker, wait_for


def _fair(db):
    edition = factories.make_edition()
    candidate = factories.make_candidate(first_name="Zoë", last_name="Müller")
    factories.make_registration(candidate, edition)
    record_consents(candidate, {"share_with_all_exhibitors": True}, actor=candidate)
    cv.store_cv(get_profile(candidate), factories.make_pdf(), "cv.pdf")
    company = factories.make_company(name="Vaxolis")
    factories.make_participation(company, edition, stand="A1")
    factories.make_badge(candidate, edition)
    admin = factories.make_user(roles=("admin",))
    db.session.commit()
    return edition, candidate, admin


def test_every_export_job_runs_in_a_real_worker(real_queue_app, tmp_path):
    db = _db
    edition, candidate, admin = _fair(db)
    kinds = [("staff.export", {"key": key, "edition_id": edition.id}) for key in exports.available_exports()]
    kinds += [(export_views.DOOR_LIST_JOB, {"edition_id": edition.id}), (audit_views.BACKUP_JOB, {})]
    job_ids = {}
    for kind, params in kinds:
        job = start_job(kind, actor=admin, params=params)
        db.session.commit()
        job_ids[job.id] = (kind, params.get("key"))
        enqueue(job)

    def finished():
        db.session.rollback()
        jobs = list(db.session.scalars(select(Job).where(Job.id.in_(job_ids))))
        return jobs if all(job.finished for job in jobs) else None

    with running_worker(real_queue_app.config["WORKER_SETTINGS"], tmp_path / "worker.log") as worker:
        jobs = wait_for(finished, timeout=180, worker=worker)
    failed = {job_ids[job.id]: job.error for job in jobs if job.status != JobStatus.DONE}
    assert failed == {}
    assert len(jobs) == len(kinds) >= 6
    candidates = next(job for job in jobs if job_ids[job.id] == ("staff.export", "candidates"))
    sheet = load_workbook(io.BytesIO(storage.read(candidates.result_key).data), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert f"http://jobday.test/candidates/{candidate.id}/cv" in rows[1]
