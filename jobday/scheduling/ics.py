"""Calendar files (iCalendar, RFC 5545) of interviews, and the private feed's token.

Each interview is one VEVENT with a stable UID (``booking-<id>@<host>``: a move keeps the
booking, so the event keeps its UID) and a SEQUENCE that grows with every change;
cancelled interviews stay in the file as STATUS:CANCELLED so calendars remove them; a
VALARM rings 30 minutes before.

The feed URL carries a signed token of (user id, feed version); revoking draws a new
version, so the old URL stops working. Nothing secret is stored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Alarm, Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer

from jobday.accounts.models import User
from jobday.db import utcnow
from jobday.extensions import db
from jobday.scheduling.models import CalendarFeed

REMINDER = timedelta(minutes=30)
FEED_SALT = "jobday-calendar-feed"


@dataclass(frozen=True)
class CalendarEvent:
    booking_id: int
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    cancelled: bool
    stamp: datetime


def uid(booking_id: int) -> str:
    host = urlsplit(current_app.config.get("SERVER_URL", "")).hostname or "jobday"
    return f"booking-{booking_id}@{host}"


def build_calendar(events: list[CalendarEvent], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Jobday//Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in events:
        event = Event()
        event.add("uid", uid(item.booking_id))
        event.add("sequence", item.sequence)
        event.add("dtstamp", item.stamp.astimezone(UTC))
        event.add("dtstart", item.starts_at.astimezone(UTC))
        event.add("dtend", item.ends_at.astimezone(UTC))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if not item.cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.summary)
            alarm.add("trigger", -REMINDER)
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


# --- the private feed -------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=FEED_SALT)


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.get(CalendarFeed, user.id)


def feed_token(feed: CalendarFeed) -> str:
    return _serializer().dumps([feed.user_id, feed.version])


def create_or_renew_feed(user: User) -> CalendarFeed:
    """A new feed URL; any earlier one stops working."""
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, version=secrets.token_urlsafe(12), created_at=utcnow())
        db.session.add(feed)
    else:
        feed.version, feed.created_at = secrets.token_urlsafe(12), utcnow()
    db.session.flush()
    return feed


def revoke_feed(user: User) -> None:
    feed = feed_of(user)
    if feed is not None:
        db.session.delete(feed)
        db.session.flush()


def user_for_token(token: str) -> User | None:
    try:
        user_id, version = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    feed = db.session.get(CalendarFeed, user_id) if isinstance(user_id, int) else None
    if feed is None or not secrets.compare_digest(feed.version, str(version)):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None
