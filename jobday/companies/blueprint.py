"""The companies blueprint and the lookups its views share."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from jobday.companies.access import membership_of
from jobday.companies.errors import InvalidField
from jobday.companies.models import CompanyMember, Participation
from jobday.companies.services import participation_for
from jobday.editions.services import current_edition
from jobday.errors import DomainError

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


def field_error(form, error: DomainError) -> None:
    """Show a service's refusal on its field, or at the top of the form."""
    field = getattr(form, error.details.get("field", ""), None) if isinstance(error, InvalidField) else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
