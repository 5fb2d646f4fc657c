"""Sensitive actions need a password entered less than ``REAUTH_MAX_AGE`` ago.

``@recent_login_required`` goes below the access decorators (``role_required``,
``login_required``): a visitor without access is refused first. When the password is too
old, the user is sent to the confirm-password page and then back: to the same address for
a GET, to the page the form was on for a POST (whose body cannot be replayed).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobday.accounts.session_policy import password_entered_recently
from jobday.errors import error_response
from jobday.extensions import login_manager
from jobday.security import safe_redirect_target


def return_address() -> str:
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host:
        path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
        return safe_redirect_target(path, url_for("main.index"))
    return url_for("main.index")


def recent_login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if password_entered_recently():
            return view(*args, **kwargs)
        message = _("For your security, please enter your password again to continue.")
        if request.path.startswith("/api/"):
            return error_response(401, code="reauthentication_required", message=message)
        flash(message, "info")
        return redirect(url_for("accounts.confirm_password", next=return_address()))

    wrapped.requires_recent_login = True  # read by the access-matrix tests
    return wrapped
