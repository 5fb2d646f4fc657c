"""Reminders: the evening before the fair (badge and agenda attached) and on the morning.

``send_reminders`` is idempotent: each person's e-mail has the dedup key
``reminder:<kind>:<edition id>:user:<user id>``, already-queued people are skipped, and the
database refuses a second row with the same key. Run from the worker's periodic tasks or
``flask --app jobday reminders send --kind eve|morning``.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, exists, literal, select
from sqlalchemy.exc import IntegrityError

from jobday.accounts.models import User
from jobday.badges.models import Badge
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.editions.services import current_edition
from jobday.extensions import db
from jobday.mail.models import OutboundEmail
from jobday.mail.services import queue_email

log = logging.getLogger(__name__)
KINDS = ("eve", "morning")
BATCH = 50


def reminder_key(kind: str, edition: Edition, user_id: int) -> str:
    return f"reminder:{kind}:{edition.id}:user:{user_id}"


def not_yet_sent(statement, prefix: str):
    """Narrow a SELECT of users to those without an outbox row keyed ``<prefix><user id>``."""
    key = literal(prefix, String) + cast(User.id, String)
    return statement.where(~exists().where(OutboundEmail.dedup_key == key))


def badge_attachments(user: User, edition: Edition, badge: Badge | None) -> list:
    from jobday.badges import files
    from jobday.scheduling.agenda import agenda_pdf

    attachments = [files.attachment(badge)] if badge is not None else []
    attachments.append((f"agenda-{edition.year}.pdf", "application/pdf", agenda_pdf(user, edition)))
    return attachments


def queue_badge_email(user: User, edition: Edition, badge: Badge, *, dedup_key: str | None = None) -> None:
    queue_email(to=user.email, subject=_l("Your badge and agenda for %(edition)s", edition=edition.name),
                template="staff/badge", locale=user.locale, user=user, edition=edition,
                dedup_key=dedup_key, attachments=badge_attachments(user, edition, badge))


def _recipients(edition: Edition, kind: str) -> list[User]:
    statement = (select(User).join(Registration, Registration.user_id == User.id)
                 .where(Registration.edition_id == edition.id,
                        Registration.status == str(RegistrationStatus.REGISTERED),
                        User.is_disabled.is_(False)).order_by(User.id))
    return list(db.session.scalars(not_yet_sent(statement, f"reminder:{kind}:{edition.id}:user:").limit(BATCH)))


def send_reminders(edition: Edition, kind: str) -> int:
    """Queue and commit the reminders not sent yet, in batches; returns how many were queued."""
    from jobday.badges.services import ensure_badge

    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    queued = 0
    while True:
        users = _recipients(edition, kind)
        if not users:
            return queued
        for user in users:
            key = reminder_key(kind, edition, user.id)
            if kind == "eve":
                badge = ensure_badge(user, edition, actor=None)
                queue_email(to=user.email, subject=_l("See you tomorrow at %(edition)s", edition=edition.name),
                            template="staff/reminder_eve", locale=user.locale, user=user, edition=edition,
                            dedup_key=key, attachments=badge_attachments(user, edition, badge))
            else:
                queue_email(to=user.email, subject=_l("Today: %(edition)s", edition=edition.name),
                            template="staff/reminder_morning", locale=user.locale, user=user, edition=edition,
                            dedup_key=key)
        try:
            db.session.commit()
        except IntegrityError:  # another run queued some of them first: look again
            db.session.rollback()
            log.info("Reminders %s: another run got there first; retrying the batch", kind)
            continue
        queued += len(users)


def due_kind(edition: Edition, today: date) -> str | None:
    if today == edition.starts_on - timedelta(days=1):
        return "eve"
    if today == edition.starts_on:
        return "morning"
    return None


def send_due_reminders() -> int:
    """The worker's run at 05:00 and 17:00 UTC: the reminders due today, if any."""
    edition = current_edition()
    kind = due_kind(edition, utcnow().date()) if edition else None
    return send_reminders(edition, kind) if kind else 0
