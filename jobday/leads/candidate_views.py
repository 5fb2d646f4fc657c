"""The candidate's side: "Met at the fair" on their home (the companies holding their details,
with the access to take back or give again, and the companies' invitations to accept or
decline)."""

from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobday.candidates.home import HomeSection
from jobday.forms import ActionForm
from jobday.leads import home_rows, invitations, sharing
from jobday.leads.blueprint import bp
from jobday.leads.vocabulary import InvitationKind
from jobday.security import Role, role_required
from jobday.web import attempt, submitted_or_400

candidate_required = role_required(Role.CANDIDATE)


def met_at_the_fair_section(user, edition, registration) -> HomeSection | None:
    """Shown when a company holds the candidate's details or invited them."""
    leads = home_rows.companies_met(user.id)
    invited = home_rows.invitations_to(user.id, edition.id) if edition else []
    if not leads and not invited:
        return None
    return HomeSection("leads/_home_section.html", {"leads": leads, "invitations": invited,
                                                     "action_form": ActionForm()})


def _home():
    return redirect(url_for("candidates.home") + "#met-heading", code=303)


@bp.post("/candidate/contacts/<int:lead_id>/withdraw")
@candidate_required
def withdraw_access(lead_id: int):
    submitted_or_400(ActionForm())
    with attempt(_("Done: the company keeps your name only."), abort_on=(404,)):
        sharing.withdraw_access(sharing.own_lead(lead_id, current_user), actor=current_user)
    return _home()


@bp.post("/candidate/contacts/<int:lead_id>/restore")
@candidate_required
def restore_access(lead_id: int):
    submitted_or_400(ActionForm())
    with attempt(_("Done: the company sees your profile again."), abort_on=(404,)):
        sharing.restore_access(sharing.own_lead(lead_id, current_user), actor=current_user)
    return _home()


@bp.post("/candidate/invitations/<int:invitation_id>/accept")
@candidate_required
def accept_invitation(invitation_id: int):
    submitted_or_400(ActionForm())
    with attempt(abort_on=(404,)) as outcome:
        invitation = invitations.invitation_for_candidate(invitation_id, current_user)
        invitations.answer_invitation(invitation, actor=current_user, accept=True)
        outcome.success = (_("Your interview is booked.") if invitation.kind == InvitationKind.SLOT
                           else _("Apply or book from the company's page."))
    if outcome.ok and invitation.kind == InvitationKind.APPLY:
        return redirect(url_for("scheduling.company", participation_id=invitation.participation_id), code=303)
    return _home()


@bp.post("/candidate/invitations/<int:invitation_id>/decline")
@candidate_required
def decline_invitation(invitation_id: int):
    submitted_or_400(ActionForm())
    with attempt(_("The invitation is declined."), abort_on=(404,)):
        invitation = invitations.invitation_for_candidate(invitation_id, current_user)
        invitations.answer_invitation(invitation, actor=current_user, accept=False)
    return _home()
