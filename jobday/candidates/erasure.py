"""Erasing a candidate: their own account deletion and the back-office purge alike.

What is kept is an anonymous user row (the foreign keys of bookings, scans and statistics
point at it). What goes, in the caller's transaction: registrations (withdrawn, places freed),
consents, the profile and its CV, every e-mail addressed to them (reset links included) and
its development copy, what other features keep about them (badges, leads: receivers of
``candidate_erased``), and the files jobs made (exports, bulk prints, door lists, backups):
those hold many people, cannot be scrubbed of one, and are made again in a minute.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from jobday.accounts.models import User
from jobday.accounts.passwords import verify_password
from jobday.candidates import consent, cv
from jobday.candidates.models import ACTIVE, Registration
from jobday.candidates.registration import withdraw_for_erasure
from jobday.candidates.services import WrongPassword, get_profile
from jobday.candidates.signals import candidate_erased
from jobday.db import utcnow
from jobday.errors import PermissionDenied
from jobday.extensions import db
from jobday.mail.services import forget_recipient
from jobday.storage import ExpiringFile


def erase_candidate(user: User, *, now: datetime | None = None) -> None:
    """Erase a candidate's personal data and keep an anonymous row; the caller commits.

    Active registrations are withdrawn (freed places go to the waiting list), consents
    are withdrawn, the CV goes with the profile, and every session ends."""
    now = now or utcnow()
    for registration in db.session.scalars(select(Registration).where(
            Registration.user_id == user.id, Registration.status.in_(ACTIVE))):
        withdraw_for_erasure(registration, now=now)
    consent.withdraw_all_consents(user, now=now)
    profile = get_profile(user)
    if profile is not None:
        cv.delete_cv(profile)
        db.session.delete(profile)
    candidate_erased.send(user, now=now)
    # E-mails to them (reset links included), those naming them to others, and their .eml copies.
    forget_recipient(user.email, f"{user.first_name} {user.last_name}")
    db.session.execute(delete(ExpiringFile).where(ExpiringFile.kind == "job"))
    user.email = f"deleted-{user.id}@invalid"
    user.first_name = user.last_name = ""
    user.password_hash = None
    user.locale = None
    user.email_confirmed_at = None
    user.last_login_at = None
    user.is_disabled = True
    user.role_rows = []
    user.end_all_sessions()
    db.session.flush()


def delete_account(user: User, *, password: str, actor: User) -> None:
    """The candidate's own deletion: the password again, then ``erase_candidate``."""
    if actor.id != user.id:
        raise PermissionDenied()
    if not verify_password(user.password_hash, password or ""):
        raise WrongPassword()
    erase_candidate(user)
