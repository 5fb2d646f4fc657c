"""Export pages: CSV streams at once, Excel is made by a background job, the door list PDF."""

from __future__ import annotations

import io

from flask import abort, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from jobday.accounts.limits import export_limit
from jobday.accounts.reauth import recent_login_required
from jobday.editions.web import chosen_edition_or_404
from jobday.extensions import db
from jobday.forms import ActionForm
from jobday.jobs.services import (
    JobResult,
    enqueue,
    start_job,
)
from jobday.staff import exports
from jobday.staff.audit import record_audit
from jobday.staff.blueprint import admin_required, bp
from jobday.tabular import csv_response, write_xlsx
from jobday.web import attempt, submitted_or_400


@bp.get("/exports", endpoint="exports")
@admin_required
def exports_page():
    return render_template("staff/exports.html", edition=chosen_edition_or_404(), exports=exports.available_exports(),
                           form=ActionForm())


@bp.get("/exports/<key>.csv")
@admin_required
@recent_login_required
@export_limit
def export_csv(key: str):
    edition = chosen_edition_or_404()
    export = exports.available_exports().get(key)
    if export is None:
        abort(404)
    with attempt():
        record_audit("export", actor=current_user, object_type="edition", object_id=edition.id,
                     detail=f"kind={key};format=csv")
    return csv_response(export.headers, exports.rows_for(key, edition), export.filename(edition.year, "csv"))


@bp.post("/exports/<key>.xlsx")
@admin_required
@recent_login_required
@export_limit
def export_xlsx(key: str):
    edition = chosen_edition_or_404()
    if key not in exports.available_exports():
        abort(404)
    submitted_or_400()
    with attempt():
        record_audit("export", actor=current_user, object_type="edition", object_id=edition.id,
                     detail=f"kind={key};format=xlsx")
        job = start_job("staff.export", actor=current_user, params={"key": key, "edition_id": edition.id})
    enqueue(job)
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


def export_job(job, progress) -> JobResult:
    from jobday.editions.models import Edition

    key, edition = job.params["key"], db.session.get(Edition, job.params["edition_id"])
    export = exports.EXPORTS[key]
    name = export.filename(edition.year, "xlsx")
    sheet = io.BytesIO()
    count = write_xlsx(sheet, export.headers, exports.rows_for(key, edition), title=str(export.label))
    # End this read first: progress() writes from another connection (SQLite's lock).
    db.session.commit()
    progress(count, count)
    return JobResult(data=sheet.getvalue(), name=name, summary=ngettext("%(num)d row.", "%(num)d rows.", count))


@bp.post("/exports/door-list.pdf")
@admin_required
@recent_login_required
@export_limit
def door_list():
    """The door list is a long PDF (seconds for a thousand names): made by a job, like badges."""
    edition = chosen_edition_or_404()
    submitted_or_400()
    with attempt():
        record_audit("export", actor=current_user, object_type="edition", object_id=edition.id,
                     detail="kind=door_list;format=pdf")
        job = start_job(DOOR_LIST_JOB, actor=current_user, params={"edition_id": edition.id})
    job_id = job.id
    enqueue(job)
    return redirect(url_for("jobs.show", job_id=job_id), code=303)


DOOR_LIST_JOB = "staff.door_list"


def door_list_job(job, progress) -> JobResult:
    from jobday.editions.models import Edition

    edition = db.session.get(Edition, job.params["edition_id"])
    year, count = edition.year, len(exports.door_list_entries(edition))
    pdf = exports.door_list_pdf(edition)
    db.session.commit()  # end the read before progress() writes from another connection
    progress(count, count)
    return JobResult(data=pdf, name=f"door-list-{year}.pdf",
                     summary=ngettext("%(num)d name.", "%(num)d names.", count))
