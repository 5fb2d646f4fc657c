"""Signed, expiring links for e-mail confirmation, password reset and e-mail change.

Each token carries a fingerprint of the state it may change, so it is single-use: once
the password (or e-mail) has changed, the same link no longer matches.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from jobday.accounts.models import User

CONFIRM = "confirm-email"
RESET = "reset-password"
CHANGE_EMAIL = "change-email"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"jobday.{purpose}")


def _fingerprint(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:16]


def _state(user: User, purpose: str) -> str:
    if purpose == RESET:
        return _fingerprint(user.password_hash, user.email)
    return _fingerprint(user.email)


def make_token(user: User, purpose: str, **extra: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "s": _state(user, purpose), **extra})


def read_token(token: str, purpose: str, max_age: int) -> dict | None:
    """The payload, or None when the token is forged, expired or malformed."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return payload if isinstance(payload, dict) and isinstance(payload.get("u"), int) else None


def token_matches(user: User, payload: dict, purpose: str) -> bool:
    return payload.get("s") == _state(user, purpose)
