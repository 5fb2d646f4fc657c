"""The offline side of the door: the snapshot a page keeps in IndexedDB, and the conflicts
that offline scans leave behind (a badge the page let in while the server says it was
already inside, typically the same badge at two gates while the network was down). Also what
every scanner page (the door, the stand) shares: its service worker and the device's time of
a scan made offline."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from flask import current_app, url_for
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
# url_for('static', filename='...') or the layout's fixed_url('static', '...')
_STATIC_IN_TEMPLATE = re.compile(
    r"""(?:url_for\(\s*['"]static['"]\s*,\s*filename\s*=|fixed_url\(\s*['"]static['"]\s*,)\s*['"]([^'"]+)['"]""")
_EXTENDS = re.compile(r"""\{%-?\s*extends\s+['"]([^'"]+)['"]""")
_JS_IMPORT = re.compile(r"""(?:^|;|\n)\s*(?:import|export)\b[^'";]*?(?:from\s*)?['"](\.{1,2}/[^'"]+)['"]""")


def page_files(template: str) -> list[str]:
    """The static files a scanner page loads: those its template (and the templates it extends)
    names, and every JavaScript module they import, followed to the end. Read from the files
    themselves, so a module added to the scanner is kept offline without being listed."""
    loader = current_app.jinja_env.loader
    static = Path(current_app.static_folder)
    found: list[str] = []
    while template:
        source = loader.get_source(current_app.jinja_env, template)[0]
        found.extend(_STATIC_IN_TEMPLATE.findall(source))
        parent = _EXTENDS.search(source)
        template = parent.group(1) if parent else None
    pending = [name for name in found if name.endswith(".js")]
    while pending:
        module = PurePosixPath(pending.pop())
        text = (static / module).read_text(encoding="utf-8")
        for relative in _JS_IMPORT.findall(text):
            imported = posixpath.normpath(str(module.parent / relative))
            if imported not in found:
                found.append(imported)
                pending.append(imported)
    return sorted(set(found))


def precache(template: str) -> tuple[str, list[str]]:
    """The files the service worker keeps from its first visit, and their version: a digest of
    their contents and of the worker itself, so that a release that changes any of them installs
    a new worker that replaces the whole copy."""
    static = Path(current_app.static_folder)
    names = page_files(template)
    digest = hashlib.sha256((static / SERVICE_WORKER).read_bytes())
    for name in names:
        digest.update(name.encode() + b"\0" + (static / name).read_bytes())
    urls = [url_for("static", filename=name) for name in names]
    return digest.hexdigest()[:16], urls


def service_worker(scope: str, template: str):
    """The scanner pages' service worker, served under ``scope`` so that it may control the page,
    with the list of files it keeps (``template``'s static files and modules) and their version."""
    version, files = precache(template)
    manifest = json.dumps({"version": version, "page": scope, "files": files})
    script = (Path(current_app.static_folder) / SERVICE_WORKER).read_text(encoding="utf-8")
    response = current_app.response_class(f"self.PRECACHE = {manifest};\n{script}", mimetype="text/javascript")
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
