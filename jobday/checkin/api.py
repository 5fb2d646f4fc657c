"""The check-in API: ``POST /api/v1/checkin``, the offline snapshot and sync, the OpenAPI
document. JSON in, JSON out; malformed input gets a 4xx JSON error, never a 500.

Every decided scan answers 200 with its ``result`` (refusals included: the scan was
processed and recorded); 4xx means the request itself was refused (authentication, CSRF,
malformed input, rate limit). Unknown codes count one by one against a per-device (or
per-session) limit, ``CHECKIN_UNKNOWN_LIMIT`` (default "60 per minute"), so guessing codes is
slow (``guessing``), on both endpoints: a sync batch that uses up the limit on the way stops
there with 429, answering the scans it decided (recorded) and leaving the rest unread.
"""

from __future__ import annotations

from datetime import datetime

import msgspec
from flask import Response, jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import TooManyRequests

from jobday import plain_text
from jobday.checkin import gate_scan, offline, schema
from jobday.checkin.auth import ApiError, Scanner, authenticate, bearer_token, limit_key
from jobday.checkin.blueprint import bp
from jobday.checkin.devices import DoorDevice, InvalidGate, check_gate
from jobday.checkin.guessing import count_unknown, refuse_when_exhausted
from jobday.checkin.models import UNKNOWN, ScanMode, ScanResult
from jobday.checkin.openapi import document
from jobday.checkin.services import MESSAGES, Outcome, perform_checkin
from jobday.db import utcnow
from jobday.errors import DomainError, retry_after_seconds
from jobday.extensions import csrf
from jobday.web import attempt

MAX_BODY = 8 * 1024
MAX_SYNC_BODY = 512 * 1024
TOO_MANY_UNKNOWN = _l("Too many unknown codes. Please wait a moment and try again.")


def _bad(field: str, message) -> ApiError:
    error = ApiError(400, "invalid_input", message)
    error.details = {"field": field}
    return error


def _decode(limit: int, kind: type):
    """The JSON body as a ``kind`` of ``schema`` (checked there), or a 4xx ``ApiError``."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "too_large", _l("What you sent is larger than allowed."))
    if not request.is_json:
        raise _bad("body", schema.field_message("body"))
    return _decoded(request.get_data(cache=False), kind)


def _decoded(data: bytes, kind: type):
    try:
        decoded = schema.decode(data, kind)
    except msgspec.ValidationError as error:
        field = schema.faulty_field(error)
        raise _bad(field, schema.field_message(field)) from error
    except (msgspec.DecodeError, RecursionError) as error:  # not JSON, or nested beyond reason
        raise _bad("body", schema.field_message("body")) from error
    for field, value in msgspec.structs.asdict(decoded).items():
        # A code keeps them: scanners send STX/ETX or line ends around it, and the door strips them.
        if field != "code" and isinstance(value, str) and plain_text.has_controls(value):
            raise _bad(field, plain_text.FIELD_MESSAGE)
    return decoded


def _gate(scan: schema.Scan, device: DoorDevice | None) -> str:
    """A staff session's gate comes with the scan; a device has its own (a gate it sends anyway
    must still be well formed, as documented, and is then ignored)."""
    sent = None if scan.gate is msgspec.UNSET else scan.gate
    if device is not None and sent is None:
        return device.gate
    try:
        gate = check_gate(sent)
    except InvalidGate as error:
        raise _bad("gate", error.message) from error
    return device.gate if device is not None else gate


def _client_time(value: str) -> datetime:
    parsed = offline.client_time(value)
    if parsed is None:
        raise _bad("client_time", schema.field_message("client_time"))
    return parsed


def answer(outcome: Outcome, nonce: str | None = None) -> schema.Answer:
    """The response: the result and the person's public details, nothing more."""
    first = outcome.first_entry
    fields = dict(
        result=outcome.result,
        message=str(MESSAGES[outcome.result]),
        name=outcome.name,
        role=outcome.role,
        company=outcome.company,
        interviews=[schema.Interview(at=i.starts_at.isoformat(), company=i.company, stand=i.stand)
                    for i in outcome.interviews],
        first_entry=schema.FirstEntry(at=first.happened_at.isoformat(), gate=first.gate) if first else None,
        forced=outcome.scan.forced,
        forced_reason=outcome.forced_reason,
        revoked_at=outcome.revoked_at.isoformat() if outcome.revoked_at else None,
        replaced=outcome.replaced,
    )
    return schema.Answer(**fields) if nonce is None else schema.SyncedScan(nonce=nonce, **fields)


def _json(message) -> Response:
    return Response(schema.encode(message), mimetype="application/json")


def _error(error: DomainError):
    body = {"error": error.code, "message": str(error.message)}
    body.update(getattr(error, "details", {}) or {})
    return jsonify(body), error.status


@bp.post("/api/v1/checkin")
@csrf.exempt
def checkin():
    key = limit_key()
    refuse_when_exhausted(key)
    with attempt(tell=None) as refused:
        token = bearer_token()
        if token is not None:
            outcome = _device_checkin(token)
        else:
            scanner = authenticate(write=True)
            scan = _decode(MAX_BODY, schema.Scan)
            outcome = perform_checkin(scan.code, gate=_gate(scan, None), nonce=scan.nonce,
                                      edition=scanner.edition, actor=scanner.actor, force=scan.force,
                                      exit_scan=scan.mode == ScanMode.EXIT)
    if refused.error:
        return _error(refused.error)
    if outcome.result == UNKNOWN and not outcome.replayed:
        count_unknown(key)
    return _json(answer(outcome))  # plain rows, no ORM objects: built after the commit, outside any lock


def _device_checkin(token: str) -> Outcome:
    """A gate device's scan: its token, its edition and the badge in one statement (``gate_scan``)."""
    try:
        scan = _decode(MAX_BODY, schema.Scan)
    except ApiError:
        authenticate(write=True)  # an unusable token is answered first, as for every request
        raise
    return gate_scan.device_checkin(token, scan.code, nonce=scan.nonce, gate_of=lambda device: _gate(scan, device),
                                    force=scan.force, exit_scan=scan.mode == ScanMode.EXIT, now=utcnow())


@bp.post("/api/v1/checkin/sync")
@csrf.exempt
def sync():
    """Scans made offline, with their nonces and device times; answers one result each.
    Each unknown code counts against the guessing limit; once it is used up, the batch stops."""
    key = limit_key()
    refuse_when_exhausted(key)
    stopped = None
    with attempt(tell=None) as refused:
        scanner = authenticate(write=True)
        batch = _decode(MAX_SYNC_BODY, schema.SyncBatch)
        results = []
        for item in batch.scans:
            try:
                refuse_when_exhausted(key)
            except TooManyRequests as error:
                stopped = error
                break
            result, was_unknown = _sync_one(item, scanner)
            results.append(result)
            if was_unknown:
                count_unknown(key)
    if refused.error:
        return _error(refused.error)
    if stopped is not None:
        wait = retry_after_seconds(stopped)
        body = {"error": "rate_limited", "message": str(TOO_MANY_UNKNOWN), "retry_after": wait, "results": results}
        return Response(schema.encode(body), status=429, mimetype="application/json",
                        headers={"Retry-After": str(wait)})
    return _json({"results": results})


def _sync_one(item: msgspec.Raw, scanner: Scanner) -> tuple[schema.SyncedScan | schema.SyncError, bool]:
    """One offline scan's answer, and whether it was a new unknown code."""
    try:
        scan = _decoded(item, schema.OfflineScan)
        local = _local_result(scan.local_result)
        outcome = perform_checkin(scan.code, gate=_gate(scan, scanner.device), nonce=scan.nonce,
                                  edition=scanner.edition, actor=scanner.actor, device=scanner.device,
                                  client_time=_client_time(scan.client_time),
                                  exit_scan=scan.mode == ScanMode.EXIT,
                                  offline=True, local_result=local)
    except DomainError as error:
        return schema.SyncError(nonce=_sent_nonce(item), error=error.code), False
    return answer(outcome, scan.nonce), outcome.result == UNKNOWN and not outcome.replayed


# A scanner page cached before the scan result "revoked" became "badge_revoked" still sends it.
LEGACY_RESULTS = {"revoked": ScanResult.BADGE_REVOKED}


def _local_result(value: str | None) -> ScanResult | None:
    """What the offline page answered, if it is a result this API knows (else not recorded)."""
    return LEGACY_RESULTS.get(value) or ScanResult.get(value)


def _sent_nonce(item: msgspec.Raw) -> str | None:
    """The nonce of a scan that was refused, when it sent one that reads as a string."""
    try:
        sent = msgspec.json.decode(item)
    except (msgspec.DecodeError, RecursionError):
        return None
    nonce = sent.get("nonce") if isinstance(sent, dict) else None
    return nonce if isinstance(nonce, str) else None


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
