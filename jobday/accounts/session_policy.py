"""How long a login lasts, and how recent a password must be for sensitive actions.

The session records when it started (``login_at``), when the password was last entered
(``auth_at``), whether the user asked to be remembered, and the last activity
(``seen_at``). Before each request:

- organisers and door staff are logged out after ``STAFF_SESSION_IDLE_TIMEOUT`` without
  activity and ``STAFF_SESSION_MAX_AGE`` after login, and never get a remember-me cookie;
- candidates and recruiters are logged out ``SESSION_MAX_AGE`` after login, unless they
  ticked "remember me" (then the remember-me cookie's lifetime is the limit).

Background polls (the door's snapshot refresh, the self-refreshing arrivals board) are
not activity: a screen left open does not keep a session alive.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_loaded_from_cookie, user_logged_in

from jobday.errors import error_response
from jobday.security import Role

LOGIN_AT = "login_at"
AUTH_AT = "auth_at"
SEEN_AT = "seen_at"
REMEMBERED = "remembered"

# Requests the door's scanner page makes on its own, every minute.
BACKGROUND_ENDPOINTS = frozenset({"checkin.snapshot"})
# Pages that reload themselves (<meta http-equiv="refresh">): a reload is not activity, a
# visit the user made is. Browsers mark the latter with ``Sec-Fetch-User: ?1``.
SELF_REFRESHING_PAGES = frozenset({"checkin.arrivals"})
BACKGROUND_HEADER = "X-Jobday-Background"
COOKIE_REFRESH_SECONDS = 300


def seconds(value) -> float:
    """A duration from the configuration: a timedelta, or seconds (environment variables)."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _setting(key: str) -> float:
    return seconds(current_app.config[key])


def is_staff(user) -> bool:
    return user.has_role(Role.STAFF)  # organisers too


def may_be_remembered(user) -> bool:
    return not is_staff(user)


# --- what a login records ------------------------------------------------------------------

def login_stamps(*, remembered: bool) -> dict:
    now = time.time()
    return {LOGIN_AT: now, AUTH_AT: now, SEEN_AT: now, REMEMBERED: remembered}


def _logged_in(_app, user, **_extra) -> None:
    """Every ``login_user()`` (login page, invitation sign-up, password change) follows a password."""
    session.update(login_stamps(remembered=session.get("_remember") == "set"))


def note_password_entered() -> None:
    """The confirm-password page: sensitive actions are open again for ``REAUTH_MAX_AGE``."""
    session[AUTH_AT] = time.time()


def password_entered_recently() -> bool:
    entered = session.get(AUTH_AT)
    return entered is not None and time.time() - entered <= _setting("REAUTH_MAX_AGE")


# --- the check before each request -------------------------------------------------------

def _restored_from_cookie(_app, user, **_extra) -> None:
    """Flask-Login logged the user in from the remember-me cookie (no password entered)."""
    if may_be_remembered(user):
        now = time.time()
        session[LOGIN_AT] = session[SEEN_AT] = now
        session[REMEMBERED] = True
        session.pop(AUTH_AT, None)
    # Staff: no login time is recorded, so the check below ends the session at once.


def expiry_reason(user, *, staff: bool | None = None) -> str | None:
    """Why the current session has ended ("idle", "expired"), or None while it is valid."""
    login_at = session.get(LOGIN_AT)
    if login_at is None:  # a session from before these rules, or a staff remember-me cookie
        return "expired"
    now = time.time()
    if is_staff(user) if staff is None else staff:
        if now - session.get(SEEN_AT, login_at) > _setting("STAFF_SESSION_IDLE_TIMEOUT"):
            return "idle"
        if now - login_at > _setting("STAFF_SESSION_MAX_AGE"):
            return "expired"
        return None
    limit = "REMEMBER_COOKIE_DURATION" if session.get(REMEMBERED) else "SESSION_MAX_AGE"
    return "expired" if now - login_at > _setting(limit) else None


def is_background_request(endpoint: str | None = None) -> bool:
    endpoint = endpoint if endpoint is not None else request.endpoint
    if endpoint in BACKGROUND_ENDPOINTS or request.headers.get(BACKGROUND_HEADER) == "1":
        return True
    return endpoint in SELF_REFRESHING_PAGES and request.headers.get("Sec-Fetch-User") != "?1"


def _end_session(reason: str):
    logout_user()
    # Keep only the language and Flask-Login's order to delete the remember-me cookie.
    kept = {key: session[key] for key in ("lang", "_remember") if key in session}
    session.clear()
    session.update(kept)
    if reason == "idle":
        minutes = round(_setting("STAFF_SESSION_IDLE_TIMEOUT") / 60)
        message = _("You were logged out after %(n)d minutes without activity. Please log in again.", n=minutes)
    else:
        message = _("Your session has expired. Please log in again.")
    if request.path.startswith("/api/"):
        return error_response(401, code="session_expired", message=message)
    flash(message, "warning")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.login", next=target))


def enforce_session_rules():
    endpoint = request.endpoint
    if endpoint == "static":
        return None
    user = current_user._get_current_object()  # the proxy is looked through once
    if not user.is_authenticated:
        return None
    staff = is_staff(user)
    reason = expiry_reason(user, staff=staff)
    if reason is not None:
        return _end_session(reason)
    if not is_background_request(endpoint or ""):
        now = time.time()
        # Only staff sessions end when idle, so only they need every request noted. Other
        # sessions note activity every few minutes: enough to keep the cookie's signature
        # younger than PERMANENT_SESSION_LIFETIME (Flask refuses older ones), without a new
        # cookie to sign and send on every page.
        if staff or now - session.get(SEEN_AT, 0) > COOKIE_REFRESH_SECONDS:
            session[SEEN_AT] = now
    return None


def init_app(app: Flask) -> None:
    user_logged_in.connect(_logged_in)
    user_loaded_from_cookie.connect(_restored_from_cookie)
    app.before_request(enforce_session_rules)
