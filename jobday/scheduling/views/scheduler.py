"""The fair scheduler's page (organisers): run it as a job, read its preview against the
greedy baseline (each figure explained), what was fixed before it ran, the candidates left
without an interview, the difference with an earlier run; lock, re-run, publish."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jobday.collation import sort_key
from jobday.companies.models import Company, InterviewSlot, Participation
from jobday.editions.web import edition_or_404
from jobday.extensions import db
from jobday.forms import ActionForm, ConfirmSendForm
from jobday.jobs.services import enqueue, start_job
from jobday.scheduling import planning
from jobday.scheduling.errors import RunNotReady
from jobday.scheduling.forms import RunForm
from jobday.scheduling.models import RUN_PREVIEW, ScheduleAssignment, ScheduleRun
from jobday.scheduling.planning import review
from jobday.scheduling.views.blueprint import bp
from jobday.security import Role, role_required
from jobday.web import attempt, submitted_or_400

organiser_required = role_required(Role.ADMIN)
RUNS_LISTED = 10


def _company_assignments(run: ScheduleRun, participation_id: int) -> list[ScheduleAssignment]:
    return list(db.session.scalars(
        select(ScheduleAssignment)
        .where(ScheduleAssignment.run_id == run.id, ScheduleAssignment.participation_id == participation_id)
        .join(InterviewSlot, InterviewSlot.id == ScheduleAssignment.slot_id)
        .options(selectinload(ScheduleAssignment.slot).selectinload(InterviewSlot.table),
                 selectinload(ScheduleAssignment.candidate))
        .order_by(InterviewSlot.starts_at)))


def _fill_rows(stats: dict, companies: dict[int, str]) -> list[dict]:
    """The fill table's rows, by company name in the reader's order."""
    baseline = stats.get("baseline_fill") or {}
    rows = [{"id": int(key), "company": companies.get(int(key), key), "slots": fill[0], "booked": fill[2],
             "baseline": (baseline.get(key) or [None, None, None])[2]}
            for key, fill in (stats.get("fill") or {}).items()]
    return sorted(rows, key=lambda row: sort_key(str(row["company"])))


@bp.get("/organiser/scheduler")
@organiser_required
def scheduler():
    edition = edition_or_404()
    runs = list(db.session.scalars(select(ScheduleRun).where(ScheduleRun.edition_id == edition.id)
                                   .order_by(ScheduleRun.id.desc()).limit(RUNS_LISTED)))
    run = runs[0] if runs else None
    companies = dict(db.session.execute(
        select(Participation.id, Company.name).join(Company, Company.id == Participation.company_id)
        .where(Participation.edition_id == edition.id)).all())
    company_id = request.args.get("company", type=int)
    preview = run is not None and run.status == RUN_PREVIEW
    context = {"locked": [], "assignments": [], "diff": None, "unplaced": None, "others": [], "audience": None}
    if run is not None:
        others = review.comparable_runs(run, runs)
        other_id = request.args.get("compare", type=int)
        other = next((o for o in others if o.id == other_id), others[0] if others else None)
        context.update(others=others, unplaced=review.unplaced(run) if run.finished_at else None,
                       diff=review.compare(run, other) if other is not None and run.finished_at else None)
    if preview:
        context.update(locked=review.locked_interviews(run), audience=planning.audience(edition.id, run.id),
                       assignments=_company_assignments(run, company_id) if company_id in companies else [])
    bookings, bookings_total = review.existing_bookings(edition.id)
    audience = context["audience"]
    return render_template(
        "scheduling/scheduler.html", edition=edition, run=run, companies=companies, company_id=company_id,
        fill_rows=_fill_rows(run.stats, companies) if run is not None else [],
        bookings=bookings, bookings_total=bookings_total, max_rank=edition.max_wishes,
        run_form=RunForm(), action_form=ActionForm(),
        confirm_form=ConfirmSendForm(formdata=None, recipients=audience.total if audience else 0), **context)
@bp.post("/organiser/scheduler/run")
@organiser_required
def run_scheduler():
    edition = edition_or_404()
    form = submitted_or_400(RunForm())
    with attempt() as outcome:
        run = planning.start_run(edition, actor=current_user, keep_locks=form.keep_locks.data,
                                 matching=form.matching.data)
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
    people = planning.audience(run.edition_id, run.id).total
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
