"""The scheduling blueprint and the helpers its page modules share."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, url_for
from flask_babel import gettext as _

from jobday.companies.models import Participation
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.scheduling import waitlist
from jobday.security import Role, role_required
from jobday.web import attempt, nothing_yet

bp = Blueprint("scheduling", __name__)
candidate_required = role_required(Role.CANDIDATE)


def participation_or_404(participation_id: int, edition: Edition) -> Participation:
    """An approved company of the edition; anything else is a 404."""
    participation = db.session.get(Participation, participation_id)
    if participation is None or participation.edition_id != edition.id or not participation.is_approved:
        abort(404)
    return participation


def no_edition_yet(title: str):
    """A candidate's menu page before any edition is announced."""
    return nothing_yet(title, _("No edition has been announced yet. Your interviews will be here once it is."),
                       next_url=url_for("candidates.home"), next_label=_("My Jobdays"))


def calendar_response(body: bytes, filename: str):
    """An ``.ics`` file to download, never kept by a shared cache."""
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def settle_offers(edition: Edition) -> None:
    """A page that shows slots or lines first passes overdue waiting-list offers on."""
    if not waitlist.offers_due(edition_id=edition.id):
        return
    with attempt(tell=None, writing=True):
        waitlist.expire_slot_offers(edition_id=edition.id)
