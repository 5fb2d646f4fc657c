"""Who belongs to which company, and the guards every company service uses."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload

from jobday.accounts.models import User
from jobday.companies.errors import NotCompanyAdmin, NotCompanyMember
from jobday.companies.models import Company, CompanyMember
from jobday.extensions import db
from jobday.memo import kept


def membership_of(user: User | None) -> CompanyMember | None:
    """The user's membership with its company (asked by the page and by each service it calls:
    kept for the transaction, ``jobday.memo``)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.id is None:
        return None
    return kept("membership", user.id, lambda: _membership(user.id), watch=(CompanyMember, Company))


# The member's user is the one asking: no join to load it again. Built once (building a
# statement cost as much as running it).
_MEMBERSHIP = (select(CompanyMember).where(CompanyMember.user_id == bindparam("user_id"))
               .options(lazyload(CompanyMember.user), joinedload(CompanyMember.company)))


def _membership(user_id: int) -> CompanyMember | None:
    return db.session.scalar(_MEMBERSHIP, {"user_id": user_id})


def require_member(company_id: int, actor: User) -> CompanyMember:
    """The actor's membership of this company; another company's data is 'not found'."""
    member = membership_of(actor)
    if member is None or member.company_id != company_id:
        raise NotCompanyMember()
    return member


def require_admin(company_id: int, actor: User) -> CompanyMember:
    member = require_member(company_id, actor)
    if not member.is_admin:
        raise NotCompanyAdmin()
    return member
