"""The audit log page (filterable) and the retention page (what the next purge will erase)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Response, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext
from flask_login import current_user

from jobday.accounts.reauth import recent_login_required
from jobday.db import utcnow
from jobday.extensions import db
from jobday.forms import ActionForm
from jobday.jobs.services import JobResult, enqueue, start_job
from jobday.staff import audit, retention
from jobday.staff.blueprint import admin_required, bp
from jobday.staff.forms import AuditFilterForm, as_choices
from jobday.staff.models import AuditAction
from jobday.web import attempt, submitted_or_400

PAGE_SIZE = 100


@bp.get("/audit", endpoint="audit")
@admin_required
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = as_choices(AuditAction.choices(blank="—"))
    form.validate()
    filters = audit.AuditFilter(action=form.action.data or None, who=(form.who.data or "").strip())
    page = max(1, request.args.get("page", 1, type=int))
    entries = list(db.session.scalars(audit.audit_query(filters).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template("staff/audit.html", form=form, rows=audit.audit_rows(entries), page=page,
                           more=len(entries) == PAGE_SIZE, args=args)


@bp.get("/retention", endpoint="retention")
@admin_required
def retention_page():
    """The periods, the last and next purge, what the next one erases, and backups."""
    upcoming = retention.next_purge()
    return render_template("staff/retention.html", plan=retention.plan_purge(now=upcoming),
                           periods=retention.periods(), next_purge=upcoming, last_purge=retention.last_purge(),
                           form=ActionForm())


@bp.post("/backups")
@admin_required
@recent_login_required
def make_backup():
    """A backup of the database and the uploads, made by a job and downloaded from its page."""
    submitted_or_400()
    with attempt():
        audit.record_audit("backup", actor=current_user)
        job = start_job(BACKUP_JOB, actor=current_user)
    job_id = job.id
    enqueue(job)
    return redirect(url_for("jobs.show", job_id=job_id), code=303)


BACKUP_JOB = "staff.backup"


def backup_job(job, progress) -> JobResult:
    from jobday.staff.backup import archive_name
    from jobday.staff.backup import make_backup as write_backup

    db.session.commit()  # the backup reads through its own connection; hold nothing meanwhile
    name = archive_name(utcnow())
    with tempfile.TemporaryDirectory() as work:
        data = write_backup(Path(work) / "backup.tar.gz").read_bytes()
    progress(1, 1)
    size = format_decimal(len(data) / 1e6, format="#,##0.0")  # "0,8" in French
    return JobResult(data=data, name=name, summary=gettext("Backup of %(size)s MB.", size=size))


@bp.get("/retention/export.zip")
@admin_required
def retention_export():
    """What the next purge will erase, to keep before it goes."""
    plan = retention.plan_purge()
    with attempt():
        audit.record_audit("export", actor=current_user, object_type="retention", detail="kind=purge_preview")
    response = Response(retention.export_plan(plan), mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="purge-preview.zip"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
