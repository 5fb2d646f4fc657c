"""The leads blueprint, shared by the stand (``stand_views``), the leads pages (``views``),
the matching candidates (``match_views``) and the candidate's side (``candidate_views``)."""

from __future__ import annotations

from flask import Blueprint, abort, make_response
from flask_login import current_user

from jobday.companies.access import membership_of
from jobday.companies.models import Participation
from jobday.companies.not_yet import why_not_yet
from jobday.companies.services import approved_participation_of
from jobday.editions.services import current_edition

bp = Blueprint("leads", __name__)


def my_participation(*, why_not: str | None = None) -> Participation:
    """The recruiter's company's approved participation in the current edition (else 404, or
    with ``why_not``, a menu page's title, the page that says why it is empty)."""
    membership_of(current_user)  # first: its statement reads the current edition and participation too
    participation = approved_participation_of(current_user, current_edition())
    if participation is None:
        if why_not is not None:
            abort(make_response(why_not_yet(why_not)))
        abort(404)
    return participation
