"""Editions: creation, the current edition, and the windows that open and close things."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from jobday.db import utcnow
from jobday.editions.models import Edition
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.memo import keep, kept
from jobday.vocabulary import Vocabulary


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
    if not 0 < year < 10_000:  # no such edition; a 30-digit year from a query string would overflow the driver
        return None
    return db.session.scalar(_BY_YEAR, {"year": year})


_BY_YEAR = select(Edition).where(Edition.year == bindparam("year"))


def current_edition(today: date | None = None) -> Edition | None:
    """The next or ongoing edition; when none is ahead, the most recent one (asked by several
    parts of a page: kept for the transaction, ``jobday.memo``)."""
    today = today or utcnow().date()
    return kept("current_edition", today, lambda: _current_edition(today), watch=(Edition,))


def keep_current_edition(today: date, edition: Edition) -> None:
    """The current edition on ``today`` as another statement read it (``CURRENT_EDITION_ID``)."""
    keep("current_edition", today, edition, watch=(Edition,))


# Built once: on most pages, building the statement cost as much as running it.
_UPCOMING = (select(Edition).where(Edition.ends_on >= bindparam("today"))
             .order_by(Edition.starts_on, Edition.id).limit(1))
_LATEST = select(Edition).order_by(Edition.starts_on.desc(), Edition.id.desc()).limit(1)

# The same rule as a column, for a statement that reads the current edition with other things
# (bound parameter ``today``).
CURRENT_EDITION_ID = func.coalesce(
    select(Edition.id).where(Edition.ends_on >= bindparam("today"))
    .order_by(Edition.starts_on, Edition.id).limit(1).scalar_subquery(),
    select(Edition.id).order_by(Edition.starts_on.desc(), Edition.id.desc()).limit(1).scalar_subquery())


def _current_edition(today: date) -> Edition | None:
    upcoming = db.session.scalar(_UPCOMING, {"today": today})
    if upcoming is not None:
        return upcoming
    return db.session.scalar(_LATEST)


class EditionPhase(Vocabulary):
    UPCOMING = "upcoming", _l("upcoming"), "warn"
    ONGOING = "ongoing", _l("under way"), "ok"
    PAST = "past", _l("over"), "muted"


def edition_phase(edition: Edition, today: date | None = None) -> EditionPhase:
    """Where the fair stands on ``today`` at the venue: ahead, under way (its days), or over."""
    today = today or utcnow().astimezone(ZoneInfo(edition.timezone)).date()
    if today < edition.starts_on:
        return EditionPhase.UPCOMING
    return EditionPhase.ONGOING if today <= edition.ends_on else EditionPhase.PAST


def current_edition_id(today):
    """The rule of ``current_edition`` as one SQL expression giving the edition's id, for a
    query that needs to know "is this the current edition?" in the same round trip (the door's
    device check). ``today`` is a date or a bind parameter."""
    upcoming = (select(Edition.id).where(Edition.ends_on >= today).order_by(Edition.starts_on).limit(1)
                .correlate(None).scalar_subquery())
    latest = select(Edition.id).order_by(Edition.starts_on.desc()).limit(1).correlate(None).scalar_subquery()
    return func.coalesce(upcoming, latest)


def window_is_open(opens_at: datetime | None, closes_at: datetime | None,
                   now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (opens_at is None or opens_at <= now) and (closes_at is None or now < closes_at)


def registration_open(edition: Edition, now: datetime | None = None) -> bool:
    return window_is_open(edition.registration_opens_at, edition.registration_closes_at, now)


def booking_open(edition: Edition, now: datetime | None = None) -> bool:
    return window_is_open(edition.booking_opens_at, edition.booking_closes_at, now)


# --- organisers' changes -----------------------------------------------------------------

class InvalidEditionWindow(DomainError):
    code = "invalid_window"
    message = _l("A window must open before it closes.")


class InvalidEditionCapacity(DomainError):
    code = "invalid_capacity"
    message = _l("The capacity must be a positive number, or empty for no limit.")


# Pairs of (opens, closes) columns that must be ordered when both are set.
WINDOWS = (
    ("registration_opens_at", "registration_closes_at"),
    ("booking_opens_at", "booking_closes_at"),
    ("wishes_open_at", "wishes_close_at"),
)
# Never copied by a clone: identity, the dates (derived), and bookkeeping.
_NOT_SETTINGS = {"id", "year", "name", "starts_on", "ends_on", "created_at"}


def _check(year: int, starts_on: date, ends_on: date, values: dict, *, exclude_id: int | None) -> None:
    if ends_on < starts_on:
        raise InvalidEditionDates()
    for opens, closes in WINDOWS:
        opens_at, closes_at = values.get(opens), values.get(closes)
        if opens_at is not None and closes_at is not None and opens_at >= closes_at:
            raise InvalidEditionWindow(field=opens)
    capacity = values.get("capacity")
    if capacity is not None and capacity <= 0:
        raise InvalidEditionCapacity()
    taken = select(Edition.id).where(Edition.year == year)
    if exclude_id is not None:
        taken = taken.where(Edition.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise EditionExists()


def update_edition(edition: Edition, **fields) -> Edition:
    """Change an edition's settings; nothing changes unless every rule holds."""
    unknown = [key for key in fields if key in {"id", "created_at"} or not hasattr(Edition, key)]
    if unknown:
        raise TypeError(f"unknown edition settings {unknown!r}")
    values = {column.key: getattr(edition, column.key) for column in Edition.__table__.columns}
    values.update(fields)
    _check(values["year"], values["starts_on"], values["ends_on"], values, exclude_id=edition.id)
    for key, value in fields.items():
        setattr(edition, key, value)
    db.session.flush()
    return edition


def clone_edition(source: Edition, *, year: int, starts_on: date, actor=None) -> Edition:
    """A new edition with every setting and text of ``source``; the dates and every
    date-based window move by the gap between the two first days. No candidate data."""
    shift = starts_on - source.starts_on
    values = {}
    for column in Edition.__table__.columns:
        if column.key in _NOT_SETTINGS:
            continue
        value = getattr(source, column.key)
        if isinstance(value, datetime):
            value = value + shift
        values[column.key] = value
    ends_on = source.ends_on + shift
    name = source.name.replace(str(source.year), str(year))
    _check(year, starts_on, ends_on, values, exclude_id=None)
    edition = Edition(year=year, name=name, starts_on=starts_on, ends_on=ends_on, **values)
    db.session.add(edition)
    db.session.flush()
    return edition


REGISTRATION = ("registration_opens_at", "registration_closes_at")
BOOKING = ("booking_opens_at", "booking_closes_at")


def _set_window(edition: Edition, opens: str, closes: str, *, now: datetime, open_it: bool) -> None:
    """Open: starts now, and closes later than now (the old close if still ahead, else none).
    Close: ends now (and opens no later than now)."""
    if open_it:
        setattr(edition, opens, now)
        if getattr(edition, closes) is not None and getattr(edition, closes) <= now:
            setattr(edition, closes, None)
    else:
        if getattr(edition, opens) is None or getattr(edition, opens) >= now:
            setattr(edition, opens, now - timedelta(seconds=1))
        setattr(edition, closes, now)
    db.session.flush()


def open_registration_now(edition: Edition, now: datetime | None = None) -> None:
    _set_window(edition, *REGISTRATION, now=now or utcnow(), open_it=True)


def close_registration_now(edition: Edition, now: datetime | None = None) -> None:
    _set_window(edition, *REGISTRATION, now=now or utcnow(), open_it=False)


def open_booking_now(edition: Edition, now: datetime | None = None) -> None:
    _set_window(edition, *BOOKING, now=now or utcnow(), open_it=True)


def close_booking_now(edition: Edition, now: datetime | None = None) -> None:
    _set_window(edition, *BOOKING, now=now or utcnow(), open_it=False)
