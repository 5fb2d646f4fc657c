"""Organiser pages: the companies of the edition, decisions, stands and each company's plan."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from jobday.collation import collated
from jobday.companies import identifiers, organiser
from jobday.companies.blueprint import bp
from jobday.companies.errors import PlanConflict
from jobday.companies.forms import DecisionForm, StandForm
from jobday.companies.models import (
    PARTICIPATION_STATUSES,
    Company,
    InterviewSlot,
    InterviewTable,
    Participation,
    ParticipationStatus,
)
from jobday.editions.services import current_edition
from jobday.extensions import db
from jobday.security import Role, role_required
from jobday.web import attempt, show_on

STATUS_LABELS = {status: status.lazy_label for status in ParticipationStatus}


@bp.get("/staff/companies")
@role_required(Role.ADMIN)
def staff_list():
    edition = current_edition()
    status = request.args.get("status", "")
    status = status if status in PARTICIPATION_STATUSES else ""
    rows, counts = [], {}
    if edition is not None:
        query = (select(Participation).where(Participation.edition_id == edition.id)
                 .join(Company).options(selectinload(Participation.company))
                 .order_by(collated(Company.name), Company.id))
        if status:
            query = query.where(Participation.status == status)
        rows = list(db.session.scalars(query))
        counts = dict(db.session.execute(
            select(Participation.status, func.count(Participation.id))
            .where(Participation.edition_id == edition.id).group_by(Participation.status)).all())
    return render_template("companies/staff_list.html", edition=edition, participations=rows, status=status,
                           counts=counts, status_labels=STATUS_LABELS)


def _participation(participation_id: int) -> Participation:
    participation = db.session.scalar(
        select(Participation).where(Participation.id == participation_id)
        .options(selectinload(Participation.company).selectinload(Company.members),
                 selectinload(Participation.tables).selectinload(InterviewTable.openings),
                 selectinload(Participation.tables).selectinload(InterviewTable.recruiter),
                 selectinload(Participation.tables).selectinload(InterviewTable.slots)
                 .selectinload(InterviewSlot.held_by))
        .execution_options(populate_existing=True))
    if participation is None:
        abort(404)
    return participation


def _detail(participation_id: int, *, decision_form=None, stand_form=None, conflict=None, status=200):
    participation = _participation(participation_id)
    return render_template(
        "companies/staff_detail.html", participation=participation, company=participation.company,
        decision_form=decision_form or DecisionForm(formdata=None, stand=participation.stand),
        stand_form=stand_form or StandForm(formdata=None, stand=participation.stand),
        conflict=conflict, status_labels=STATUS_LABELS, identifiers=identifiers), status


@bp.get("/staff/companies/<int:participation_id>")
@role_required(Role.ADMIN)
def staff_detail(participation_id: int):
    return _detail(participation_id)


@bp.post("/staff/companies/<int:participation_id>/decide")
@role_required(Role.ADMIN)
def staff_decide(participation_id: int):
    _participation(participation_id)
    form = DecisionForm()
    if form.validate_on_submit() and (form.approve.data or form.decline.data):
        approve = bool(form.approve.data)
        with attempt(tell=None) as outcome:
            organiser.decide_participation(participation_id, approve=approve, actor=current_user,
                                           message=form.message.data or "", stand=form.stand.data)
        if isinstance(outcome.error, PlanConflict):
            return _detail(participation_id, decision_form=form, conflict=outcome.error.holds, status=409)
        if outcome.error:
            show_on(form, outcome.error)
            return _detail(participation_id, decision_form=form,
                           status=outcome.error.status if outcome.error.status != 400 else 422)
        flash(_("The company is approved; it has been told by e-mail.") if approve
              else _("The company is declined; it has been told by e-mail."), "success")
        return redirect(url_for("companies.staff_detail", participation_id=participation_id))
    return _detail(participation_id, decision_form=form, status=422)


@bp.post("/staff/companies/<int:participation_id>/stand")
@role_required(Role.ADMIN)
def staff_assign_stand(participation_id: int):
    _participation(participation_id)
    form = StandForm()
    if form.validate_on_submit():
        with attempt(_("The stand is saved."), tell=form) as outcome:
            organiser.assign_stand(participation_id, form.stand.data, actor=current_user)
        if outcome.error:
            return _detail(participation_id, stand_form=form, status=422)
        return redirect(url_for("companies.staff_detail", participation_id=participation_id))
    return _detail(participation_id, stand_form=form, status=422)
