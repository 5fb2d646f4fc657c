"""The interview plan page: settings, tables and their hours, and the generated slots."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from jobday import fragments
from jobday.companies import interview_plan, plan
from jobday.companies.blueprint import bp, my_membership, my_participation
from jobday.companies.errors import PlanConflict
from jobday.companies.forms import PlanSettingsForm, TableForm, as_choices
from jobday.companies.models import InterviewTable, Participation
from jobday.companies.plan_tables import plan_tables, recruiters_of
from jobday.companies.services import edition_days
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.formats import format_date
from jobday.security import Role, role_required
from jobday.web import attempt, show_on, submitted_or_400


def _recruiter_choices(participation, people=None) -> list:
    people = recruiters_of(participation.company_id) if people is None else people
    return as_choices([("", _("Nobody yet"))] + [(str(user_id), name) for user_id, name in people])


def _table_form(participation, table=None, *, formdata=True, recruiters=None) -> TableForm:
    """The form of one table (``table=None``: a new one), filled from the request when it was
    posted, else from the table (or the edition's default hours). ``recruiters``: the choices
    of recruiter, when the page has them already."""
    days = list(edition_days(participation.edition))
    prefix = f"t{table.id}" if table else "new"
    form = TableForm(prefix=prefix) if formdata else TableForm(prefix=prefix, formdata=None)
    form.recruiter_id.choices = recruiters if recruiters is not None else _recruiter_choices(participation)
    if not (formdata and form.is_submitted()):
        form.name.data = table.name if table else ""
        form.recruiter_id.data = table.recruiter_id if table else None
        while form.hours.entries:
            form.hours.pop_entry()
        for day in days:
            if table is None:
                text = participation.edition.default_interview_hours
            else:
                text = plan.format_ranges((o.starts_at, o.ends_at) for o in table.openings if o.day == day)
            form.hours.append_entry(text)
    while len(form.hours.entries) < len(days):
        form.hours.append_entry("")
    for entry, day in zip(form.hours.entries, days, strict=False):
        entry.label.text = _("Opening hours on %(day)s", day=format_date(day, "full"))
    return form


def _hours(form: TableForm, participation) -> dict:
    days = list(edition_days(participation.edition))
    return {day: entry.data or "" for day, entry in zip(days, form.hours.entries, strict=False)}


def render_plan(participation: Participation, *, settings_form=None, table_forms=None, new_form=None,
                conflict=None, conflict_form: str | None = None, status: int = 200):
    tables = plan_tables(participation.id)
    people = tuple(recruiters_of(participation.company_id))
    choices = []  # the recruiter choices, made once, when a form is

    def form_of(table=None) -> TableForm:
        if not choices:
            choices.append(_recruiter_choices(participation, people))
        return _table_form(participation, table, formdata=False, recruiters=choices[0])

    # A table's fields as saved (not sent, no conflict) are the same for every look at the page:
    # kept for what they show (its name, recruiter and hours, the choice of recruiters, the days).
    days = tuple(edition_days(participation.edition))
    table_forms = table_forms or {}
    table_fields = {}
    for table in tables:
        form = table_forms.get(table.id)
        keep = form is None and conflict_form != f"t{table.id}"
        table_fields[table.id] = fragments.kept(
            ("plan-table", table.id, table.name, table.recruiter_id, tuple(table.openings), people, days)
            if keep else None,
            lambda table=table, form=form: render_template(
                "companies/_table_fields.html", form=form or form_of(table), table=table, conflict=conflict,
                conflict_form=conflict_form))
    new_fields = fragments.kept(
        ("plan-new", people, days, participation.edition.default_interview_hours) if new_form is None else None,
        lambda: render_template("companies/_new_table_fields.html", form=new_form or form_of()))
    settings_shown = (participation.slot_minutes, participation.pause_minutes, participation.booking_mode)
    settings_fields = fragments.kept(
        ("plan-settings", settings_shown) if settings_form is None else None,
        lambda: render_template("companies/_settings_fields.html", conflict=conflict, conflict_form=conflict_form,
                                form=settings_form or PlanSettingsForm(obj=participation, formdata=None)))
    return render_template(
        "companies/plan.html", participation=participation, tables=tables, company=participation.company,
        edition=participation.edition, settings_fields=settings_fields, table_fields=table_fields,
        new_fields=new_fields, conflict=conflict, conflict_form=conflict_form), status


@bp.get("/company/plan")
@role_required(Role.RECRUITER)
def plan_page():
    return render_plan(my_participation(my_membership()))


def _after_change(change: interview_plan.PlanChange) -> None:
    if change.cancelled:
        flash(ngettext("%(num)d interview was cancelled; the candidate has been told.",
                       "%(num)d interviews were cancelled; the candidates have been told.", len(change.cancelled)),
              "warning")
    if not change.added and not change.removed:
        flash(_("The plan is saved; the slots are unchanged."), "success")
        return
    flash(_("The plan is saved: %(added)s, %(removed)s.",
            added=ngettext("%(num)d slot added", "%(num)d slots added", change.added),
            removed=ngettext("%(num)d removed", "%(num)d removed", change.removed)), "success")


@bp.post("/company/plan/settings")
@role_required(Role.RECRUITER)
def save_plan_settings():
    participation = my_participation(my_membership())
    form = PlanSettingsForm()
    if form.validate_on_submit():
        with attempt(tell=_unless_conflict(form)) as outcome:
            change = interview_plan.update_settings(
                participation, actor=current_user, slot_minutes=form.slot_minutes.data,
                pause_minutes=form.pause_minutes.data, booking_mode=form.booking_mode.data,
                confirm_cancel=bool(form.confirm_cancel.data))
        if isinstance(outcome.error, PlanConflict):
            return render_plan(participation, settings_form=form, conflict=outcome.error.holds,
                               conflict_form="settings", status=409)
        if outcome.ok:
            _after_change(change)
            return redirect(url_for("companies.plan_page"))
    return render_plan(participation, settings_form=form, status=422)


@bp.post("/company/plan/tables")
@role_required(Role.RECRUITER)
def add_table():
    participation = my_participation(my_membership())
    form = _table_form(participation)
    if form.validate_on_submit():
        with attempt(_("The table is added."), tell=_unless_conflict(form)) as outcome:
            interview_plan.add_table(participation, actor=current_user, name=form.name.data,
                                     recruiter_id=form.recruiter_id.data,
                                     hours_by_day=_hours(form, participation))
        if outcome.ok:
            return redirect(url_for("companies.plan_page"))
    return render_plan(participation, new_form=form, status=422)


def _unless_conflict(form):
    """A refusal told on the form (hours errors on the first day's hours field), except a
    conflict with booked slots: the page lists those instead."""
    def tell(error: DomainError) -> None:
        if isinstance(error, PlanConflict):
            return
        hours = getattr(form, "hours", None)
        if error.details.get("field") == "hours" and hours is not None and hours.entries:
            show_on(hours.entries[0], error)
        else:
            show_on(form, error)
    return tell


def _my_table(table_id: int) -> tuple[Participation, InterviewTable]:
    participation = my_participation(my_membership())
    table = db.session.get(InterviewTable, table_id)
    if table is None or table.participation_id != participation.id:
        abort(404)
    return participation, table


@bp.post("/company/plan/tables/<int:table_id>")
@role_required(Role.RECRUITER)
def update_table(table_id: int):
    participation, table = _my_table(table_id)
    form = _table_form(participation, table)
    if form.validate_on_submit():
        with attempt(tell=_unless_conflict(form)) as outcome:
            change = interview_plan.update_table(
                table, actor=current_user, name=form.name.data, recruiter_id=form.recruiter_id.data,
                hours_by_day=_hours(form, participation), confirm_cancel=bool(form.confirm_cancel.data))
        if isinstance(outcome.error, PlanConflict):
            return render_plan(participation, table_forms={table_id: form}, conflict=outcome.error.holds,
                               conflict_form=f"t{table_id}", status=409)
        if outcome.ok:
            _after_change(change)
            return redirect(url_for("companies.plan_page"))
    return render_plan(participation, table_forms={table_id: form}, status=422)


@bp.post("/company/plan/tables/<int:table_id>/delete")
@role_required(Role.RECRUITER)
def delete_table(table_id: int):
    participation, table = _my_table(table_id)
    form = TableForm(prefix=f"del{table_id}")
    submitted_or_400()
    with attempt(tell=None, catch=PlanConflict) as outcome:
        change = interview_plan.delete_table(table, actor=current_user,
                                             confirm_cancel=bool(form.confirm_cancel.data))
    if outcome.error:
        return render_plan(participation, conflict=outcome.error.holds, conflict_form=f"del{table_id}",
                           status=409)
    _after_change(change)
    return redirect(url_for("companies.plan_page"))
