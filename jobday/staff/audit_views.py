"""The audit log page (filterable) and the retention page (what the next purge will erase)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user

from jobday.extensions import db
from jobday.staff import audit, retention
from jobday.staff.blueprint import admin_required, bp
from jobday.staff.forms import AuditFilterForm, as_choices
from jobday.staff.models import AuditAction
from jobday.web import attempt

PAGE_SIZE = 100


@bp.get("/audit", endpoint="audit")
@admin_required
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = as_choices(AuditAction.choices(blank="—"))
    form.validate()
    actor = form.actor.data or ""
    filters = audit.AuditFilter(action=form.action.data or None,
                                actor_id=int(actor) if actor.isdigit() else None,
                                object_type=(form.object_type.data or "").strip() or None)
    page = max(1, request.args.get("page", 1, type=int))
    entries = list(db.session.scalars(audit.audit_query(filters).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return render_template("staff/audit.html", form=form, entries=entries, page=page,
                           more=len(entries) == PAGE_SIZE)


@bp.get("/retention", endpoint="retention")
@admin_required
def retention_page():
    plan = retention.plan_purge()
    return render_template("staff/retention.html", plan=plan)


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
