"""Editions: creation, the current edition, and the windows that open and close things."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError
from jobday.extensions import db


class EditionExists(DomainError):
    code = "edition_exists"
    message = _l("An edition already exists for this year.")


class InvalidEditionDates(DomainError):
    code = "invalid_dates"
    message = _l("The edition must end on or after the day it starts.")


def local_datetime(edition: Edition, day: date, at: time) -> datetime:
    """A wall-clock time at the venue, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(edition.timezone))


def create_edition(*, year: int, name: str | None = None, starts_on: date, ends_on: date | None = None,
                   venue_name: str = "", venue_address: str = "", capacity: int | None = None,
                   **settings) -> Edition:
    """A new edition with windows derived from its date unless given: registration opens
    four months before and closes two days before; booking opens three weeks before and
    closes the evening before the fair."""
    ends_on = ends_on or starts_on
    if ends_on < starts_on:
        raise InvalidEditionDates()
    if db.session.scalar(select(Edition.id).where(Edition.year == year)) is not None:
        raise EditionExists()
    edition = Edition(year=year, name=name or f"Jobdays {year}", starts_on=starts_on, ends_on=ends_on,
                      venue_name=venue_name, venue_address=venue_address, capacity=capacity)
    for key, value in settings.items():
        if not hasattr(Edition, key):
            raise TypeError(f"unknown edition setting {key!r}")
        setattr(edition, key, value)
    edition.timezone = edition.timezone or "Europe/Brussels"
    eve = local_datetime(edition, starts_on - timedelta(days=1), time(20, 0))
    edition.registration_opens_at = edition.registration_opens_at or eve - timedelta(days=120)
    edition.registration_closes_at = edition.registration_closes_at or eve - timedelta(days=1)
    edition.booking_opens_at = edition.booking_opens_at or eve - timedelta(days=21)
    edition.booking_closes_at = edition.booking_closes_at or eve
    db.session.add(edition)
    db.session.flush()
    return edition


def get_edition_by_year(year: int) -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.year == year))


def current_edition(today: date | None = None) -> Edition | None:
    """The next or ongoing edition; when none is ahead, the most recent one."""
    today = today or utcnow().date()
    upcoming = db.session.scalar(
        select(Edition).where(Edition.ends_on >= today).order_by(Edition.starts_on).limit(1)
    )
    if upcoming is not None:
        return upcoming
    return db.session.scalar(select(Edition).order_by(Edition.starts_on.desc()).limit(1))


def window_is_open(opens_at: datetime | None, closes_at: datetime | None,
                   now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (opens_at is None or opens_at <= now) and (closes_at is None or now < closes_at)


def registration_open(edition: Edition, now: datetime | None = None) -> bool:
    return window_is_open(edition.registration_opens_at, edition.registration_closes_at, now)


def booking_open(edition: Edition, now: datetime | None = None) -> bool:
    return window_is_open(edition.booking_opens_at, edition.booking_closes_at, now)
