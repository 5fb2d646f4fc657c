"""The team page: invitations, joining through a link, removal and the admin role."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from jobday import fragments
from jobday.accounts import services as accounts
from jobday.companies import team
from jobday.companies.blueprint import bp, my_membership, owned
from jobday.companies.forms import InviteForm, JoinSignupForm
from jobday.companies.models import CompanyMember, Invitation
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.forms import ActionForm
from jobday.kept_fields import kept_form
from jobday.security import Role, role_required
from jobday.web import attempt, flash_refusal, show_on, submitted_or_400


def _team_page(member, invite_form: InviteForm | None = None, status=200):
    """The team page; ``invite_form`` when sent, else its fields as unsent (kept)."""
    invite_fields = ""
    if member.is_admin:  # the only ones who see it
        invite_fields = kept_form("companies/_invite_fields.html", () if invite_form is None else None,
                                  lambda: invite_form or InviteForm())
    company, colleagues = member.company, team.colleagues(member.company_id)
    rows = fragments.kept_with_token(
        ("team-rows", tuple(colleagues), member.id, member.is_admin, company.name),
        lambda: render_template("companies/_team_rows.html", member=member, company=company, colleagues=colleagues))
    return render_template("companies/team.html", member=member, company=company, team_rows=rows,
                           invite_fields=invite_fields,
                           invitations=team.pending_invitations(member.company) if member.is_admin else []), status


@bp.get("/company/team")
@role_required(Role.RECRUITER)
def team_page():
    return _team_page(my_membership())


@bp.post("/company/team/invite")
@role_required(Role.RECRUITER)
def invite():
    member = my_membership()
    form = InviteForm()
    if form.validate_on_submit():
        email = accounts.normalise_email(form.email.data)
        with attempt(_("Invitation sent to %(email)s.", email=email), tell=form, abort_on=(403,)) as outcome:
            team.invite_colleague(member.company, form.email.data, actor=current_user)
        if outcome.ok:
            return redirect(url_for("companies.team_page"))
    return _team_page(member, form, 422)


def _member_action(member_id: int, action) -> object:
    member = my_membership()
    target = owned(db.session.get(CompanyMember, member_id), member.company_id)
    submitted_or_400()
    # Not an administrator of the company: refused (403), as for invitations.
    with attempt(abort_on=(403,)) as outcome:
        action(target)
    return None if outcome.error else target


@bp.post("/company/team/<int:member_id>/remove")
@role_required(Role.RECRUITER)
def remove_member(member_id: int):
    removed_self = member_id == my_membership().id
    if _member_action(member_id, lambda target: team.remove_member(target, actor=current_user)) is not None:
        if removed_self:
            flash(_("You have left the company."), "info")
            return redirect(url_for("main.index"))
        flash(_("The recruiter has been removed from the team."), "success")
    return redirect(url_for("companies.team_page"))


@bp.post("/company/team/<int:member_id>/make-admin")
@role_required(Role.RECRUITER)
def hand_over_admin(member_id: int):
    if _member_action(member_id, lambda target: team.hand_over_admin(target, actor=current_user)) is not None:
        flash(_("The administrator role has been handed over."), "success")
    return redirect(url_for("companies.team_page"))


@bp.post("/company/team/invitations/<int:invitation_id>/cancel")
@role_required(Role.RECRUITER)
def cancel_invitation(invitation_id: int):
    member = my_membership()
    invitation = owned(db.session.get(Invitation, invitation_id), member.company_id)
    submitted_or_400()
    with attempt(_("The invitation is cancelled."), abort_on=(403,)):
        team.cancel_invitation(invitation, actor=current_user)
    return redirect(url_for("companies.team_page"))


def _join_refusal(signup_form):
    def tell(error: DomainError) -> None:
        if isinstance(error, accounts.WeakPassword):
            show_on(signup_form.password, error)
        else:
            flash_refusal(error)
    return tell


@bp.route("/company/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """Accept an invitation: a logged-in user joins; a newcomer creates the account here."""
    try:
        invitation = team.invitation_for_token(token)
    except DomainError as error:
        return render_template("companies/join_invalid.html", message=error.message), 410
    has_account = accounts.find_user_by_email(invitation.email) is not None
    signup_form = JoinSignupForm()
    action_form = ActionForm()
    status = 200
    if request.method == "POST":
        with attempt(tell=_join_refusal(signup_form)) as outcome:
            if current_user.is_authenticated:
                submitted_or_400(action_form)
                team.accept_invitation(token, user=current_user)
            elif not has_account and signup_form.validate_on_submit():
                user = team.accept_invitation_with_signup(
                    token, first_name=signup_form.first_name.data, last_name=signup_form.last_name.data,
                    password=signup_form.password.data, locale=g.get("locale"))
            else:
                if signup_form.errors.get("csrf_token"):
                    abort(400)
                status = 422
        if outcome.error:
            status = 422 if isinstance(outcome.error, accounts.WeakPassword) else 409
        elif status == 200:
            if not current_user.is_authenticated:
                session.clear()
                login_user(user)
            flash(_("Welcome to the team of %(company)s.", company=invitation.company.name), "success")
            return redirect(url_for("companies.home"))
    return render_template("companies/join.html", invitation=invitation, has_account=has_account,
                           signup_form=signup_form, action_form=action_form, token=token), status
