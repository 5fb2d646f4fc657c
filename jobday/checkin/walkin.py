"""Walk-ins: someone arrives without a badge or an account; the door registers them (a
candidate gets an account and a registration, a company visitor a visitor badge with the
company's name, with an account only when an e-mail address is given), lets them in, and
prints the badge at once (a print the next bulk print knows of)."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from jobday.accounts.models import User
from jobday.accounts.services import find_user_by_email, normalise_email
from jobday.badges.files import badge_pdf
from jobday.badges.holders import Holder, holder, visitor
from jobday.badges.models import Badge
from jobday.badges.printing import record_print
from jobday.badges.services import current_badge, ensure_badge, issue_badge, lock_edition
from jobday.checkin.services import Outcome, perform_checkin
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError
from jobday.extensions import db


class CompanyMissing(DomainError):
    code = "company_missing"
    message = _l("Enter the company's name.")


class EmailMissing(DomainError):
    code = "email_missing"
    message = _l("A candidate needs an e-mail address: it opens their account.")


def register_walk_in(*, first_name: str, last_name: str, email: str | None, kind: str, company: str,
                     edition: Edition, actor: User, gate: str = "A", now: datetime | None = None
                     ) -> tuple[Badge, Outcome]:
    """The walk-in's badge, and their entry at ``gate`` (recorded as a scan by ``actor``)."""
    now = now or utcnow()
    email = (email or "").strip()
    if kind == "company" and not company.strip():
        raise CompanyMissing()
    if kind == "candidate" and not email:
        raise EmailMissing()
    lock_edition(edition)
    if not email:  # a company's visitor without an address: a badge without an account
        badge = issue_badge(Holder(None, "visitor", first_name.strip()[:100], last_name.strip()[:100],
                                   company_name=company.strip()[:200]), edition, actor=actor, now=now)
    else:
        badge = _badge_with_account(first_name, last_name, email, kind, company, edition, actor, now)
    outcome = perform_checkin(badge.code, gate=gate, nonce=f"walk-in-{secrets.token_hex(12)}", edition=edition,
                              actor=actor, now=now)
    return badge, outcome


def print_at_the_door(badge: Badge, layout: str, *, actor: User, now: datetime | None = None) -> bytes:
    """The badge's PDF, recorded as printed: the next bulk print of new badges leaves it out."""
    pdf = badge_pdf(badge, layout)
    record_print([badge], edition_id=badge.edition_id, layout=layout, selection="door", reason="",
                 actor_id=actor.id, now=now)
    return pdf


def _badge_with_account(first_name: str, last_name: str, email: str, kind: str, company: str,
                        edition: Edition, actor: User, now: datetime) -> Badge:
    from jobday.candidates.models import Registration, RegistrationStatus

    user = find_user_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), first_name=first_name.strip(), last_name=last_name.strip(),
                    created_at=now)
        db.session.add(user)
        db.session.flush()
    if kind == "candidate":
        registration = db.session.scalar(select(Registration).where(
            Registration.user_id == user.id, Registration.edition_id == edition.id))
        if registration is None:
            db.session.add(Registration(user_id=user.id, edition_id=edition.id, created_at=now,
                                        status=RegistrationStatus.REGISTERED, registered_at=now))
        else:
            registration.status, registration.registered_at = RegistrationStatus.REGISTERED, now
        db.session.flush()
        badge = ensure_badge(user, edition, actor=actor, now=now)
        if badge is not None:
            return badge
    existing = current_badge(user, edition)
    if existing is not None:
        return existing
    base = holder(user, edition) or visitor(user)
    if kind == "company":
        base = Holder(user.id, "visitor", base.first_name, base.last_name, company_name=company.strip()[:200],
                      locale=base.locale)
    return issue_badge(base, edition, actor=actor, now=now)
