"""Interview plan arithmetic, free of Flask and the database.

``parse_ranges`` reads "09:30-12:30, 13:30-16:30"; ``generate_slots`` turns opening
ranges into slots. Slots are laid out in real elapsed time (UTC), so a range that spans a
daylight-saving change yields slots of the true length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from jobday.formats import format_time

MIN_SLOT_MINUTES, MAX_SLOT_MINUTES = 10, 60
MAX_PAUSE_MINUTES = 60

_RANGE = re.compile(r"^(\d{1,2})[:hH.](\d{2})\s*[-–]\s*(\d{1,2})[:hH.](\d{2})$")


def parse_ranges(text: str) -> list[tuple[time, time]]:
    """'09:30-12:30, 13:30-16:30' → sorted, non-overlapping (start, end) pairs.

    Raises ValueError with a translated message for bad input."""
    ranges = []
    for chunk in re.split(r"[,;\n]+", text or ""):
        chunk = chunk.strip()
        if not chunk:
            continue
        match = _RANGE.match(chunk)
        if not match:
            raise ValueError(_l("Write hours as ranges such as 09:30-12:30, 13:30-16:30."))
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(_l("Write hours as ranges such as 09:30-12:30, 13:30-16:30."))
        start, end = time(h1, m1), time(h2, m2)
        if end <= start:
            raise ValueError(_l("Each range must end after it starts."))
        ranges.append((start, end))
    ranges.sort()
    for (_s1, e1), (s2, _e2) in zip(ranges, ranges[1:], strict=False):
        if s2 < e1:
            raise ValueError(_l("The ranges overlap."))
    return ranges


def format_ranges(ranges: Iterable[tuple[time, time]]) -> str:
    return ", ".join(f"{format_time(start)}-{format_time(end)}" for start, end in ranges)


def check_lengths(slot_minutes: int, pause_minutes: int) -> None:
    if not MIN_SLOT_MINUTES <= slot_minutes <= MAX_SLOT_MINUTES:
        raise ValueError(_l("A slot lasts from 10 to 60 minutes."))
    if not 0 <= pause_minutes <= MAX_PAUSE_MINUTES:
        raise ValueError(_l("The pause lasts from 0 to 60 minutes."))


def generate_slots(openings: Iterable[tuple[date, time, time]], slot_minutes: int, pause_minutes: int,
                   tz: str | ZoneInfo) -> list[tuple[datetime, datetime]]:
    """Slots (start, end) in aware UTC for the given (day, start, end) local-time ranges.

    Each range is filled from its start: a slot, a pause, a slot... A slot that would end
    after the range is left out (the pause after the last slot may overrun)."""
    check_lengths(slot_minutes, pause_minutes)
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    length, step = timedelta(minutes=slot_minutes), timedelta(minutes=slot_minutes + pause_minutes)
    slots: set[tuple[datetime, datetime]] = set()
    for day, start, end in openings:
        start_utc = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
        end_utc = datetime.combine(day, end, tzinfo=zone).astimezone(UTC)
        current = start_utc
        while current + length <= end_utc:
            slots.add((current, current + length))
            current += step
    return sorted(slots)
