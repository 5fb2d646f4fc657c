"""The offline side of the door: the snapshot a page keeps in IndexedDB, and the conflicts
that offline scans leave behind (a badge the page let in while the server says it was
already inside, typically the same badge at two gates while the network was down). Also what
every scanner page (the door, the stand) shares: its service worker and the device's time of
a scan made offline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import aliased

from jobday.badges.models import ACTIVE, Badge, RevokeReason
from jobday.checkin.models import OK, DoorBadgeState, Scan
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.extensions import db


def snapshot(edition: Edition) -> list[dict]:
    """Every badge of the edition: code → display name, role, company, status (one query)."""
    rows = db.session.execute(select(Badge.code, Badge.first_name, Badge.last_name, Badge.role,
                                     Badge.company_name, Badge.status, Badge.revoke_reason)
                              .where(Badge.edition_id == edition.id).order_by(Badge.id))
    return [{"code": code, "name": f"{first} {last}".strip(), "role": role, "company": company,
             "status": _door_state(status, reason)} for code, first, last, role, company, status, reason in rows]


def _door_state(status, reason) -> DoorBadgeState:
    if status == ACTIVE:
        return DoorBadgeState.ACTIVE
    return DoorBadgeState.CANCELLED if reason == RevokeReason.WITHDRAWN else DoorBadgeState.REVOKED


def conflicts(edition: Edition, limit: int = 100) -> list[dict]:
    """Offline scans that the page answered ``ok`` and the server did not: who, where, when,
    and where the person had already been let in."""
    first = aliased(Scan)
    rows = db.session.execute(
        select(Scan, Badge.first_name, Badge.last_name, first.gate, first.scanned_at, first.client_time,
               first.is_offline)
        .join(Badge, Badge.id == Scan.badge_id)
        .outerjoin(first, first.id == Scan.first_scan_id)
        .where(Scan.edition_id == edition.id, Scan.is_offline.is_(True), Scan.local_result == OK,
               Scan.result != OK)
        .order_by(Scan.scanned_at.desc()).limit(limit))
    found = []
    for scan, first_name, last_name, first_gate, first_at, first_client, first_offline in rows:
        found.append({"name": f"{first_name} {last_name}".strip(), "gate": scan.gate, "at": scan.happened_at,
                      "result": scan.result, "first_gate": first_gate,
                      "first_at": (first_client if first_offline and first_client else first_at)})
    return found


SERVICE_WORKER = "js/scan/sw.js"
CLIENT_CLOCK_AHEAD = timedelta(hours=1)  # a phone's clock may run ahead; scans from later are refused


def service_worker(scope: str):
    """The scanner pages' service worker, served under ``scope`` so that it may control the page."""
    with open(f"{current_app.static_folder}/{SERVICE_WORKER}", encoding="utf-8") as script:
        response = current_app.response_class(script.read(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = scope
    response.headers["Cache-Control"] = "no-cache"
    return response


def client_time(value) -> datetime | None:
    """The device's time of an offline scan (ISO 8601 with its offset), in UTC; None when it is
    missing, not a time, without an offset, or later than now (give or take the clock)."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None or moment > utcnow() + CLIENT_CLOCK_AHEAD:
        return None
    return moment.astimezone(UTC)
