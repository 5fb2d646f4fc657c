"""Valid objects with sensible defaults. Each factory adds to the session and flushes."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from jobday.accounts.models import User
from jobday.accounts.passwords import hash_password
from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.editions.services import create_edition
from jobday.extensions import db
from jobday.security import Role

DEFAULT_PASSWORD = "correct horse battery staple"
_hash_cache: dict[str, str] = {}
_sequence = itertools.count(1)


def _password_hash(password: str) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def make_user(*, email: str | None = None, password: str = DEFAULT_PASSWORD,
              roles=(Role.CANDIDATE,), first_name: str = "Zoë", last_name: str = "Müller",
              confirmed: bool = True, locale: str | None = None) -> User:
    n = next(_sequence)
    user = User(email=(email or f"user{n}@example.org").lower(), password_hash=_password_hash(password),
                first_name=first_name, last_name=last_name, locale=locale,
                email_confirmed_at=utcnow() if confirmed else None)
    for role in roles:
        user.add_role(Role(role))
    db.session.add(user)
    db.session.flush()
    return user


def make_edition(*, year: int | None = None, starts_on: date | None = None, **settings) -> Edition:
    """An edition 60 days ahead, with registration open now and booking open now."""
    now = utcnow()
    starts_on = starts_on or (now + timedelta(days=60)).date()
    year = year or 2000 + next(_sequence)
    settings.setdefault("registration_opens_at", now - timedelta(days=10))
    settings.setdefault("registration_closes_at", now + timedelta(days=50))
    settings.setdefault("booking_opens_at", now - timedelta(days=1))
    settings.setdefault("booking_closes_at", now + timedelta(days=59))
    return create_edition(year=year, starts_on=starts_on, venue_name="Biopark", **settings)
