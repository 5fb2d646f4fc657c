"""The door's one decision: ``perform_checkin`` (pretix-style).

A scan is decided under a lock on the badge's row (``SELECT ... FOR UPDATE`` on PostgreSQL;
SQLite write requests already hold the database through ``BEGIN IMMEDIATE``), so two gates
scanning the same badge at once give one ``ok`` and one ``already_inside``. Every attempt
is written as a ``Scan`` row, refused ones included. A nonce already seen in the same scope
(device or staff session) returns the recorded answer and writes nothing.

Order of the checks: unknown → wrong edition → badge_revoked (cancelled when revoked because the
registration was withdrawn) → cancelled (a candidate's registration withdrawn, badge not yet
revoked) → not today (outside the edition's days, at the venue's clock) → exit (an exit scan,
when the edition records exits) → already inside → ok. A supervisor (an organiser) may force
a refused badge in: the result is ``ok``, the scan is marked forced and keeps the reason.

The scan path is lean, and written with Core statements built once (columns and rows, no
ORM objects or flush): one badge lookup by its unique code with its registration's status and
the lock, the last entry/exit of that badge, one ``INSERT ... ON CONFLICT DO NOTHING`` on the
nonce (a replay inserts nothing and reads the recorded scan instead), and for candidates one
query for today's interviews.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, bindparam, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from jobday import signals
from jobday.accounts.models import User
from jobday.badges.models import ACTIVE, Badge, RevokeReason
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.checkin.codes import clean_input, read_code
from jobday.checkin.models import (
    ALREADY_INSIDE,
    BADGE_REVOKED,
    CANCELLED,
    EXIT,
    MOVES,
    NOT_TODAY,
    OK,
    UNKNOWN,
    WRONG_EDITION,
    GateDevice,
    Scan,
)
from jobday.db import utcnow
from jobday.driver_sql import DriverStatement
from jobday.editions.models import Edition
from jobday.errors import DomainError, PermissionDenied
from jobday.extensions import db
from jobday.security import Role

MESSAGES = {
    OK: _l("Welcome!"),
    ALREADY_INSIDE: _l("Already inside."),
    UNKNOWN: _l("Unknown code."),
    BADGE_REVOKED: _l("This badge was revoked. Ask for the new badge, or find the person by name."),
    WRONG_EDITION: _l("This badge is for another edition."),
    NOT_TODAY: _l("This badge is not valid today."),
    CANCELLED: _l("The registration was cancelled."),
    EXIT: _l("Goodbye!"),
}
FORCEABLE = (ALREADY_INSIDE, BADGE_REVOKED, WRONG_EDITION, NOT_TODAY, CANCELLED)


class InvalidScan(DomainError):
    code = "invalid_scan"
    message = _l("This scan is not valid.")


class ExitsNotRecorded(DomainError):
    """A well-formed exit scan at an edition set not to record exits: a conflict with the
    edition's settings, not malformed input (409, as the OpenAPI document says)."""

    code = "exits_not_recorded"
    message = _l("This edition does not record exits.")
    status = 409


@dataclass(frozen=True)
class DoorEdition:
    """What a scan needs to know about its edition. The scan API reads it together with the
    device (one query, see ``devices.device_at_door``); an ``Edition`` has the same attributes
    and is taken as well."""

    id: int
    year: int
    timezone: str
    starts_on: date
    ends_on: date
    records_exits: bool


@dataclass(frozen=True)
class ScanRecord:
    """A recorded scan, as far as the door's answer needs it (read or written as a row)."""

    id: int
    result: str
    gate: str
    scanned_at: datetime
    client_time: datetime | None
    is_offline: bool
    forced: bool

    @property
    def happened_at(self) -> datetime:
        """When the person stood at the gate: the device's time for offline scans."""
        return self.client_time if self.is_offline and self.client_time else self.scanned_at


@dataclass
class Interview:
    starts_at: datetime
    company: str
    stand: str


@dataclass
class Outcome:
    """What the door shows: the scan, and for the screen the person's public details."""

    scan: ScanRecord
    name: str = ""
    role: str = ""
    company: str = ""
    interviews: list[Interview] = field(default_factory=list)
    first_entry: ScanRecord | None = None
    replayed: bool = False
    revoked_at: datetime | None = None  # a revoked badge: when
    replaced: bool = False  # ... and whether a new badge replaced it
    forced_reason: str = ""  # a forced entry: the refusal it overrode

    @property
    def result(self) -> str:
        return self.scan.result


def can_force(actor: User | None) -> bool:
    return actor is not None and actor.has_role(Role.ADMIN)


def scope_of(*, actor: User | None, device: GateDevice | None) -> str:
    return f"d{device.id}" if device is not None else f"u{actor.id}"


def edition_day_bounds(edition: Edition | DoorEdition) -> tuple[datetime, datetime]:
    """The first and last instants of the edition's days at the venue (UTC)."""
    zone = ZoneInfo(edition.timezone or "Europe/Brussels")
    start = datetime.combine(edition.starts_on, time(0, 0), tzinfo=zone)
    end = datetime.combine(edition.ends_on + timedelta(days=1), time(0, 0), tzinfo=zone)
    return start, end


# The scan path's statements are built once, with bound parameters, and run on the session's
# connection as Core statements: building a select and its cache key, loading ORM objects and
# flushing them cost several times more than running the SQL.
_BADGE_COLUMNS = (
    Badge.id, Badge.edition_id, Badge.status, Badge.revoke_reason, Badge.role, Badge.user_id,
    Badge.first_name, Badge.last_name, Badge.company_name, Badge.revoked_at, Badge.replaced_by_id,
    select(Registration.status)
    .where(Registration.user_id == Badge.user_id, Registration.edition_id == Badge.edition_id)
    .scalar_subquery().label("registration_status"),
)
_BADGE_BY_CODE = select(*_BADGE_COLUMNS).where(Badge.code == bindparam("code"))
_BADGE_BY_CODE_FOR_UPDATE = _BADGE_BY_CODE.with_for_update(of=Badge)
_BADGE_BY_ID = select(*_BADGE_COLUMNS).where(Badge.id == bindparam("badge_id"))
_SCAN_COLUMNS = (Scan.id, Scan.result, Scan.gate, Scan.scanned_at, Scan.client_time, Scan.is_offline, Scan.forced)
_SCAN_BY_ID = select(*_SCAN_COLUMNS).where(Scan.id == bindparam("scan_id"))
_SCAN_BY_NONCE = (select(*_SCAN_COLUMNS, Scan.badge_id, Scan.first_scan_id)
                  .where(Scan.scope == bindparam("scope"), Scan.nonce == bindparam("nonce")))
# Entries and exits, spelled out: ``in_`` would expand its list at every execution.
IS_MOVE = or_(*(Scan.result == move for move in MOVES))
_LAST_MOVE = (select(*_SCAN_COLUMNS).where(Scan.badge_id == bindparam("badge_id"), IS_MOVE)
              .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(1))
# A nonce already used in its scope inserts nothing (the unique constraint decides, also
# against a concurrent retry) and returns no id: the scan is then a replay. Every column is
# sent (``_SCAN_KEYS``); the statement goes straight to the driver (``driver_sql``).
_SCAN_KEYS = ("edition_id", "badge_id", "result", "reason", "gate", "staff_user_id", "device_id", "scope", "nonce",
              "scanned_at", "client_time", "raw_input", "code", "forced", "is_offline", "local_result",
              "first_scan_id")
_INSERT_SCAN = {
    "postgresql": DriverStatement(postgresql.insert(Scan.__table__).on_conflict_do_nothing(
        index_elements=["scope", "nonce"]).returning(Scan.__table__.c.id), keys=_SCAN_KEYS),
    "sqlite": DriverStatement(sqlite.insert(Scan.__table__).on_conflict_do_nothing(
        index_elements=["scope", "nonce"]).returning(Scan.__table__.c.id), keys=_SCAN_KEYS),
}


@cache
def _interviews_statement() -> DriverStatement:
    from jobday.companies.models import Company, Participation
    from jobday.scheduling.models import Booking

    return DriverStatement(
        select(Booking.starts_at, Company.name, Participation.stand)
        .join(Participation, Participation.id == Booking.participation_id)
        .join(Company, Company.id == Participation.company_id)
        .where(Booking.candidate_id == bindparam("user_id"), Booking.edition_id == bindparam("edition_id"),
               Booking.active.is_(True), Booking.starts_at >= bindparam("start"),
               Booking.starts_at < bindparam("end"))
        .order_by(Booking.starts_at))


def _record(row) -> ScanRecord:
    return ScanRecord(row.id, row.result, row.gate, row.scanned_at, row.client_time, row.is_offline, row.forced)


def _badge_for_update(connection: Connection, code: str):
    """The badge's row (with its registration's status), locked on PostgreSQL."""
    postgresql_ = connection.dialect.name == "postgresql"
    return connection.execute(_BADGE_BY_CODE_FOR_UPDATE if postgresql_ else _BADGE_BY_CODE, {"code": code}).first()


def _last_move(connection: Connection, badge) -> ScanRecord | None:
    row = connection.execute(_LAST_MOVE, {"badge_id": badge.id}).first()
    return _record(row) if row is not None else None


def interviews_today(user_id: int, edition: Edition | DoorEdition, at: datetime) -> list[Interview]:
    """The candidate's active interviews on the venue's day of ``at``: one query."""
    zone = ZoneInfo(edition.timezone or "Europe/Brussels")
    start = datetime.combine(at.astimezone(zone).date(), time(0, 0), tzinfo=zone)
    rows = _interviews_statement().all(db.session.connection(), {
        "user_id": user_id, "edition_id": edition.id, "start": start, "end": start + timedelta(days=1)})
    return [Interview(starts_at, company, stand or "") for starts_at, company, stand in rows]


def decided_by_the_badge(badge, edition: Edition | DoorEdition, at: datetime, exit_scan: bool) -> str | None:
    """The result the ``badge`` row and the edition decide alone, in the door's order; None when
    it depends on the badge's last entry or exit (ok, or already inside)."""
    if badge is None:
        return UNKNOWN
    if badge.edition_id != edition.id:
        return WRONG_EDITION
    if badge.status != ACTIVE:
        return CANCELLED if badge.revoke_reason == RevokeReason.WITHDRAWN else BADGE_REVOKED
    if (badge.role == "candidate" and badge.user_id is not None
            and badge.registration_status == RegistrationStatus.WITHDRAWN):
        return CANCELLED
    start, end = edition_day_bounds(edition)
    if not start <= at < end:
        return NOT_TODAY
    if exit_scan:
        return EXIT  # an exit is always recorded (pretix's way); re-entry is then allowed
    return None


def decided_by_the_last_move(last: ScanRecord | None) -> tuple[str, ScanRecord | None]:
    """A valid badge's result after its last entry or exit and, for already_inside, the entry
    of the current stay."""
    if last is not None and last.result == OK:
        return ALREADY_INSIDE, last
    return OK, None


def _decide(connection: Connection, badge, edition: Edition | DoorEdition, at: datetime,
            exit_scan: bool) -> tuple[str, ScanRecord | None]:
    """The result for the ``badge`` row and, for already_inside, the first entry."""
    result = decided_by_the_badge(badge, edition, at, exit_scan)
    if result is not None:
        return result, None
    return decided_by_the_last_move(_last_move(connection, badge))


def _outcome(scan: ScanRecord, badge, edition: Edition | DoorEdition, first: ScanRecord | None,
             replayed: bool = False, forced_reason: str = "") -> Outcome:
    outcome = Outcome(scan, first_entry=first, replayed=replayed, forced_reason=forced_reason)
    if badge is not None and scan.result != UNKNOWN:
        outcome.name = f"{badge.first_name} {badge.last_name}".strip()
        outcome.role, outcome.company = badge.role, badge.company_name
        if badge.status != ACTIVE:
            outcome.revoked_at, outcome.replaced = badge.revoked_at, badge.replaced_by_id is not None
        if badge.role == "candidate" and badge.user_id is not None and badge.edition_id == edition.id:
            outcome.interviews = interviews_today(badge.user_id, edition, scan.happened_at)
    return outcome


def _replayed(connection: Connection, scope: str, nonce: str, edition: Edition | DoorEdition) -> Outcome:
    """The answer recorded for a nonce already used (a retried request): nothing is written."""
    previous = connection.execute(_SCAN_BY_NONCE, {"scope": scope, "nonce": nonce}).first()
    if previous is None:  # the conflicting row vanished meanwhile (purged): refuse, the client retries
        raise InvalidScan()
    badge = (connection.execute(_BADGE_BY_ID, {"badge_id": previous.badge_id}).first()
             if previous.badge_id is not None else None)
    first = (connection.execute(_SCAN_BY_ID, {"scan_id": previous.first_scan_id}).first()
             if previous.first_scan_id is not None else None)
    return _outcome(_record(previous), badge, edition, _record(first) if first is not None else None,
                    replayed=True)


@dataclass(frozen=True)
class Attempt:
    """One scan as sent: what was read, by whom, when, and its nonce."""

    raw: str  # as read, without control characters
    code: str  # normalised (empty when nothing readable)
    gate: str
    nonce: str
    scope: str
    now: datetime
    actor: User | None = None
    device: object | None = None  # a GateDevice or anything with its id
    client_time: datetime | None = None
    offline: bool = False
    local_result: str | None = None
    force: bool = False

    @property
    def at(self) -> datetime:
        """The instant the badge is judged at: the device's time for offline scans."""
        return self.client_time if self.offline and self.client_time else self.now


def attempt_of(code: str, *, gate: str, nonce: str, actor: User | None, device, now: datetime,
               **details) -> Attempt:
    raw = clean_input(code)
    return Attempt(raw, read_code(raw), gate, nonce, scope_of(actor=actor, device=device), now, actor, device,
                   **details)


def perform_checkin(code: str, *, gate: str, nonce: str, edition: Edition | DoorEdition,
                    actor: User | None = None, device=None, client_time: datetime | None = None,
                    force: bool = False, exit_scan: bool = False, offline: bool = False,
                    local_result: str | None = None, now: datetime | None = None) -> Outcome:
    """Decide one scan and record it (see the module docstring). Never commits.

    ``device`` is a ``GateDevice`` or anything with its ``id`` (the API's ``DoorDevice``)."""
    if (actor is None) == (device is None):
        raise InvalidScan()
    check_request(edition, actor=actor, force=force, exit_scan=exit_scan)
    scan = attempt_of(code, gate=gate, nonce=nonce, actor=actor, device=device, now=now or utcnow(),
                      client_time=client_time, offline=offline, local_result=local_result, force=force)
    connection = db.session.connection()
    badge = _badge_for_update(connection, scan.code) if scan.code else None
    result, first = _decide(connection, badge, edition, scan.at, exit_scan)
    return record_scan(connection, scan, badge, edition, result, first)


def check_request(edition: Edition | DoorEdition, *, actor: User | None, force: bool, exit_scan: bool) -> None:
    """Refusals of the request itself, before any badge is looked at."""
    if force and not can_force(actor):
        raise PermissionDenied()
    if exit_scan and not edition.records_exits:
        raise ExitsNotRecorded()


def record_scan(connection: Connection, scan: Attempt, badge, edition: Edition | DoorEdition, result: str,
                first: ScanRecord | None) -> Outcome:
    """Write the decided scan (forced in, when asked by someone allowed to) and the answer;
    a nonce already used in its scope writes nothing and gets the recorded answer."""
    reason = "" if result in (OK, EXIT) else result
    forced = bool(scan.force and result in FORCEABLE)
    if forced:
        result = OK
    actor, device = scan.actor, scan.device
    scan_id = _INSERT_SCAN[connection.dialect.name].scalar(connection, {
        "edition_id": edition.id, "badge_id": badge.id if badge else None, "result": result, "reason": reason,
        "gate": scan.gate, "staff_user_id": actor.id if actor else None, "device_id": device.id if device else None,
        "scope": scan.scope, "nonce": scan.nonce, "scanned_at": scan.now, "client_time": scan.client_time,
        "raw_input": scan.raw, "code": scan.code, "forced": forced, "is_offline": scan.offline,
        "local_result": scan.local_result, "first_scan_id": first.id if first else None,
    })
    if scan_id is None:
        return _replayed(connection, scan.scope, scan.nonce, edition)
    if forced:
        signals.scan_forced.send(None, actor=actor, scan_id=scan_id, badge_id=badge.id, reason=reason)
    record = ScanRecord(scan_id, result, scan.gate, scan.now, scan.client_time, scan.offline, forced)
    return _outcome(record, badge, edition, first, forced_reason=reason if forced else "")


def inside_among(badge_ids: list[int], edition_id: int) -> set[int]:
    """Which of these badges' holders are inside (their last entry or exit, on any of their
    badges of the edition, is an entry): one query, for a list of search results."""
    holders = dict(db.session.execute(select(Badge.id, Badge.user_id).where(Badge.id.in_(badge_ids))).all())
    users = {user for user in holders.values() if user is not None}
    last: dict[int, str] = {}
    rows = db.session.execute(
        select(Badge.user_id, Badge.id, Scan.result).join(Badge, Badge.id == Scan.badge_id)
        .where(Scan.edition_id == edition_id, Scan.result.in_(MOVES),
               Badge.user_id.in_(users) | Badge.id.in_(badge_ids))
        .order_by(Scan.scanned_at, Scan.id))
    for user_id, badge_id, result in rows:
        last[("u", user_id) if user_id is not None else ("b", badge_id)] = result
    return {badge_id for badge_id, user_id in holders.items()
            if last.get(("u", user_id) if user_id is not None else ("b", badge_id)) == OK}


def is_inside(user_id: int, edition_id: int) -> bool:
    """Has the person passed the door (and not left again) in this edition?"""
    last = db.session.scalar(
        select(Scan.result).join(Badge, Badge.id == Scan.badge_id)
        .where(Badge.user_id == user_id, Scan.edition_id == edition_id, Scan.result.in_(MOVES))
        .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(1))
    return last == OK
