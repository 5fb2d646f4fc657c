"""The sign-up waiting for its confirmation link, as the browser that sent it knows it.

After a sign-up form (an account, a candidate's edition sign-up, a company registration) the
session holds the address, the sign-up form's address, where to go once confirmed, and a
proof that this browser created the account: an HMAC of a fresh nonce, the account's id and
its session version. For an address that already had an account nothing is created and the
proof is random bytes of the same length, so the cookie (which its holder can read) says no
more than the page does.

The proof lets the "check your mailbox" page resend the link or send it to a corrected
address, and lets the confirmation link log the person in when it is opened in the browser
that signed up; opened anywhere else, it confirms the address and asks for the password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from jobday.accounts.forms import CorrectEmailForm
from jobday.accounts.models import User
from jobday.accounts.session_policy import AUTH_AT
from jobday.forms import ActionForm
from jobday.navigation import home_url
from jobday.security import safe_redirect_target

KEY = "signup"
LOGIN_EMAIL = "login_email"  # pre-fills the login form once


def _proof(user: User, nonce: str) -> str:
    message = f"signup:{nonce}:{user.id}:{user.session_version}".encode()
    return hmac.new(str(current_app.config["SECRET_KEY"]).encode(), message, hashlib.sha256).hexdigest()


def random_proof() -> str:
    return secrets.token_hex(32)


def remember(email: str, user: User | None, *, form_url: str, next_url: str | None = None) -> None:
    """After a sign-up form: ``user`` is the account it created, None when the address had one."""
    nonce = secrets.token_urlsafe(12)
    proof = _proof(user, nonce) if user is not None else random_proof()
    session[KEY] = {"email": email, "nonce": nonce, "proof": proof, "form": form_url, "next": next_url}


def after_signup(email: str, user: User | None, *, form_url: str, next_url: str | None = None):
    """The answer to every sign-up form (an account, an edition, a company): the same page
    whether or not the address had an account (``user`` None)."""
    remember(email.strip().lower(), user, form_url=form_url, next_url=next_url)
    return check_mailbox_page()


def check_mailbox_page(correct_form: CorrectEmailForm | None = None, status: int = 200):
    """"Check your mailbox", with "send the link again" and "wrong address? start again"."""
    entry = current()
    if entry is None:
        return redirect(url_for("accounts.signup"))
    return render_template("accounts/check_mailbox.html", email=entry["email"], form_url=entry["form"],
                           resend_form=ActionForm(),
                           correct_form=correct_form or CorrectEmailForm(formdata=None)), status


def current() -> dict | None:
    entry = session.get(KEY)
    return entry if isinstance(entry, dict) and entry.get("email") else None


def created_here(user: User | None) -> bool:
    """Did this browser create ``user`` (still the same account: no logout or password change since)?"""
    entry = current()
    if user is None or entry is None or entry["email"] != user.email:
        return False
    return hmac.compare_digest(str(entry.get("proof", "")), _proof(user, str(entry.get("nonce", ""))))


def moved_to(email: str, user: User | None) -> None:
    """The address was corrected: the proof follows the account that moved (``user``), or is
    random again when none did."""
    entry = current()
    if entry is not None:
        proof = _proof(user, entry["nonce"]) if user is not None else random_proof()
        session[KEY] = {**entry, "email": email, "proof": proof}


def forget() -> None:
    session.pop(KEY, None)


def login_email() -> str:
    return session.pop(LOGIN_EMAIL, "")


def after_confirmation(user: User, next_url: str | None = None):
    """Where a confirmation link leads: in the browser that signed up, logged in, to ``next_url``
    (or the role's home); anywhere else, to the login form with the address filled in."""
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    if current_user.is_authenticated:
        target = home_url(current_user) if current_user.id != user.id else None
        return redirect(safe_redirect_target(next_url, target or home_url(user)))
    entry = current()
    if created_here(user):
        next_url = next_url or entry.get("next")
        lang = session.get("lang")
        session.clear()  # a fresh session: no fixation
        if lang:
            session["lang"] = lang
        login_user(user)
        session.pop(AUTH_AT, None)  # no password was entered here: sensitive actions ask for it
        return redirect(safe_redirect_target(next_url, home_url(user)))
    session[LOGIN_EMAIL] = user.email
    flash(_("Log in to continue."), "info")
    return redirect(url_for("accounts.login", next=safe_redirect_target(next_url, "") or None))
