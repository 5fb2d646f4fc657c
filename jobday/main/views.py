"""The home page, the language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from jobday.accounts.services import set_locale
from jobday.editions.services import booking_open, current_edition, registration_open
from jobday.extensions import db
from jobday.i18n import LANG_COOKIE
from jobday.security import safe_redirect_target

bp = Blueprint("main", __name__)


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
            set_locale(current_user, lang)
            db.session.commit()
    return response


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
