"""Organiser pages: the grid of every company × time, fill rates, candidates without an
interview, the interviews export, and the fair scheduler (run as a job, preview against
the greedy baseline, lock, re-run, publish)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from jobday.collation import collated
from jobday.companies.models import Company, InterviewSlot, InterviewTable, Participation
from jobday.editions.web import edition_or_404
from jobday.extensions import db
from jobday.forms import ActionForm, ConfirmSendForm
from jobday.jobs.services import enqueue, start_job
from jobday.scheduling import planning, queries
from jobday.scheduling.errors import RunNotReady
from jobday.scheduling.forms import RunForm
from jobday.scheduling.models import RUN_PREVIEW, Booking, ScheduleAssignment, ScheduleRun
from jobday.scheduling.views.blueprint import bp
from jobday.security import Role, role_required
from jobday.tabular import csv_response
from jobday.web import attempt, submitted_or_400

organiser_required = role_required(Role.ADMIN)


@bp.get("/organiser/interviews")
@organiser_required
def grid():
    edition = edition_or_404()
    times, rows = queries.grid(edition.id)
    return render_template(
        "scheduling/grid.html",
        edition=edition,
        times=times,
        rows=rows,
        without=queries.candidates_without_interviews(edition.id, limit=200),
        without_count=queries.count_without_interviews(edition.id),
    )


@bp.get("/organiser/interviews.csv")
@organiser_required
def export_interviews():
    edition = edition_or_404()
    rows = db.session.execute(
        select(Booking, Company.name, InterviewTable.name, Participation.stand)
        .join(InterviewSlot, InterviewSlot.id == Booking.slot_id)
        .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id)
        .join(Participation, Participation.id == Booking.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .where(Booking.edition_id == edition.id, Booking.active)
        .options(selectinload(Booking.candidate))
        .order_by(collated(Company.name), Booking.starts_at)
    ).all()
    headers = (_l("Company"), _l("Stand"), _l("Table"), _l("Start"), _l("End"), _l("Candidate"), _l("E-mail"),
               _l("Origin"), _l("Outcome"))
    table = [(company, stand or "", table, booking.starts_at, booking.ends_at, booking.candidate.display_name,
              booking.candidate.email, booking.source, booking.outcome) for booking, company, table, stand in rows]
    return csv_response(headers, table, f"{_('interviews')}-{edition.year}.csv")


@bp.get("/organiser/scheduler")
@organiser_required
def scheduler():
    edition = edition_or_404()
    runs = list(
        db.session.scalars(
            select(ScheduleRun)
            .where(ScheduleRun.edition_id == edition.id)
            .order_by(ScheduleRun.id.desc())
            .limit(10)
        )
    )
    run = runs[0] if runs else None
    companies = {
        p.id: c.name
        for p, c in db.session.execute(
            select(Participation, Company)
            .join(Company, Company.id == Participation.company_id)
            .where(Participation.edition_id == edition.id)
        )
    }
    company_id = request.args.get("company", type=int)
    assignments, locked_count = [], 0
    if run is not None and run.status == RUN_PREVIEW:
        locked_count = (
            db.session.scalar(
                select(func.count(ScheduleAssignment.id)).where(
                    ScheduleAssignment.run_id == run.id, ScheduleAssignment.locked
                )
            )
            or 0
        )
        query = (
            select(ScheduleAssignment)
            .where(ScheduleAssignment.run_id == run.id)
            .options(
                selectinload(ScheduleAssignment.slot).selectinload(InterviewSlot.table),
                selectinload(ScheduleAssignment.candidate),
            )
            .join(InterviewSlot, InterviewSlot.id == ScheduleAssignment.slot_id)
            .order_by(InterviewSlot.starts_at)
        )
        query = (
            query.where(ScheduleAssignment.participation_id == company_id)
            if company_id
            else query.where(ScheduleAssignment.locked)
        )
        assignments = list(db.session.scalars(query))
    audience = planning.audience(edition.id) if run is not None and run.status == RUN_PREVIEW else None
    return render_template(
        "scheduling/scheduler.html",
        edition=edition,
        runs=runs,
        run=run,
        companies=companies,
        company_id=company_id,
        assignments=assignments,
        locked_count=locked_count,
        run_form=RunForm(),
        action_form=ActionForm(),
        audience=audience,
        confirm_form=ConfirmSendForm(formdata=None, recipients=audience.total if audience else 0),
    )


@bp.post("/organiser/scheduler/run")
@organiser_required
def run_scheduler():
    edition = edition_or_404()
    form = submitted_or_400(RunForm())
    with attempt() as outcome:
        run = planning.start_run(edition, actor=current_user, keep_locks=form.keep_locks.data)
        job = start_job("scheduling.solve", actor=current_user, params={"run_id": run.id})
        run.job_id = job.id
    if outcome.error:
        return redirect(url_for("scheduling.scheduler"), code=303)
    enqueue(job)
    flash(_("The scheduler is running. Its preview appears on the scheduler page when it is done."), "info")
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


def _assignment_or_404(run_id: int, assignment_id: int) -> ScheduleAssignment:
    assignment = db.session.get(ScheduleAssignment, assignment_id)
    if assignment is None or assignment.run_id != run_id:
        abort(404)
    return assignment


@bp.post("/organiser/scheduler/runs/<int:run_id>/assignments/<int:assignment_id>/lock")
@organiser_required
def toggle_lock(run_id: int, assignment_id: int):
    assignment = _assignment_or_404(run_id, assignment_id)
    submitted_or_400()
    with attempt():
        planning.set_locked(assignment, not assignment.locked, actor=current_user)
    return redirect(url_for("scheduling.scheduler", company=request.args.get("company", type=int)), code=303)


def _run_or_404(run_id: int) -> ScheduleRun:
    run = db.session.get(ScheduleRun, run_id)
    if run is None or run.edition_id != edition_or_404().id:
        abort(404)
    return run


@bp.post("/organiser/scheduler/runs/<int:run_id>/publish")
@organiser_required
def publish(run_id: int):
    """Publishing books every interview and e-mails everyone: it asks for a ticked box and the
    number of people the organiser was shown (refused when it changed since)."""
    run = _run_or_404(run_id)
    form = ConfirmSendForm()
    if run.status != RUN_PREVIEW:
        submitted_or_400()
        flash(_("This scheduler run has no preview to act on."), "error")
        return redirect(url_for("scheduling.scheduler"), code=303)
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm the publication."), "error")
        return redirect(url_for("scheduling.scheduler"), code=303)
    people = planning.audience(run.edition_id).total
    if form.recipients.data != people:
        flash(ngettext("The publication now e-mails %(num)d person, not the number shown. Check and confirm again.",
                       "The publication now e-mails %(num)d people, not the number shown. Check and confirm again.",
                       people), "error")
        return redirect(url_for("scheduling.scheduler"), code=303)
    with attempt() as outcome:
        run = planning.begin_publication(run, actor=current_user)
        job = start_job("scheduling.publish", actor=current_user, params={"run_id": run.id})
        run.stats = {**run.stats, "publish_job_id": job.id}
    if outcome.error:
        return redirect(url_for("scheduling.scheduler"), code=303)
    job_id = job.id
    enqueue(job)
    flash(_("Publishing: the interviews are booked and everyone is e-mailed their schedule."), "info")
    return redirect(url_for("jobs.show", job_id=job_id), code=303)


@bp.post("/organiser/scheduler/runs/<int:run_id>/test-mail")
@organiser_required
def publish_test(run_id: int):
    """"Send me a test first": the e-mail a candidate of the preview will receive, to the organiser."""
    run = _run_or_404(run_id)
    submitted_or_400()
    with attempt() as outcome:
        if run.status != RUN_PREVIEW:
            raise RunNotReady()
        shown = planning.send_test(run, to=current_user.email)
    if outcome.ok:
        if shown is None:
            flash(_("The preview has no interview to show in a test e-mail."), "info")
        else:
            flash(_("A test e-mail was sent to %(address)s: the one %(name)s will receive.",
                    address=current_user.email, name=shown.display_name), "success")
    return redirect(url_for("scheduling.scheduler"), code=303)
