"""A gate device's scan (``POST /api/v1/checkin`` with a bearer token) in as few round trips
as the door's rules allow: the same decision as ``services.perform_checkin``, read differently.

One statement reads the device by its token's hash, its edition, the current edition's id and
the badge by its code (locked on PostgreSQL), with its registration's status. What the badge
and the edition decide alone (unknown, another edition, revoked, cancelled, not today, an exit)
is then written by ``services.record_scan``. A valid badge's entry depends on its last entry or
exit, read

- on SQLite, by the first statement too: the request holds the database's write lock from its
  first statement (``BEGIN IMMEDIATE``), so nothing comes between the read and the write;
- on PostgreSQL, by the statement that writes the scan (``_ENTER``), begun after the badge's
  lock: a statement sees what was committed when it began, so the one that waited for the
  lock cannot see the scan that held it (two gates scanning one badge at once must give one
  ``ok`` and one ``already_inside``).

Either way the scan is written with ``ON CONFLICT DO NOTHING`` on its nonce: a replay writes
nothing and gets the recorded answer. Candidates' interviews of the day take one more query,
as in ``perform_checkin``. Staff sessions and offline batches keep ``perform_checkin``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import Boolean, Integer, String, bindparam, column, select, text, true
from sqlalchemy.orm import aliased

from jobday.badges.models import Badge
from jobday.checkin.auth import device_scanner
from jobday.checkin.codes import clean_input, read_code
from jobday.checkin.devices import AT_DOOR_COLUMNS, DoorDevice, door_device, hash_token, token_is_plausible
from jobday.checkin.models import ALREADY_INSIDE, EXIT, OK, GateDevice, Scan
from jobday.checkin.services import (
    _BADGE_COLUMNS,
    IS_MOVE,
    Attempt,
    Outcome,
    ScanRecord,
    _outcome,
    _record,
    _replayed,
    check_request,
    decided_by_the_badge,
    decided_by_the_last_move,
    record_scan,
    scope_of,
)
from jobday.db import UTCDateTime
from jobday.driver_sql import DriverStatement
from jobday.editions.models import Edition
from jobday.extensions import db

_BADGE = select(*_BADGE_COLUMNS).where(Badge.code == bindparam("code")).with_for_update(of=Badge).subquery("badge")
_LAST = aliased(Scan, name="last_move")
_LAST_ID = (select(Scan.id).where(Scan.badge_id == _BADGE.c.id, IS_MOVE)
            .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(1).scalar_subquery())
_AT_GATE = (
    select(*AT_DOOR_COLUMNS, *(column.label(f"badge_{column.key}") for column in _BADGE.c))
    .select_from(GateDevice)
    .join(Edition, Edition.id == GateDevice.edition_id)
    .outerjoin(_BADGE, true())
    .where(GateDevice.token_hash == bindparam("token_hash"))
)
_LAST_COLUMNS = (_LAST.id, _LAST.result, _LAST.gate, _LAST.scanned_at, _LAST.client_time, _LAST.is_offline,
                 _LAST.forced)
_AT_GATE_WITH_LAST_MOVE = (_AT_GATE.add_columns(*(column.label(f"last_{column.key}") for column in _LAST_COLUMNS))
                           .outerjoin(_LAST, _LAST.id == _LAST_ID))
_STATEMENTS = {"sqlite": DriverStatement(_AT_GATE_WITH_LAST_MOVE)}
_AT_GATE_ALONE = DriverStatement(_AT_GATE)
# PostgreSQL: a valid badge's last entry or exit read and its scan written in one statement, begun
# after the badge's lock: already inside when the last move is an entry (``decided_by_the_last_move``).
_ENTER = text(f"""
WITH last_move AS (
    SELECT id, result, gate, scanned_at, client_time, is_offline, forced FROM checkin_scans
    WHERE badge_id = :badge_id AND (result = '{OK}' OR result = '{EXIT}')
    ORDER BY scanned_at DESC, id DESC LIMIT 1
), written AS (
    INSERT INTO checkin_scans (edition_id, badge_id, result, reason, gate, device_id, scope, nonce, scanned_at,
                               raw_input, code, forced, is_offline, first_scan_id)
    SELECT :edition_id, :badge_id, CASE WHEN inside THEN '{ALREADY_INSIDE}' ELSE '{OK}' END,
           CASE WHEN inside THEN '{ALREADY_INSIDE}' ELSE '' END, :gate, :device_id, :scope, :nonce, :scanned_at,
           :raw_input, :code, false, false, CASE WHEN inside THEN (SELECT id FROM last_move) END
    FROM (SELECT coalesce((SELECT result = '{OK}' FROM last_move), false) AS inside) AS state
    ON CONFLICT (scope, nonce) DO NOTHING
    RETURNING id, result
)
SELECT written.id, written.result, last_move.id AS last_id, last_move.result AS last_result,
       last_move.gate AS last_gate, last_move.scanned_at AS last_scanned_at,
       last_move.client_time AS last_client_time, last_move.is_offline AS last_is_offline,
       last_move.forced AS last_forced
FROM written LEFT JOIN last_move ON true
""").columns(column("id", Integer), column("result", String), column("last_id", Integer),
             column("last_result", String), column("last_gate", String), column("last_scanned_at", UTCDateTime()),
             column("last_client_time", UTCDateTime()), column("last_is_offline", Boolean),
             column("last_forced", Boolean))
_ENTER_STATEMENT = DriverStatement(_ENTER)
_BADGE_FIELDS = tuple(column.key for column in _BADGE.c)
_LAST_FIELDS = tuple(column.key for column in _LAST_COLUMNS)


def _part(row, prefix: str, fields: tuple[str, ...]) -> SimpleNamespace:
    """A prefixed part of the statement's row (the badge, the last move), read by attribute."""
    return SimpleNamespace(**{field: getattr(row, prefix + field) for field in fields})


def device_checkin(token: str | None, code: str, *, nonce: str, gate_of: Callable[[DoorDevice], str],
                   force: bool = False, exit_scan: bool = False, now: datetime) -> Outcome:
    """Authenticate the device holding ``token`` (``ApiError`` 401/403 as ``auth.authenticate``),
    then decide and record its scan of ``code``. ``gate_of`` gives the device's gate, or refuses
    a malformed one it sent. Never commits."""
    raw = clean_input(code)
    normalised = read_code(raw)
    connection = db.session.connection()
    row = None
    if token_is_plausible(token):
        statement = _STATEMENTS.get(connection.dialect.name, _AT_GATE_ALONE)
        row = statement.first(connection, {"token_hash": hash_token(token), "today": now.date(),
                                           "code": normalised or None})
    device = door_device(row, now)
    edition = device_scanner(device).edition
    check_request(edition, actor=None, force=force, exit_scan=exit_scan)
    scan = Attempt(raw, normalised, gate_of(device), nonce, scope_of(actor=None, device=device), now, device=device)
    badge = _part(row, "badge_", _BADGE_FIELDS) if row.badge_id is not None else None
    result = decided_by_the_badge(badge, edition, scan.at, exit_scan)
    if result is not None:
        return record_scan(connection, scan, badge, edition, result, None)
    if connection.dialect.name != "sqlite":
        return _enter(connection, scan, badge, edition)
    last = _record(_part(row, "last_", _LAST_FIELDS)) if row.last_id is not None else None
    return record_scan(connection, scan, badge, edition, *decided_by_the_last_move(last))


def _enter(connection, scan: Attempt, badge, edition) -> Outcome:
    """PostgreSQL: ``_ENTER``, or the recorded answer when the nonce was used already."""
    row = _ENTER_STATEMENT.first(connection, {
        "badge_id": badge.id, "edition_id": edition.id, "gate": scan.gate, "device_id": scan.device.id,
        "scope": scan.scope, "nonce": scan.nonce, "scanned_at": scan.now, "raw_input": scan.raw, "code": scan.code,
    })
    if row is None:
        return _replayed(connection, scan.scope, scan.nonce, edition)
    first = _record(_part(row, "last_", _LAST_FIELDS)) if row.result == ALREADY_INSIDE else None
    return _outcome(ScanRecord(row.id, row.result, scan.gate, scan.now, None, False, False), badge, edition, first)

