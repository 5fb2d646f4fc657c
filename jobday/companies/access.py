"""Who belongs to which company, and the guards every company service uses."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from jobday.accounts.models import User
from jobday.companies.errors import NotCompanyAdmin, NotCompanyMember
from jobday.companies.models import CompanyMember
from jobday.extensions import db


def membership_of(user: User | None) -> CompanyMember | None:
    if user is None or not getattr(user, "is_authenticated", False) or user.id is None:
        return None
    # The member's user is ``user``: no join to load it again.
    return db.session.scalar(select(CompanyMember).where(CompanyMember.user_id == user.id)
                             .options(lazyload(CompanyMember.user)))


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
