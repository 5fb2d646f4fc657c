"""The companies blueprint and the lookups its views share."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from jobday.companies.access import membership_of
from jobday.companies.models import CompanyMember, Participation
from jobday.companies.services import participation_for
from jobday.editions.services import current_edition

bp = Blueprint("companies", __name__)


def my_membership() -> CompanyMember:
    """The current user's membership; none (e.g. just removed) is a 404."""
    member = membership_of(current_user)
    if member is None:
        abort(404)
    return member


def owned(obj, company_id: int | None):
    """``obj`` if it belongs to ``company_id``; anything else is a 404."""
    if obj is None or company_id is None or obj.company_id != company_id:
        abort(404)
    return obj


def my_participation(member: CompanyMember) -> Participation:
    participation = participation_for(member.company, current_edition())
    if participation is None:
        abort(404)
    return participation
