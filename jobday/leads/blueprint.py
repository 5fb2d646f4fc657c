"""The leads blueprint, shared by the stand (``stand_views``), the leads pages (``views``),
the matching candidates (``match_views``) and the candidate's side (``candidate_views``)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from jobday.companies.models import Participation
from jobday.companies.services import approved_participation_of
from jobday.editions.services import current_edition

bp = Blueprint("leads", __name__)


def my_participation() -> Participation:
    """The recruiter's company's approved participation in the current edition (else 404)."""
    participation = approved_participation_of(current_user, current_edition())
    if participation is None:
        abort(404)
    return participation
