"""The stand's scanner page (``/company/stand``) and its JSON calls: a scan, the offline
queue's sync, the offline copy of names. JSON in, JSON out; bad input is a 400 JSON answer,
never a 500. Unknown codes count against the door's guessing limit, per recruiter."""

from __future__ import annotations

import json
import re
from datetime import datetime

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from jobday import fragments
from jobday.checkin import offline
from jobday.checkin.guessing import count_unknown, refuse_when_exhausted
from jobday.db import utcnow
from jobday.errors import retry_after_seconds
from jobday.leads.blueprint import bp, my_participation
from jobday.leads.stand import StandOutcome, lines_shown, recent_leads, scan_at_stand, stand_snapshot_json
from jobday.leads.vocabulary import StandResult
from jobday.security import Role, role_required
from jobday.web import attempt

NONCE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
MAX_SYNC = 200
RECENT = 20


class BadInput(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _limit_key() -> str:
    return f"stand:u{current_user.id}"


def _bad(field: str):
    return jsonify({"error": "invalid_input", "field": field,
                    "message": _("%(field)s is missing or not valid.", field=field)}), 400


def _text(data: dict, key: str, limit: int) -> str:
    value = data.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise BadInput(key)
    return value


def _nonce(data: dict) -> str:
    value = data.get("nonce")
    if not isinstance(value, str) or not NONCE.match(value):
        raise BadInput("nonce")
    return value


def _client_time(data: dict) -> datetime:
    moment = offline.client_time(data.get("client_time"))
    if moment is None:
        raise BadInput("client_time")
    return moment


def _json_body() -> dict:
    data = request.get_json(silent=True) if request.is_json else None
    if not isinstance(data, dict):
        raise BadInput("body")
    return data


def answer(outcome: StandOutcome, nonce: str) -> dict:
    lead = outcome.lead
    return {"nonce": nonce, "result": str(outcome.result), "message": str(outcome.result.label),
            "name": outcome.name, "new": outcome.new,
            "lead_url": url_for("leads.lead", lead_id=lead.id) if lead is not None else None}


def _too_many(error: TooManyRequests):
    wait = retry_after_seconds(error)
    response = jsonify({"error": "rate_limited", "retry_after": wait,
                        "message": _("Too many unknown codes. Please wait a moment and try again.")})
    response.headers["Retry-After"] = str(wait)
    return response, 429


@bp.get("/company/stand")
@role_required(Role.RECRUITER)
def stand():
    participation = my_participation(why_not=_("Stand"))
    recent = recent_leads(participation.company_id, participation.edition_id, actor=current_user, limit=RECENT)
    edition, company = participation.edition, participation.company
    section = fragments.kept_with_token(
        ("leads/_stand_section.html", participation.stand, company.name, edition.timezone, lines_shown(recent)),
        lambda: render_template("leads/_stand_section.html", participation=participation, edition=edition,
                                recent=recent))
    return render_template("leads/stand.html", stand_section=section)


@bp.get("/company/stand/sw.js")
def service_worker():
    """The scanner pages' service worker, served under /company/stand so that its scope covers the page."""
    return offline.service_worker("/company/stand", "leads/stand.html")


@bp.get("/company/stand/snapshot")
@role_required(Role.RECRUITER)
def snapshot():
    """``{"badges": [...], "generated_at": ...}``, written as ``jsonify`` writes it (keys
    sorted, compact), from the badges' entries kept as JSON (``stand_snapshot_json``)."""
    participation = my_participation()
    badges, generated_at = stand_snapshot_json(participation.edition), json.dumps(utcnow().isoformat())
    body = f'{{"badges":{badges},"generated_at":{generated_at}}}\n'
    return current_app.response_class(body, mimetype="application/json")


@bp.post("/company/stand/scan")
@role_required(Role.RECRUITER)
def scan():
    participation = my_participation()
    try:
        refuse_when_exhausted(_limit_key())
        data = _json_body()
        code, nonce = _text(data, "code", 200), _nonce(data)
    except TooManyRequests as error:
        return _too_many(error)
    except BadInput as error:
        return _bad(error.field)
    with attempt(tell=None) as outcome:
        result = scan_at_stand(code, participation=participation, actor=current_user, nonce=nonce)
    if outcome.error is not None:
        return jsonify({"error": outcome.error.code, "message": str(outcome.error.message)}), outcome.error.status
    if result.result == StandResult.UNKNOWN:
        count_unknown(_limit_key())
    return jsonify(answer(result, nonce))


@bp.post("/company/stand/sync")
@role_required(Role.RECRUITER)
def sync():
    """Scans made offline, with their nonces and the phone's times; one answer each (a scan
    refused as bad input is answered with its error and the others are kept). Each unknown code
    counts against the guessing limit, as at the door; once it is used up the batch stops with a
    429 that carries the answers already decided (the phone keeps the rest queued)."""
    participation = my_participation()
    try:
        refuse_when_exhausted(_limit_key())
        items = _json_body().get("scans")
        if not isinstance(items, list) or len(items) > MAX_SYNC:
            raise BadInput("scans")
    except TooManyRequests as error:
        return _too_many(error)
    except BadInput as error:
        return _bad(error.field)
    results, stopped = [], None
    with attempt(tell=None) as outcome:
        for item in items:
            try:
                refuse_when_exhausted(_limit_key())
            except TooManyRequests as error:
                stopped = error
                break
            try:
                if not isinstance(item, dict):
                    raise BadInput("scans")
                code, nonce, moment = _text(item, "code", 200), _nonce(item), _client_time(item)
            except BadInput as error:
                nonce = item.get("nonce") if isinstance(item, dict) and isinstance(item.get("nonce"), str) else None
                results.append({"nonce": nonce, "error": "invalid_input", "field": error.field})
                continue
            result = scan_at_stand(code, participation=participation, actor=current_user, nonce=nonce,
                                   client_time=moment)
            if result.result == StandResult.UNKNOWN:
                count_unknown(_limit_key())
            results.append(answer(result, nonce))
    if outcome.error is not None:
        return jsonify({"error": outcome.error.code, "message": str(outcome.error.message)}), outcome.error.status
    if stopped is not None:
        response, status = _too_many(stopped)
        response.set_data(json.dumps({**response.get_json(), "results": results}))
        return response, status
    return jsonify({"results": results})
