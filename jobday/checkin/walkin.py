"""Walk-ins: someone arrives without a badge or an account; the door registers them (a
candidate gets a registration, a company visitor a visitor badge with the company's name)
and prints the badge at once."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from jobday.accounts.models import User
from jobday.accounts.services import find_user_by_email, normalise_email
from jobday.badges.holders import Holder, holder, visitor
from jobday.badges.models import Badge
from jobday.badges.services import current_badge, ensure_badge, issue_badge, lock_edition
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError
from jobday.extensions import db


class CompanyMissing(DomainError):
    code = "company_missing"
    message = _l("Enter the company's name.")


def register_walk_in(*, first_name: str, last_name: str, email: str, kind: str, company: str,
                     edition: Edition, actor: User, now: datetime | None = None) -> Badge:
    from jobday.candidates.models import Registration, RegistrationStatus

    now = now or utcnow()
    if kind == "company" and not company.strip():
        raise CompanyMissing()
    lock_edition(edition)
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
