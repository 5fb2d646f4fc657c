"""The home page, the language switch and the health checks."""

from __future__ import annotations

import logging
import shutil

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from jobday.accounts.services import set_locale
from jobday.editions.services import booking_open, current_edition, registration_open
from jobday.extensions import db
from jobday.i18n import LANG_COOKIE
from jobday.jobs.queue import pending_tasks
from jobday.security import safe_redirect_target
from jobday.web import attempt

bp = Blueprint("main", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def index():
    edition = current_edition()
    return render_template(
        "main/index.html",
        edition=edition,
        registration_is_open=edition is not None and registration_open(edition),
        booking_is_open=edition is not None and booking_open(edition),
    )


@bp.post("/language")
def set_language():
    """A CSRF-protected form on every page (CSRFProtect covers every POST)."""
    lang = request.form.get("lang", "")
    target = safe_redirect_target(request.form.get("next"), url_for("main.index"))
    response = redirect(target)
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
        if current_user.is_authenticated:
            with attempt():
                set_locale(current_user, lang)
    return response


@bp.get("/livez")
def livez():
    """Liveness for load balancers: the process answers; touches nothing else."""
    return jsonify(status="ok")


@bp.get("/healthz")
def healthz():
    """Readiness: the database answers, the job queue is reachable, the disk has room.

    200 ``{"status": "ok", "checks": {...}}``, or 503 with ``"status": "error"`` and the
    failed check marked (``unreachable``, ``low``). No figures: the endpoint is public.
    """
    checks = {"database": _database_check(), "queue": _queue_check(), "disk": _disk_check()}
    healthy = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if healthy else "error", checks=checks), 200 if healthy else 503


def _database_check() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except SQLAlchemyError:
        log.warning("Database unreachable", exc_info=True)
        return "unreachable"
    finally:
        db.session.rollback()  # ends the read transaction at once


def _queue_check() -> str:
    try:
        pending_tasks(current_app)
    except Exception:  # Redis refused or timed out, the queue's SQLite file unreadable
        log.warning("Job queue unreachable", exc_info=True)
        return "unreachable"
    return "ok"


def _disk_check() -> str:
    try:
        free = shutil.disk_usage(current_app.instance_path).free
    except OSError:
        return "unreachable"
    return "ok" if free >= current_app.config["HEALTH_MIN_FREE_DISK_MB"] * 1024 * 1024 else "low"
