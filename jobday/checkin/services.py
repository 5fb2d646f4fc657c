"""The door's one decision: ``perform_checkin`` (pretix-style).

A scan is decided under a lock on the badge's row (``SELECT ... FOR UPDATE`` on PostgreSQL;
SQLite write requests already hold the database through ``BEGIN IMMEDIATE``), so two gates
scanning the same badge at once give one ``ok`` and one ``already_inside``. Every attempt
is written as a ``Scan`` row, refused ones included. A nonce already seen in the same scope
(device or staff session) returns the recorded answer and writes nothing.

Order of the checks: unknown → wrong edition → revoked (cancelled when revoked because the
registration was withdrawn) → cancelled (a candidate's registration withdrawn, badge not yet
revoked) → not today (outside the edition's days, at the venue's clock) → exit (an exit scan,
when the edition records exits) → already inside → ok. A supervisor (an organiser) may force
a refused badge in: the result is ``ok``, the scan is marked forced and keeps the reason.

The scan path is lean: one badge lookup by its unique code, one lock, one nonce lookup, the
last entry/exit of that badge, one insert; candidates also get one query for their
registration and one for today's interviews.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from jobday import signals
from jobday.accounts.models import User
from jobday.badges.models import ACTIVE, Badge
from jobday.checkin.codes import clean_input, read_code
from jobday.checkin.models import (
    ALREADY_INSIDE,
    CANCELLED,
    EXIT,
    MOVES,
    NOT_TODAY,
    OK,
    REVOKED,
    UNKNOWN,
    WRONG_EDITION,
    GateDevice,
    Scan,
)
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError, PermissionDenied
from jobday.extensions import db
from jobday.security import Role

REASON_WITHDRAWN = "withdrawn"  # the badges feature's revoke reason for a withdrawn registration
MESSAGES = {
    OK: _l("Welcome!"),
    ALREADY_INSIDE: _l("Already inside."),
    UNKNOWN: _l("Unknown code."),
    REVOKED: _l("This badge was revoked."),
    WRONG_EDITION: _l("This badge is for another edition."),
    NOT_TODAY: _l("This badge is not valid today."),
    CANCELLED: _l("The registration was cancelled."),
    EXIT: _l("Goodbye!"),
}
FORCEABLE = (ALREADY_INSIDE, REVOKED, WRONG_EDITION, NOT_TODAY, CANCELLED)


class InvalidScan(DomainError):
    code = "invalid_scan"
    message = _l("This scan is not valid.")


class ExitsNotRecorded(DomainError):
    code = "exits_not_recorded"
    message = _l("This edition does not record exits.")


@dataclass
class Interview:
    starts_at: datetime
    company: str
    stand: str


@dataclass
class Outcome:
    """What the door shows: the scan row, and for the screen the person's public details."""

    scan: Scan
    name: str = ""
    role: str = ""
    company: str = ""
    interviews: list[Interview] = field(default_factory=list)
    first_entry: Scan | None = None
    replayed: bool = False

    @property
    def result(self) -> str:
        return self.scan.result


def can_force(actor: User | None) -> bool:
    return actor is not None and actor.has_role(Role.ADMIN)


def scope_of(*, actor: User | None, device: GateDevice | None) -> str:
    return f"d{device.id}" if device is not None else f"u{actor.id}"


def edition_day_bounds(edition: Edition) -> tuple[datetime, datetime]:
    """The first and last instants of the edition's days at the venue (UTC)."""
    zone = ZoneInfo(edition.timezone or "Europe/Brussels")
    start = datetime.combine(edition.starts_on, time(0, 0), tzinfo=zone)
    end = datetime.combine(edition.ends_on + timedelta(days=1), time(0, 0), tzinfo=zone)
    return start, end


# The scan path's statements are built once (with bound parameters): building a select and
# its cache key on every request cost more than running it.
_BADGE_BY_CODE = select(Badge).where(Badge.code == bindparam("code"))
_BADGE_BY_CODE_FOR_UPDATE = _BADGE_BY_CODE.with_for_update()
_SCAN_BY_NONCE = select(Scan).where(Scan.scope == bindparam("scope"), Scan.nonce == bindparam("nonce"))
_LAST_MOVE = (select(Scan).where(Scan.badge_id == bindparam("badge_id"), Scan.result.in_(MOVES))
              .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(1))


def _badge_for_update(code: str) -> Badge | None:
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    return db.session.scalar(_BADGE_BY_CODE_FOR_UPDATE if postgresql else _BADGE_BY_CODE, {"code": code})


def _replay(scope: str, nonce: str) -> Scan | None:
    return db.session.scalar(_SCAN_BY_NONCE, {"scope": scope, "nonce": nonce})


def _last_move(badge: Badge) -> Scan | None:
    return db.session.scalar(_LAST_MOVE, {"badge_id": badge.id})


def _registration_withdrawn(badge: Badge) -> bool:
    from jobday.candidates.models import Registration, RegistrationStatus

    status = db.session.scalar(select(Registration.status).where(
        Registration.user_id == badge.user_id, Registration.edition_id == badge.edition_id))
    return status == RegistrationStatus.WITHDRAWN


def interviews_today(user_id: int, edition: Edition, at: datetime) -> list[Interview]:
    """The candidate's active interviews on the venue's day of ``at``: one query."""
    from jobday.companies.models import Company, Participation
    from jobday.scheduling.models import Booking

    zone = ZoneInfo(edition.timezone or "Europe/Brussels")
    day = at.astimezone(zone).date()
    start = datetime.combine(day, time(0, 0), tzinfo=zone)
    rows = db.session.execute(
        select(Booking.starts_at, Company.name, Participation.stand)
        .join(Participation, Participation.id == Booking.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .where(Booking.candidate_id == user_id, Booking.edition_id == edition.id, Booking.active.is_(True),
               Booking.starts_at >= start, Booking.starts_at < start + timedelta(days=1))
        .order_by(Booking.starts_at))
    return [Interview(starts_at, company, stand or "") for starts_at, company, stand in rows]


def _decide(badge: Badge | None, edition: Edition, at: datetime, exit_scan: bool) -> tuple[str, Scan | None]:
    """The result for ``badge`` and, for already_inside, the first entry."""
    if badge is None:
        return UNKNOWN, None
    if badge.edition_id != edition.id:
        return WRONG_EDITION, None
    if badge.status != ACTIVE:
        return (CANCELLED if badge.revoke_reason == REASON_WITHDRAWN else REVOKED), None
    if badge.role == "candidate" and badge.user_id is not None and _registration_withdrawn(badge):
        return CANCELLED, None
    start, end = edition_day_bounds(edition)
    if not start <= at < end:
        return NOT_TODAY, None
    if exit_scan:
        return EXIT, None  # an exit is always recorded (pretix's way); re-entry is then allowed
    last = _last_move(badge)
    if last is not None and last.result == OK:
        return ALREADY_INSIDE, last  # the entry of the current stay
    return OK, None


def _outcome(scan: Scan, badge: Badge | None, edition: Edition, first: Scan | None,
             replayed: bool = False) -> Outcome:
    outcome = Outcome(scan, first_entry=first, replayed=replayed)
    if badge is not None and scan.result != UNKNOWN:
        outcome.name = f"{badge.first_name} {badge.last_name}".strip()
        outcome.role, outcome.company = badge.role, badge.company_name
        if badge.role == "candidate" and badge.user_id is not None and badge.edition_id == edition.id:
            outcome.interviews = interviews_today(badge.user_id, edition, scan.happened_at)
    return outcome


def perform_checkin(code: str, *, gate: str, nonce: str, edition: Edition, actor: User | None = None,
                    device: GateDevice | None = None, client_time: datetime | None = None,
                    force: bool = False, exit_scan: bool = False, offline: bool = False,
                    local_result: str | None = None, now: datetime | None = None) -> Outcome:
    """Decide one scan and record it (see the module docstring). Never commits."""
    if (actor is None) == (device is None):
        raise InvalidScan()
    if force and not can_force(actor):
        raise PermissionDenied()
    if exit_scan and not edition.records_exits:
        raise ExitsNotRecorded()
    now = now or utcnow()
    scope = scope_of(actor=actor, device=device)
    raw = clean_input(code)
    normalised = read_code(raw)
    badge = _badge_for_update(normalised) if normalised else None
    previous = _replay(scope, nonce)
    if previous is not None:
        return _outcome(previous, previous.badge, edition, previous.first_scan, replayed=True)
    at = client_time if offline and client_time else now
    result, first = _decide(badge, edition, at, exit_scan)
    reason = "" if result in (OK, EXIT) else result
    forced = bool(force and result in FORCEABLE)
    if forced:
        result = OK
    scan = Scan(edition_id=edition.id, badge_id=badge.id if badge else None, result=result, reason=reason,
                gate=gate, staff_user_id=actor.id if actor else None, device_id=device.id if device else None,
                scope=scope, nonce=nonce, scanned_at=now, client_time=client_time, raw_input=raw,
                code=normalised, forced=forced, is_offline=offline, local_result=local_result,
                first_scan_id=first.id if first else None)
    if badge is None:
        # Nothing to lock for an unknown code: a concurrent retry of the same nonce is caught
        # by the unique constraint, inside a savepoint so the transaction goes on.
        try:
            with db.session.begin_nested():
                db.session.add(scan)
        except IntegrityError:
            previous = _replay(scope, nonce)
            if previous is None:
                raise
            return _outcome(previous, previous.badge, edition, previous.first_scan, replayed=True)
    else:
        db.session.add(scan)
        db.session.flush()
        if forced:
            signals.scan_forced.send(None, actor=actor, scan_id=scan.id,
                                     badge_id=badge.id, reason=reason)
    return _outcome(scan, badge, edition, first)


def is_inside(user_id: int, edition_id: int) -> bool:
    """Has the person passed the door (and not left again) in this edition?"""
    last = db.session.scalar(
        select(Scan.result).join(Badge, Badge.id == Scan.badge_id)
        .where(Badge.user_id == user_id, Scan.edition_id == edition_id, Scan.result.in_(MOVES))
        .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(1))
    return last == OK
