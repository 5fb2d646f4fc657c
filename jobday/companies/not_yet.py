"""The pages of a recruiter's menu (applicants, the day, the stand, leads) before the company
takes part in the current edition: a page that says why they are empty, never a 404."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobday.companies.access import membership_of
from jobday.companies.services import participation_for
from jobday.editions.services import current_edition
from jobday.web import nothing_yet

_UNKNOWN = object()


def why_not_yet(title: str, *, member=None, edition=_UNKNOWN, participation=_UNKNOWN):
    """That page for a recruiter whose company is not (yet) approved at the current edition;
    None when it takes part (the page then shows its own content). A view that already looked
    them up passes the membership, edition and participation."""
    member = member or membership_of(current_user)
    if member is None:
        abort(404)
    if edition is _UNKNOWN:
        edition = current_edition()
    if participation is _UNKNOWN:
        participation = participation_for(member.company, edition)
    if participation is not None and participation.is_approved:
        return None
    if edition is None:
        reason = _("No edition has been announced yet. This page fills in once your company takes part.")
    elif participation is None:
        reason = _("Your company has not applied for %(edition)s yet. Apply from your company's page; "
                   "this page fills in once the organisers approve it.", edition=edition.name)
    elif participation.status == "declined":
        reason = _("The organisers declined your company's participation in %(edition)s.", edition=edition.name)
    else:
        reason = _("Your company's participation in %(edition)s is waiting for the organisers' approval. "
                   "This page fills in once it is approved: candidates can then book or apply.",
                   edition=edition.name)
    return nothing_yet(title, reason, next_url=url_for("companies.home"), next_label=_("My company"))
