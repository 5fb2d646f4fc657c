"""Dates and times as people read them, in French and in English (British conventions:
the readers are in Belgium), the only place that formats them.

=========  =========================  ===========================
form       French                     English
=========  =========================  ===========================
short      18/03/2027                 18/03/2027
long       18 mars 2027               18 March 2027
full       jeudi 18 mars 2027         Thursday 18 March 2027
day        jeudi 18 mars              Thursday 18 March
abbr       jeu. 18 mars               Thu 18 Mar
time       10:20                      10:20
=========  =========================  ===========================

Two days: ``{{ edition.starts_on|date_range(edition.ends_on) }}`` ("18–19 mars 2027").
A date and time joins the two: "18/03/2027 10:20" (short), "jeudi 18 mars 2027 à 10:20"
(full). Times are shown in the fair's time zone (``BABEL_DEFAULT_TIMEZONE``, the editions'
Europe/Brussels) and carry no zone name; a value shown in another zone says which ("10:20 GMT").
In templates: ``{{ slot.starts_at|time }}``, ``{{ edition.starts_on|date('full') }}``,
``{{ booking.starts_at|datetime('full') }}``.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_date
from flask import Flask, has_app_context
from flask.globals import _cv_app
from flask_babel import get_locale, gettext

DATE_PATTERNS = {"short": "dd/MM/y", "long": "d MMMM y", "full": "EEEE d MMMM y", "day": "EEEE d MMMM",
                 "abbr": "EEE d MMM"}
BABEL_LOCALES = {"fr": Locale.parse("fr_BE"), "en": Locale.parse("en_GB")}
DEFAULT_ZONE = "Europe/Brussels"


def babel_locale() -> Locale:
    """The reader's language with the conventions Jobday uses for it (en → en_GB)."""
    language = str(get_locale() or "fr") if has_app_context() else "fr"
    return BABEL_LOCALES.get(language.split("_")[0], BABEL_LOCALES["fr"])


# The numeric forms read the same in both languages: written directly, they cost a tenth of
# Babel's pattern machinery, and pages list many of them.
def _clock(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _short_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def fair_zone() -> ZoneInfo:
    context = _cv_app.get(None)  # the application's configuration, not through the proxy: asked per value shown
    name = context.app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_ZONE) if context is not None else DEFAULT_ZONE
    return _zone_named(name)


@functools.lru_cache(maxsize=16)
def _zone_named(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _zone(tz) -> ZoneInfo:
    if tz is None:
        return fair_zone()
    if isinstance(tz, ZoneInfo):
        return tz
    return _zone_named(getattr(tz, "timezone", tz))  # a zone name, or an object with one (an edition)


def _local(value: datetime, tz) -> tuple[datetime, str]:
    """The moment in the zone it is shown in, and the zone's name when it is not the fair's."""
    if value.tzinfo is None:
        return value, ""  # a wall-clock time already
    fair = fair_zone()
    zone = fair if tz is None else _zone(tz)
    local = value.astimezone(zone)
    named = "" if zone.key == fair.key else f" {local.tzname()}"
    return local, named


def format_time(value: datetime | time | None, tz=None) -> str:
    if value is None:
        return ""
    if isinstance(value, time):
        return _clock(value)
    local, named = _local(value, tz)
    return _clock(local) + named


def format_date(value: datetime | date | None, form: str = "short", tz=None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, tz)[0].date()
    if form == "short":
        return _short_date(value)
    return _babel_date(value, DATE_PATTERNS[form], locale=babel_locale())


def format_datetime(value: datetime | None, form: str = "short", tz=None) -> str:
    if value is None:
        return ""
    local, named = _local(value, tz)
    clock = _clock(local) + named
    if form == "short":
        return f"{_short_date(local)} {clock}"
    day = _babel_date(local.date(), DATE_PATTERNS[form], locale=babel_locale())
    return gettext("%(date)s at %(time)s", date=day, time=clock)


def format_date_range(start: date, end: date | None, form: str = "long") -> str:
    """One day, or two: "18 mars 2027", "18–19 mars 2027", "31 mars – 1 avril 2027"."""
    if end is None or end == start:
        return format_date(start, form)
    if form == "long" and start.year == end.year:
        if start.month == end.month:
            return f"{start.day}–{format_date(end, form)}"
        return f"{_babel_date(start, 'd MMMM', locale=babel_locale())} – {format_date(end, form)}"
    return f"{format_date(start, form)} – {format_date(end, form)}"


def format_time_range(start: datetime | time | None, end: datetime | time | None, tz=None) -> str:
    """10:20–10:40"""
    return f"{format_time(start, tz)}–{format_time(end, tz)}"


def iso(value: datetime | date | None) -> str:
    """For machines (``<time datetime>``, data attributes), never for people."""
    return value.isoformat() if value is not None else ""


def init_app(app: Flask) -> None:
    app.add_template_filter(format_time, "time")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_time_range, "time_range")
    app.add_template_filter(format_date_range, "date_range")
    app.add_template_filter(iso, "iso")
