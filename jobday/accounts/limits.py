"""Abuse limits: failed logins, sign-ups, password-reset e-mails and downloads.

The counters live in the limiter's storage (memory, or Redis when ``REDIS_URL`` is set,
so all workers share them). Each limit reads its rate from the configuration at request
time (``LOGIN_FAILURE_LIMIT``, ``SIGNUP_LIMIT``, ...). Limits used by several views are
shared: one scope, one counter, whichever form or download the request came through.
"""

from __future__ import annotations

import hashlib

from flask import current_app, g, request, session
from flask_login import current_user
from limits import parse

from jobday.extensions import limiter


def _rate(key: str):
    return lambda: current_app.config[key]


def _hashed(email: str) -> str:
    """Counters are keyed by a digest: the storage holds no e-mail addresses."""
    normalised = email.strip().lower()[:254]
    return hashlib.sha256(normalised.encode()).hexdigest()[:32]


# --- failed logins -----------------------------------------------------------------------

def note_failed_login() -> None:
    """Called by a view that refused a password: the failed-login counters go up by one."""
    g.login_failed = True


def _login_failed(_response) -> bool:
    return bool(g.get("login_failed"))


def _account_in_form() -> str:
    return "account-" + _hashed(request.form.get("email", ""))


def _current_account() -> str:
    if current_user.is_authenticated:
        return "account-" + _hashed(current_user.email)
    return _account_in_form()


def failed_login_limits(account_key=_account_in_form):
    """Two counters, per address and per account, raised only by ``note_failed_login()``.

    The login page and the confirm-password page share them: guessing a password on either
    counts against the same budget.
    """
    by_address = limiter.shared_limit(_rate("LOGIN_FAILURE_LIMIT"), scope="failed-login-address",
                                      methods=["POST"], deduct_when=_login_failed)
    by_account = limiter.shared_limit(_rate("LOGIN_FAILURE_LIMIT"), scope="failed-login-account",
                                      key_func=account_key, methods=["POST"], deduct_when=_login_failed)

    def decorator(view):
        return by_address(by_account(view))

    return decorator


login_limits = failed_login_limits()
confirm_password_limits = failed_login_limits(_current_account)


# --- sign-ups and reset requests per address ------------------------------------------

# Every sign-up form posted from one address counts, whichever of the three forms it was,
# and whether or not the address already had an account (the answer must not differ).
signup_limit = limiter.shared_limit(_rate("SIGNUP_LIMIT"), scope="signup", methods=["POST"])

def _pending_or_own_address() -> str:
    """The address a confirmation link goes to: the sign-up this browser waits for, or the
    logged-in user's own."""
    if current_user.is_authenticated:
        return "confirm-" + _hashed(current_user.email)
    entry = session.get("signup")
    email = entry.get("email", "") if isinstance(entry, dict) else ""
    return "confirm-" + _hashed(str(email))


# Confirmation links sent again (or to a corrected address), per address waiting for one.
confirmation_resend_limit = limiter.shared_limit(_rate("CONFIRMATION_RESEND_LIMIT"), scope="confirmation-resend",
                                                 key_func=_pending_or_own_address, methods=["POST"])

reset_request_limit = limiter.shared_limit(_rate("PASSWORD_RESET_ADDRESS_LIMIT"), scope="password-reset",
                                           methods=["POST"])


def may_send_reset_email(email: str) -> bool:
    """At most ``PASSWORD_RESET_ACCOUNT_LIMIT`` reset e-mails per account; counts this one.

    Counted for any address, with or without an account, and never answered with an error:
    a refusal here only means no e-mail, so the page looks the same either way.
    """
    rate = parse(current_app.config["PASSWORD_RESET_ACCOUNT_LIMIT"])
    identifiers = [current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "reset-mail-" + _hashed(email), "reset-mail"]
    return limiter.limiter.hit(rate, *[part for part in identifiers if part])


# --- downloads per user --------------------------------------------------------------------

def _downloader() -> str:
    if current_user.is_authenticated:
        return f"user-{current_user.id}"
    return f"address-{request.remote_addr}"


# Put it below the access decorators: refused requests are not counted.
export_limit = limiter.shared_limit(_rate("EXPORT_LIMIT"), scope="export", key_func=_downloader)
