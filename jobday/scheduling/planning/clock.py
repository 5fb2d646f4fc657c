"""The problem's clock: whole minutes from midnight UTC of the day before the fair (so every
local time of the fair is positive)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jobday.editions.models import Edition
from jobday.scheduling.models import AVAILABLE_AFTERNOON, AVAILABLE_MORNING

MORNING_ENDS, AFTERNOON_STARTS = time(13, 0), time(12, 0)


def origin_of(edition: Edition) -> datetime:
    return datetime.combine(edition.starts_on - timedelta(days=1), time(0), tzinfo=UTC)


def minutes(when: datetime, origin: datetime) -> int:
    return int((when - origin).total_seconds() // 60)


def windows(edition: Edition, period: str, origin: datetime):
    """The (start, end) minutes a candidate available only in the morning or the afternoon
    can come, on each day of the fair; None when available all day."""
    if period not in (AVAILABLE_MORNING, AVAILABLE_AFTERNOON):
        return None
    zone = ZoneInfo(edition.timezone)
    found = []
    day = edition.starts_on
    while day <= edition.ends_on:
        start = datetime.combine(day, time(0), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        if period == AVAILABLE_MORNING:
            end = datetime.combine(day, MORNING_ENDS, tzinfo=zone)
        else:
            start = datetime.combine(day, AFTERNOON_STARTS, tzinfo=zone)
        found.append((minutes(start, origin), minutes(end, origin)))
        day += timedelta(days=1)
    return tuple(found)
