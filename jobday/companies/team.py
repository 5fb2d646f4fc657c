"""A company's team: invitations (single-use, expiring), removal, and the admin role."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, select, update

from jobday import signals
from jobday.accounts import services as accounts
from jobday.accounts.models import User
from jobday.companies.access import membership_of, require_admin
from jobday.companies.errors import AlreadyInCompany, InvalidField, InvalidInvitation, LastAdmin
from jobday.companies.models import Company, CompanyMember, InterviewTable, Invitation, Participation
from jobday.db import utcnow
from jobday.driver_sql import DriverStatement
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.mail.services import queue_email
from jobday.security import Role


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_colleague(company: Company, email: str, *, actor: User) -> tuple[Invitation, str]:
    """Mail a single-use link; a newer invitation to the same address replaces the older one."""
    require_admin(company.id, actor)
    email = accounts.normalise_email(email)
    if not email or "@" not in email:
        raise InvalidField("email", _l("Enter a valid e-mail address."))
    if email in {member.user.email for member in company.members}:
        raise InvalidField("email", _l("This person is already in your team."), code="already_member")
    db.session.execute(delete(Invitation).where(
        Invitation.company_id == company.id, Invitation.email == email, Invitation.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    days = current_app.config.get("INVITATION_MAX_AGE_DAYS", 7)
    invitation = Invitation(company=company, email=email, token_hash=hash_token(token),
                            expires_at=utcnow() + timedelta(days=days), invited_by_id=actor.id)
    db.session.add(invitation)
    db.session.flush()
    invitee = accounts.find_user_by_email(email)
    accounts_locale = invitee.locale if invitee else actor.locale
    queue_email(to=email, subject=_l("%(name)s invites you to join %(company)s on Jobday",
                                     name=actor.first_name or actor.email, company=company.name),
                template="companies/invitation", locale=accounts_locale, company=company, inviter=actor,
                token=token, expires_at=invitation.expires_at)
    return invitation, token


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    query = select(Invitation).where(Invitation.token_hash == hash_token(token or ""))
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    invitation = db.session.scalar(query)
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        raise InvalidInvitation()
    return invitation


def accept_invitation(token: str, *, user: User) -> CompanyMember:
    invitation = invitation_for_token(token, lock=True)
    if accounts.normalise_email(user.email) != invitation.email:
        raise DomainError(_l("This invitation was sent to another e-mail address. Log in with that "
                             "address to accept it."), code="invitation_other_address")
    if membership_of(user) is not None:
        raise AlreadyInCompany(_l("Your account already belongs to a company; it cannot join another."))
    # Mark the invitation used first and only if still unused: a double click joins once.
    used = db.session.execute(update(Invitation).where(Invitation.id == invitation.id,
                                                       Invitation.used_at.is_(None))
                              .values(used_at=utcnow(), used_by_id=user.id))
    if used.rowcount != 1:
        raise InvalidInvitation()
    member = CompanyMember(company_id=invitation.company_id, user_id=user.id, is_admin=False)
    db.session.add(member)
    user.add_role(Role.RECRUITER)
    if user.email_confirmed_at is None:  # the link proved the mailbox
        user.email_confirmed_at = utcnow()
    db.session.flush()
    signals.company_member_joined.send(current_app._get_current_object(), member=member)
    return member


def accept_invitation_with_signup(token: str, *, first_name: str, last_name: str, password: str,
                                  locale: str | None) -> User:
    """A newcomer creates the account from the invitation and joins in one step."""
    invitation = invitation_for_token(token)
    user = accounts.register_user(email=invitation.email, password=password, first_name=first_name,
                                  last_name=last_name, locale=locale, roles=(Role.RECRUITER,),
                                  send_confirmation=False)
    accept_invitation(token, user=user)
    return user


def remove_member(member: CompanyMember, *, actor: User) -> None:
    """Takes effect at once: the next request of the removed recruiter finds no company."""
    require_admin(member.company_id, actor)
    if member.is_admin and _admin_count(member.company_id) <= 1:
        raise LastAdmin()
    db.session.execute(update(InterviewTable).where(
        InterviewTable.recruiter_id == member.user_id,
        InterviewTable.participation_id.in_(select(Participation.id).where(
            Participation.company_id == member.company_id))).values(recruiter_id=None))
    db.session.delete(member)
    db.session.flush()


def hand_over_admin(member: CompanyMember, *, actor: User) -> None:
    """The actor gives the admin role to a colleague and keeps the recruiter role only."""
    mine = require_admin(member.company_id, actor)
    if member.id == mine.id:
        raise DomainError(_l("You are already an administrator."), code="already_admin")
    member.is_admin = True
    mine.is_admin = False
    db.session.flush()


def cancel_invitation(invitation: Invitation, *, actor: User) -> None:
    require_admin(invitation.company_id, actor)
    db.session.delete(invitation)


class ColleagueUser(NamedTuple):
    display_name: str  # ``User.display_name``'s rule: the name, else the e-mail
    email: str


class Colleague(NamedTuple):
    """A member as the team lists show them (the company page, the team page)."""

    id: int
    is_admin: bool
    user: ColleagueUser


# ``Company.members`` (in its order) as plain rows: built once, no ORM members and users.
_COLLEAGUES = DriverStatement(
    select(CompanyMember.id, CompanyMember.is_admin, User.first_name, User.last_name, User.email)
    .join(User, User.id == CompanyMember.user_id)
    .where(CompanyMember.company_id == bindparam("company_id")).order_by(CompanyMember.id))


def colleagues(company_id: int) -> list[Colleague]:
    return [Colleague(member_id, is_admin, ColleagueUser(f"{first} {last}".strip() or email, email))
            for member_id, is_admin, first, last, email in _COLLEAGUES.session_all(company_id=company_id)]


class PendingInvitation(NamedTuple):
    id: int
    email: str
    expires_at: datetime


def pending_invitations(company: Company) -> list[PendingInvitation]:
    """The invitations waiting for an answer, oldest first: plain rows."""
    return [PendingInvitation(*row) for row in _PENDING.session_all(company_id=company.id, now=utcnow())]


def pending_invitation_count(company_id: int) -> int:
    return _PENDING_COUNT.session_scalar(company_id=company_id, now=utcnow())


# Built once.
_WAITING = (Invitation.company_id == bindparam("company_id"), Invitation.used_at.is_(None),
            Invitation.expires_at > bindparam("now"))
_PENDING = DriverStatement(select(Invitation.id, Invitation.email, Invitation.expires_at).where(*_WAITING)
                           .order_by(Invitation.created_at))
_PENDING_COUNT = DriverStatement(select(func.count(Invitation.id)).where(*_WAITING))


def _admin_count(company_id: int) -> int:
    return len(list(db.session.scalars(select(CompanyMember.id).where(
        CompanyMember.company_id == company_id, CompanyMember.is_admin.is_(True)))))
