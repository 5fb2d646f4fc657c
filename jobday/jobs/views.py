"""A job's progress page (refreshes itself while running), its result and a retry button."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jobday import storage
from jobday.extensions import db
from jobday.jobs.models import Job, JobStatus
from jobday.jobs.services import enqueue, next_step, retry_job
from jobday.security import Role
from jobday.web import attempt, submitted_or_400

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _visible_job(job_id: int) -> Job:
    """Organisers see every job; others only their own (404 otherwise)."""
    job = db.session.get(Job, job_id)
    if job is None or not (current_user.has_role(Role.ADMIN) or job.started_by_id == current_user.id):
        abort(404)
    return job


@bp.get("/<int:job_id>")
@login_required
def show(job_id: int):
    job = _visible_job(job_id)
    # The result's file may be gone (purged after JOB_RESULT_DAYS): no button to a 404 then.
    downloadable = job.status == JobStatus.DONE and storage.exists(job.result_key)
    step = next_step(job.kind) if job.status == JobStatus.DONE else None
    return render_template("jobs/show.html", job=job, downloadable=downloadable,
                           next_step=(url_for(step[0]), step[1]) if step else None)


@bp.get("/<int:job_id>.json")
@login_required
def status(job_id: int):
    job = _visible_job(job_id)
    return jsonify(id=job.id, status=job.status, done=job.done, total=job.total, percent=job.percent,
                   error=job.error, summary=job.result_summary,
                   download=url_for("jobs.download", job_id=job.id) if job.result_key else None)


@bp.get("/<int:job_id>/download")
@login_required
def download(job_id: int):
    job = _visible_job(job_id)
    stored = storage.read(job.result_key) if job.status == JobStatus.DONE else None
    if stored is None:  # none, or past its time (the retention job removes results)
        abort(404)
    return send_file(io.BytesIO(stored.data), mimetype=stored.content_type, as_attachment=True,
                     download_name=job.result_name or "result")


@bp.post("/<int:job_id>/retry")
@login_required
def retry(job_id: int):
    job = _visible_job(job_id)
    submitted_or_400()
    with attempt() as outcome:
        again = retry_job(job, actor=current_user)
    if outcome.error:
        return redirect(url_for("jobs.show", job_id=job.id))
    enqueue(again)
    flash(_("The job was started again."), "info")
    return redirect(url_for("jobs.show", job_id=again.id))
