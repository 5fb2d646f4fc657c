"""Who belongs to which company, and the guards every company service uses."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from jobday.accounts.models import User
from jobday.companies.errors import NotCompanyAdmin, NotCompanyMember
from jobday.companies.models import Company, CompanyMember, Participation
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.editions.services import CURRENT_EDITION_ID, keep_current_edition
from jobday.extensions import db
from jobday.memo import keep, kept


def membership_of(user: User | None) -> CompanyMember | None:
    """The user's membership with its company (asked by the page and by each service it calls:
    kept for the transaction, ``jobday.memo``). Its statement also reads the current edition and
    the company's participation in it, kept for ``current_edition`` and ``participation_for``:
    a recruiter's page asks for all three."""
    if user is None or not getattr(user, "is_authenticated", False) or user.id is None:
        return None
    return kept("membership", user.id, lambda: _membership(user.id), watch=_MEMBERSHIP_WATCH)


_MEMBERSHIP_WATCH = (CompanyMember, Company)

# The member's user is the one asking: no join to load it again. Built once (building a
# statement cost as much as running it).
_MEMBERSHIP = (
    select(CompanyMember, Company, Edition, Participation)
    .join(Company, Company.id == CompanyMember.company_id)
    .outerjoin(Edition, Edition.id == CURRENT_EDITION_ID)
    .outerjoin(Participation, and_(Participation.company_id == CompanyMember.company_id,
                                   Participation.edition_id == Edition.id))
    .where(CompanyMember.user_id == bindparam("user_id"))
    .options(lazyload(CompanyMember.user))
)


def _membership(user_id: int) -> CompanyMember | None:
    today = utcnow().date()
    row = db.session.execute(_MEMBERSHIP, {"user_id": user_id, "today": today}).first()
    if row is None:
        return None
    member, company, edition, participation = row
    # Held by the membership as a joined load would (the session keeps loaded objects weakly).
    set_committed_value(member, "company", company)
    if edition is not None:
        keep_current_edition(today, edition)
        keep("participation", (member.company_id, edition.id), participation, watch=_PARTICIPATION_WATCH)
    return member


def participation_for(company: Company, edition: Edition | None) -> Participation | None:
    """The company's participation in the edition (kept for the transaction)."""
    if edition is None:
        return None
    return kept("participation", (company.id, edition.id), lambda: db.session.scalar(
        _PARTICIPATION, {"company_id": company.id, "edition_id": edition.id}), watch=_PARTICIPATION_WATCH)


_PARTICIPATION_WATCH = (Participation,)

# Built once: asked on every recruiter's page, where building it cost as much as running it.
_PARTICIPATION = select(Participation).where(Participation.company_id == bindparam("company_id"),
                                             Participation.edition_id == bindparam("edition_id"))


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
