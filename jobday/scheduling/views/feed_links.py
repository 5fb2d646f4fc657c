"""The address of a user's private calendar feed, as the agenda and the day page show it."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import bindparam, select

from jobday.extensions import db
from jobday.scheduling import ics
from jobday.scheduling.models import CalendarFeed

# Read as a plain row (what ``ics.feed_token`` signs), not as the ORM object.
_FEED = select(CalendarFeed.user_id, CalendarFeed.version).where(CalendarFeed.user_id == bindparam("user_id"))


def private_feed_url(user_id: int) -> str | None:
    """The feed's address, or None when the user has none."""
    feed = db.session.connection().execute(_FEED, {"user_id": user_id}).first()
    return url_for("scheduling.feed", token=ics.feed_token(feed), _external=True) if feed else None
