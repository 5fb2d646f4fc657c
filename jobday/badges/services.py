"""Badge rules: issue, reissue, revoke, keep every badge of an edition in line with who takes
part (``sync_edition``), and a person's own badge (``ensure_badge``).

Issuing for an edition first locks the edition row on PostgreSQL (``SELECT ... FOR
UPDATE``; SQLite writers already hold the database through ``BEGIN IMMEDIATE``), so two
requests cannot both issue a first badge to the same person; the partial unique index
"one active badge per person and edition" is the last line of defence.

What changes a badge:
  - the person's name or role changes: the badge is reissued (new code, the old one revoked
    with the reason), and the person is told by e-mail when someone else did it;
  - the company name, the stand or the person's language changes: the printed text is
    refreshed, the code stays, and the badge counts as changed for the next print;
  - the person no longer takes part (registration withdrawn, company not approved): the
    badge is revoked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from jobday.accounts.models import User
from jobday.badges import holders as holders_module
from jobday.badges.codes import new_code
from jobday.badges.holders import Holder
from jobday.badges.models import ACTIVE, REVOKED, Badge, RevokeReason
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.mail.services import Attachment, queue_email

REISSUE_REASONS = RevokeReason.for_reissue()
REASON_NAME_CHANGED, REASON_ROLE_CHANGED = RevokeReason.NAME_CHANGED, RevokeReason.ROLE_CHANGED
REASON_WITHDRAWN, REASON_NOT_TAKING_PART, REASON_ERASED = (RevokeReason.WITHDRAWN, RevokeReason.NOT_TAKING_PART,
                                                           RevokeReason.ERASED)


class BadgeNotActive(DomainError):
    code = "badge_not_active"
    message = _l("This badge has been revoked already.")


class UnknownReason(DomainError):
    code = "badge_reason_unknown"
    message = _l("Choose a reason.")


class BadgeBusy(DomainError):
    code = "badge_busy"
    message = _l("Badges of this edition are being updated by someone else. Please try again.")
    status = 409


@dataclass
class SyncPlan:
    """What ``sync_edition`` would do; computed without writing (the print page shows it)."""

    issue: list[Holder] = field(default_factory=list)
    reissue: list[tuple[Badge, Holder, str]] = field(default_factory=list)
    refresh: list[tuple[Badge, Holder]] = field(default_factory=list)
    revoke: list[Badge] = field(default_factory=list)
    keep: list[Badge] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.issue) + len(self.reissue) + len(self.refresh) + len(self.revoke)


def lock_edition(edition: Edition) -> None:
    db.session.execute(select(Edition.id).where(Edition.id == edition.id).with_for_update())


def current_badge(user: User, edition: Edition) -> Badge | None:
    return db.session.scalars(select(Badge).where(
        Badge.user_id == user.id, Badge.edition_id == edition.id, Badge.status == ACTIVE)).first()


def _apply(badge: Badge, holder: Holder, now: datetime) -> None:
    badge.role, badge.first_name, badge.last_name = holder.role, holder.first_name, holder.last_name
    badge.company_id, badge.company_name = holder.company_id, holder.company_name
    badge.stand, badge.locale = holder.stand, holder.locale
    badge.refresh_hash()
    badge.changed_at = now


def _new_badge(holder: Holder, edition: Edition, now: datetime) -> Badge:
    badge = Badge(code=new_code(), user_id=holder.user_id, edition_id=edition.id, status=ACTIVE,
                  issued_at=now, print_count=0)
    _apply(badge, holder, now)
    db.session.add(badge)
    return badge


def _flush() -> None:
    """No savepoint here: e-mails queued in this transaction must wait for its real commit.
    After BadgeBusy the caller rolls the whole transaction back."""
    try:
        db.session.flush()
    except IntegrityError as error:
        raise BadgeBusy() from error


def issue_badge(holder: Holder, edition: Edition, *, actor: User | None,
                now: datetime | None = None) -> Badge:
    """A first badge for ``holder`` (a visitor at the door, or anyone through ``sync``)."""
    badge = _new_badge(holder, edition, now or utcnow())
    _flush()
    return badge


def revoke_badge(badge: Badge, *, reason: str, actor: User | None, now: datetime | None = None) -> Badge:
    if badge.status != ACTIVE:
        raise BadgeNotActive()
    badge.status, badge.revoked_at, badge.revoke_reason = REVOKED, now or utcnow(), reason[:40]
    db.session.flush()
    return badge


def reissue_badge(badge: Badge, *, reason: str, actor: User | None, holder: Holder | None = None,
                  now: datetime | None = None, notify: bool = True) -> Badge:
    """A new code for the same person and edition; the old badge stays, revoked, and points
    to its replacement. ``holder`` brings new printed details (else the old ones are kept)."""
    if reason not in REISSUE_REASONS + (REASON_NAME_CHANGED, REASON_ROLE_CHANGED):
        raise UnknownReason()
    now = now or utcnow()
    revoke_badge(badge, reason=reason, actor=actor, now=now)
    replacement = Badge(code=new_code(), user_id=badge.user_id, edition_id=badge.edition_id, status=ACTIVE,
                        issued_at=now, print_count=0, role=badge.role, first_name=badge.first_name,
                        last_name=badge.last_name, company_id=badge.company_id,
                        company_name=badge.company_name, stand=badge.stand, locale=badge.locale)
    if holder is not None:
        _apply(replacement, holder, now)
    else:
        replacement.refresh_hash()
        replacement.changed_at = now
    db.session.add(replacement)
    _flush()
    badge.replaced_by_id = replacement.id
    if notify and badge.user is not None and badge.user.email and not badge.user.is_disabled:
        _tell_of_reissue(badge.user, replacement)
    return replacement


def _tell_of_reissue(user: User, badge: Badge) -> None:
    from jobday.badges import files

    edition = badge.edition or db.session.get(Edition, badge.edition_id)
    queue_email(to=user.email, subject=_l("Your new badge for %(edition)s", edition=edition.name),
                template="badges/reissued", locale=user.locale, user=user, edition=edition, badge=badge,
                attachments=[files.deferred_attachment(badge)])


def badge_attachments(user: User, edition: Edition, *, now: datetime | None = None) -> list[Attachment]:
    """The person's badge as an e-mail attachment (issued first if needed), or nothing for
    someone who does not take part: for the registration confirmation e-mail. Runs in the
    caller's transaction; the PDF is rendered when the e-mail is delivered."""
    from jobday.badges import files

    badge = ensure_badge(user, edition, actor=user, now=now)
    return [files.deferred_attachment(badge)] if badge is not None else []


def _needs_reissue(badge: Badge, holder: Holder) -> str | None:
    if badge.role != holder.role:
        return REASON_ROLE_CHANGED
    if (badge.first_name, badge.last_name) != (holder.first_name, holder.last_name):
        return REASON_NAME_CHANGED
    return None


def plan_sync(edition: Edition, *, user_id: int | None = None) -> SyncPlan:
    wanted = holders_module.holders_for_edition(edition, user_id=user_id)
    statement = select(Badge).where(Badge.edition_id == edition.id, Badge.status == ACTIVE)
    if user_id is not None:
        statement = statement.where(Badge.user_id == user_id)
    plan = SyncPlan()
    held: set[int] = set()
    for badge in db.session.scalars(statement):
        holder = wanted.get(badge.user_id) if badge.user_id is not None else None
        if holder is None:
            if badge.role == "visitor" and badge.user_id is not None:
                plan.keep.append(badge)  # issued at the door; nothing derives it
            else:
                plan.revoke.append(badge)
            continue
        held.add(holder.user_id)
        reason = _needs_reissue(badge, holder)
        if reason:
            plan.reissue.append((badge, holder, reason))
        elif badge.display_hash != holder.display_hash:
            plan.refresh.append((badge, holder))
        else:
            plan.keep.append(badge)
    plan.issue = [holder for user_id_, holder in wanted.items() if user_id_ not in held]
    return plan


def apply_sync(plan: SyncPlan, edition: Edition, *, actor: User | None, now: datetime | None = None,
               notify: bool = True) -> SyncPlan:
    now = now or utcnow()
    for badge in plan.revoke:
        revoke_badge(badge, reason=REASON_NOT_TAKING_PART, actor=actor, now=now)
    for badge, holder in plan.refresh:
        _apply(badge, holder, now)
    for badge, holder, reason in plan.reissue:
        reissue_badge(badge, reason=reason, actor=actor, holder=holder, now=now, notify=notify)
    for holder in plan.issue:
        _new_badge(holder, edition, now)
    _flush()
    return plan


def sync_edition(edition: Edition, *, actor: User | None, now: datetime | None = None) -> SyncPlan:
    """Bring every badge of the edition in line with who takes part (before printing)."""
    lock_edition(edition)
    return apply_sync(plan_sync(edition), edition, actor=actor, now=now)


def ensure_badge(user: User, edition: Edition, *, actor: User | None,
                 now: datetime | None = None) -> Badge | None:
    """The person's active badge, issued or brought up to date first; None when the person
    does not take part in the edition (then no badge is served, even an old active one)."""
    plan = plan_sync(edition, user_id=user.id)
    if plan.changes:
        lock_edition(edition)
        plan = plan_sync(edition, user_id=user.id)  # again, under the lock
        # The person is downloading the new badge right now: no e-mail about it.
        apply_sync(plan, edition, actor=actor, now=now, notify=actor is None or actor.id != user.id)
    # After the sync, an active badge belongs to someone who takes part (or a visitor).
    return current_badge(user, edition)


def needs_update(user: User, edition: Edition) -> bool:
    """Whether ``ensure_badge`` would write (a read-only request must then start a write)."""
    return plan_sync(edition, user_id=user.id).changes > 0


# --- receivers of the candidates' signals ------------------------------------------------

def revoke_for_withdrawal(registration, *, now: datetime | None = None) -> None:
    for badge in db.session.scalars(select(Badge).where(
            Badge.user_id == registration.user_id, Badge.edition_id == registration.edition_id,
            Badge.status == ACTIVE, Badge.role == "candidate")):
        revoke_badge(badge, reason=REASON_WITHDRAWN, actor=None, now=now)


def erase_badges(user: User, *, now: datetime | None = None) -> None:
    """Personal data goes; the rows stay (revoked, nameless) so the door history holds."""
    for badge in db.session.scalars(select(Badge).where(Badge.user_id == user.id)):
        if badge.status == ACTIVE:
            revoke_badge(badge, reason=REASON_ERASED, actor=None, now=now)
        badge.first_name = badge.last_name = ""
        badge.refresh_hash()
    db.session.flush()
