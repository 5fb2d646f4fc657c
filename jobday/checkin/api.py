"""The check-in API: ``POST /api/v1/checkin``, the offline snapshot and sync, the OpenAPI
document. JSON in, JSON out; malformed input gets a 4xx JSON error, never a 500.

Every decided scan answers 200 with its ``result`` (refusals included: the scan was
processed and recorded); 4xx means the request itself was refused (authentication, CSRF,
malformed input, rate limit). Unknown codes count against a per-device (or per-session)
limit, ``CHECKIN_UNKNOWN_LIMIT`` (default "60 per minute"), so guessing codes is slow
(``guessing``).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from jobday.checkin import offline
from jobday.checkin.auth import ApiError, Scanner, authenticate, is_device_request, limit_key
from jobday.checkin.blueprint import bp
from jobday.checkin.devices import InvalidGate, check_gate
from jobday.checkin.guessing import count_unknown, refuse_when_exhausted
from jobday.checkin.models import UNKNOWN
from jobday.checkin.openapi import document
from jobday.checkin.services import MESSAGES, Outcome, perform_checkin
from jobday.db import reset_write_intent, set_write_intent, utcnow
from jobday.errors import DomainError
from jobday.extensions import csrf, db
from jobday.web import attempt

MAX_BODY = 8 * 1024
MAX_SYNC_BODY = 512 * 1024
MAX_SYNC_SCANS = 500
NONCE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
RESPONSE_KEYS = ("result", "message", "name", "role", "company", "interviews", "first_entry", "forced")


def _bad(field: str, message) -> ApiError:
    error = ApiError(400, "invalid_input", message)
    error.details = {"field": field}
    return error


def _body(limit: int) -> dict:
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "too_large", _l("What you sent is larger than allowed."))
    try:
        data = request.get_json(silent=True, cache=False) if request.is_json else None
    except RecursionError:  # a few KB of nested brackets exhaust the parser's stack ("silent" covers ValueError)
        data = None
    if not isinstance(data, dict):
        raise _bad("body", _l("Send a JSON object."))
    return data


def _text(data: dict, key: str, limit: int, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _bad(key, _l("%(field)s is missing or not valid.", field=key))
    return value


def _nonce(data: dict) -> str:
    value = data.get("nonce")
    if not isinstance(value, str) or not NONCE.match(value):
        raise _bad("nonce", _l("nonce is missing or not valid."))
    return value


def _flag(data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _bad(key, _l("%(field)s is missing or not valid.", field=key))
    return value


def _mode(data: dict) -> bool:
    value = data.get("mode", "entry")
    if value not in ("entry", "exit"):
        raise _bad("mode", _l("mode is missing or not valid."))
    return value == "exit"


def _gate(data: dict, scanner: Scanner) -> str:
    """A staff session's gate comes with the scan; a device has its own (a gate it sends anyway
    must still be well formed, as documented, and is then ignored)."""
    if scanner.device is not None and "gate" not in data:
        return scanner.device.gate
    try:
        gate = check_gate(data.get("gate"))
    except InvalidGate as error:
        raise _bad("gate", error.message) from error
    return scanner.device.gate if scanner.device is not None else gate


def _client_time(data: dict) -> datetime:
    value = data.get("client_time")
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None or parsed > utcnow() + timedelta(hours=1):
        raise _bad("client_time", _l("client_time is missing or not valid."))
    return parsed.astimezone(UTC)


def answer(outcome: Outcome) -> dict:
    """The response: the result and the person's public details, nothing more."""
    first = outcome.first_entry
    return {
        "result": outcome.result,
        "message": str(MESSAGES[outcome.result]),
        "name": outcome.name,
        "role": outcome.role,
        "company": outcome.company,
        "interviews": [{"at": i.starts_at.isoformat(), "company": i.company, "stand": i.stand}
                       for i in outcome.interviews],
        "first_entry": {"at": first.happened_at.isoformat(), "gate": first.gate} if first else None,
        "forced": outcome.scan.forced,
    }


def _error(error: DomainError):
    body = {"error": error.code, "message": str(error.message)}
    body.update(getattr(error, "details", {}) or {})
    return jsonify(body), error.status


@contextmanager
def _reads_before_the_write():
    """On SQLite a write transaction locks the whole database. A device's scan reads its
    device and edition in a deferred transaction, ended before the scan's own write
    transaction: the lock is held only while the badge is decided and the scan recorded
    (half as long, so the gates wait less for each other). PostgreSQL locks rows only, and a
    staff scan's user is loaded earlier in the request: both keep one transaction."""
    if not is_device_request() or db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    token = set_write_intent(False)
    try:
        yield
    finally:
        reset_write_intent(token)
    db.session.commit()


@bp.post("/api/v1/checkin")
@csrf.exempt
def checkin():
    key = limit_key()
    refuse_when_exhausted(key)
    with attempt(tell=None) as refused:
        with _reads_before_the_write():
            scanner = authenticate(write=True)
            data = _body(MAX_BODY)
            code = _text(data, "code", 200)
            nonce, force, exit_scan = _nonce(data), _flag(data, "force"), _mode(data)
        outcome = perform_checkin(code, gate=_gate(data, scanner), nonce=nonce, edition=scanner.edition,
                                  actor=scanner.actor, device=scanner.device, force=force,
                                  exit_scan=exit_scan)
    if refused.error:
        return _error(refused.error)
    if outcome.result == UNKNOWN and not outcome.replayed:
        count_unknown(key)
    return jsonify(answer(outcome))  # plain rows, no ORM objects: built after the commit, outside any lock


@bp.post("/api/v1/checkin/sync")
@csrf.exempt
def sync():
    """Scans made offline, with their nonces and device times; answers one result each.
    A batch with unknown codes counts as one against the guessing limit."""
    key = limit_key()
    refuse_when_exhausted(key)
    with attempt(tell=None) as refused:
        scanner = authenticate(write=True)
        data = _body(MAX_SYNC_BODY)
        items = data.get("scans")
        if not isinstance(items, list) or len(items) > MAX_SYNC_SCANS:
            raise _bad("scans", _l("scans is missing or not valid."))
        results, unknown = [], False
        for item in items:
            result, was_unknown = _sync_one(item, scanner)
            results.append(result)
            unknown = unknown or was_unknown
    if refused.error:
        return _error(refused.error)
    if unknown:
        count_unknown(key)
    return jsonify({"results": results})


def _sync_one(item, scanner: Scanner) -> tuple[dict, bool]:
    """One offline scan's answer, and whether it was a new unknown code."""
    if not isinstance(item, dict):
        return {"nonce": None, "error": "invalid_input"}, False
    try:
        nonce = _nonce(item)
        local = item.get("local_result")
        outcome = perform_checkin(_text(item, "code", 200), gate=_gate(item, scanner), nonce=nonce,
                                  edition=scanner.edition, actor=scanner.actor, device=scanner.device,
                                  client_time=_client_time(item), exit_scan=_mode(item), offline=True,
                                  local_result=local if isinstance(local, str) and len(local) <= 16 else None)
    except DomainError as error:
        return {"nonce": item.get("nonce") if isinstance(item.get("nonce"), str) else None,
                "error": error.code}, False
    return {"nonce": nonce, **answer(outcome)}, outcome.result == UNKNOWN and not outcome.replayed


@bp.get("/api/v1/checkin/snapshot")
def snapshot():
    try:
        scanner = authenticate(write=False)
    except DomainError as error:
        return _error(error)
    return jsonify({"edition": scanner.edition.year, "generated_at": utcnow().isoformat(),
                    "badges": offline.snapshot(scanner.edition)})


@bp.get("/api/v1/openapi.json")
def openapi():
    return jsonify(document())
