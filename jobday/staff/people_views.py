"""People: the filtered list, a person's record, and actions (roles, e-mails, badge, withdrawal)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobday.accounts.models import User
from jobday.accounts.reauth import recent_login_required
from jobday.badges.models import Badge
from jobday.candidates.models import RegistrationStatus
from jobday.editions.models import Edition
from jobday.editions.web import chosen_edition_or_404
from jobday.errors import NotFound
from jobday.extensions import db
from jobday.forms import ActionForm
from jobday.security import Role
from jobday.staff import people
from jobday.staff.blueprint import admin_required, bp
from jobday.staff.forms import (
    PeopleFilterForm,
    ReissueForm,
    ResendForm,
    RolesForm,
    WithdrawForm,
    as_choices,
)
from jobday.vocabulary import EducationLevel, JobArea
from jobday.web import attempt, submitted_or_400


def _choices(pairs) -> list:
    return as_choices([("", _("Any"))] + [(str(code), str(label)) for code, label in pairs])


@bp.get("/people", endpoint="people")
@admin_required
def people_list():
    edition = chosen_edition_or_404()
    form = PeopleFilterForm(request.args)
    form.role.choices = _choices(Role.choices())
    form.status.choices = _choices(RegistrationStatus.choices())
    form.level.choices = _choices(EducationLevel.choices())
    form.area.choices = _choices(JobArea.choices())
    form.validate()
    filters = people.PeopleFilter(
        q=form.q.data or "", role=form.role.data or "", status=form.status.data or "",
        level=form.level.data or "", area=form.area.data or "", consent=form.consent.data or "",
        page=max(1, request.args.get("page", 1, type=int)))
    rows, total = people.search_people(filters, edition)
    pages = max(1, -(-total // people.PAGE_SIZE))
    return render_template("staff/people.html", form=form, rows=rows, total=total, page=filters.page,
                           pages=pages, edition=edition, args={k: v for k, v in request.args.items() if k != "page"})


def _person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/people/<int:user_id>")
@admin_required
def person(user_id: int):
    try:
        record = people.person_record(user_id)
    except NotFound:
        abort(404)
    roles_form = RolesForm(formdata=None, roles=[str(role) for role in record.user.roles])
    edition = chosen_edition_or_404()
    current = next((b for b in record.badges if b.edition_id == edition.id and b.is_active), None)
    return render_template("staff/person.html", record=record, roles_form=roles_form, resend_form=ResendForm(),
                           reissue_form=ReissueForm(), confirm_form=ActionForm(), withdraw_form=WithdrawForm(),
                           edition=edition,
                           current_badge=current,
                           takes_part=current is not None or people.takes_part(record.user, edition))


def _back_to(user_id: int):
    return redirect(url_for("staff.person", user_id=user_id), code=303)


@bp.post("/people/<int:user_id>/roles")
@admin_required
@recent_login_required
def change_roles(user_id: int):
    user = _person(user_id)
    form = submitted_or_400(RolesForm())
    with attempt(_("Roles saved.")):
        people.change_roles(user, set(form.roles.data or ()), actor=current_user)
    return _back_to(user_id)


@bp.post("/people/<int:user_id>/resend")
@admin_required
def resend(user_id: int):
    user = _person(user_id)
    form = submitted_or_400(ResendForm())
    edition = chosen_edition_or_404()
    with attempt(_("The e-mail was sent again.")):
        people.resend_email(user, form.kind.data, edition, actor=current_user)
    return _back_to(user_id)


@bp.post("/people/<int:user_id>/badge")
@admin_required
def issue_badge(user_id: int):
    user = _person(user_id)
    submitted_or_400()
    edition = chosen_edition_or_404()
    with attempt(_("The badge is issued.")):
        people.issue_person_badge(user, edition, actor=current_user)
    return _back_to(user_id)


@bp.post("/people/<int:user_id>/badges/<int:badge_id>/reissue")
@admin_required
def reissue(user_id: int, badge_id: int):
    badge = db.session.get(Badge, badge_id)
    if badge is None or badge.user_id != user_id:
        abort(404)
    form = submitted_or_400(ReissueForm())
    with attempt(_("A new badge was issued; the old code no longer opens the door.")):
        people.reissue_person_badge(badge, reason=form.reason.data, actor=current_user)
    return _back_to(user_id)


@bp.post("/people/<int:user_id>/editions/<int:edition_id>/withdraw")
@admin_required
def withdraw(user_id: int, edition_id: int):
    user = _person(user_id)
    edition = db.session.get(Edition, edition_id)
    if edition is None:
        abort(404)
    submitted_or_400()
    if not WithdrawForm().validate_on_submit():
        flash(_("Tick the box to confirm the withdrawal."), "error")
        return _back_to(user_id)
    with attempt(_("The registration was withdrawn.")):
        people.withdraw_for_candidate(user, edition, actor=current_user)
    return _back_to(user_id)
