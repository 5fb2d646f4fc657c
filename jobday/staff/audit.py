"""The audit log: ``record_audit`` appends a row in the caller's transaction.

Entries say who (the actor's id), what (an action word), on which object (type and id),
when, and from which address; never names, e-mail addresses or other personal data, so
they survive erasure unchanged. Organiser logins are recorded through Flask-Login's
``user_logged_in`` signal, so the accounts views need no change (the receivers below are
connected by the staff feature's ``init_app``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import has_request_context, request
from flask_babel import gettext
from sqlalchemy import Select, or_, select
from werkzeug.local import LocalProxy

from jobday.accounts.models import User
from jobday.collation import fold, like_folded
from jobday.db import utcnow
from jobday.extensions import db
from jobday.security import Role
from jobday.staff.models import AuditAction, AuditEntry

ACTIONS = tuple(AuditAction)


def client_ip() -> str:
    if not has_request_context():
        return ""
    return (request.remote_addr or "")[:45]


def record_audit(action: str, *, actor, object_type: str = "", object_id: int | None = None,
                 detail: str = "", ip: str | None = None, now: datetime | None = None) -> AuditEntry:
    """Append one entry (``detail``: machine words only, e.g. ``format=csv``). The action and the
    object type are codes of ``AuditAction`` and ``AuditObject``."""
    entry = AuditEntry(action=action, actor_id=getattr(actor, "id", None), object_type=object_type,
                       object_id=object_id, detail=detail[:200], ip=client_ip() if ip is None else ip[:45],
                       created_at=now or utcnow())
    db.session.add(entry)
    return entry


@dataclass
class AuditFilter:
    action: str | None = None
    actor_id: int | None = None
    object_type: str | None = None
    object_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    who: str = ""  # a name or an address: the person who acted, or the person acted on


def audit_query(filters: AuditFilter) -> Select:
    statement = select(AuditEntry).order_by(AuditEntry.id.desc())
    words = fold(filters.who).split()[:4]
    if words:
        people = select(User.id)
        for word in words:
            people = people.where(User.search_key.like(like_folded(word), escape="\\"))
        statement = statement.where(or_(AuditEntry.actor_id.in_(people),
                                        (AuditEntry.object_type == "user") & AuditEntry.object_id.in_(people)))
    if filters.action:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.actor_id:
        statement = statement.where(AuditEntry.actor_id == filters.actor_id)
    if filters.object_type:
        statement = statement.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        statement = statement.where(AuditEntry.object_id == filters.object_id)
    if filters.since:
        statement = statement.where(AuditEntry.created_at >= filters.since)
    if filters.until:
        statement = statement.where(AuditEntry.created_at < filters.until)
    return statement


def on_login(_app, user, **_extra) -> None:
    """An organiser's login. The login view has committed before ``login_user``, so the entry
    is committed here on its own (the request's session holds nothing else then). The
    session renewed after a password change passes ``current_user`` itself: not a login."""
    if isinstance(user, LocalProxy):
        return
    if user.has_role(Role.ADMIN):
        record_audit("login", actor=user, object_type="user", object_id=user.id)
        db.session.commit()


def on_cv_viewed(_app, viewer, candidate_id: int, company_id: int, **_extra) -> None:
    """A company opened a candidate's CV (committed with the request that served it)."""
    record_audit("cv_view", actor=viewer, object_type="user", object_id=candidate_id,
                 detail=f"company={company_id}")


def on_scan_forced(_app, actor, scan_id: int, badge_id: int | None, reason: str, **_extra) -> None:
    record_audit("forced_scan", actor=actor, object_type="scan", object_id=scan_id,
                 detail=f"badge={badge_id} reason={reason}")


def on_participation_decided(_app, actor, participation_id: int, approved: bool, **_extra) -> None:
    record_audit("company_approve" if approved else "company_decline", actor=actor,
                 object_type="participation", object_id=participation_id)


def on_schedule_published(_app, actor, run_id: int, booked: int, skipped: int, **_extra) -> None:
    record_audit("schedule_publish", actor=actor, object_type="schedule_run", object_id=run_id,
                 detail=f"booked={booked};skipped={skipped}")


@dataclass
class AuditRow:
    entry: AuditEntry
    actor: str  # the actor's name ("" for the system)
    subject: str  # what was acted on, in words
    subject_user_id: int | None = None  # a person's record to link to


def audit_rows(entries: list[AuditEntry]) -> list[AuditRow]:
    """Names instead of numbers: the people, companies, runs and campaigns the entries name,
    loaded in one query per kind (a person erased since shows as "erased person")."""
    from jobday.companies.models import Company, Participation
    from jobday.staff.models import Campaign

    user_ids = {e.actor_id for e in entries if e.actor_id} | {e.object_id for e in entries
                                                            if e.object_type == "user" and e.object_id}
    names = {uid: f"{first} {last}".strip() or email for uid, first, last, email in db.session.execute(
        select(User.id, User.first_name, User.last_name, User.email).where(User.id.in_(user_ids or {0})))}
    companies = dict(db.session.execute(
        select(Participation.id, Company.name).join(Company, Company.id == Participation.company_id)
        .where(Participation.id.in_({e.object_id for e in entries if e.object_type == "participation"} or {0})))
        .all())
    subjects = dict(db.session.execute(select(Campaign.id, Campaign.subject_fr).where(
        Campaign.id.in_({e.object_id for e in entries if e.object_type == "campaign"} or {0}))).all())
    rows = []
    for entry in entries:
        kind, number = str(entry.object_type or ""), entry.object_id
        if kind == "user" and number:
            subject = names.get(number) or gettext("erased person")
        elif kind == "participation" and number in companies:
            subject = companies[number]
        elif kind == "campaign" and number in subjects:
            subject = f"{entry.object_type.label} « {subjects[number]} »"
        elif kind:
            subject = f"{entry.object_type.label} {number}" if number else entry.object_type.label
        else:
            subject = ""
        actor = (names.get(entry.actor_id) or gettext("erased person")) if entry.actor_id else ""
        rows.append(AuditRow(entry, actor, subject, number if kind == "user" and number in names else None))
    return rows
