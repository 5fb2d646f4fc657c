"""Texts of slots that are the same for every reader of a language (a slot's time, its booking
button's labels), kept across requests: a booking rush shows the same slots thousands of times."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask_babel import gettext as _

from jobday.formats import format_date, format_time


@lru_cache(maxsize=16384)
def slot_texts(language: str, zone: str, starts_at: datetime, table: str,
               move: bool = False) -> tuple[str, str, str]:
    """A slot's time, its booking button's label ("Book 10:20", or "Move to 10:20") and that
    label for screen readers (with the table and the day), in ``language`` (the request's) and
    the fair's ``zone``: the same for every candidate, whatever their day."""
    time = time_text(language, zone, starts_at)
    label = _("Move to %(time)s", time=time) if move else _("Book %(time)s", time=time)
    return time, label, _("%(action)s, %(table)s, %(day)s", action=label, table=table,
                          day=format_date(starts_at, "full"))


@lru_cache(maxsize=4096)
def time_text(language: str, zone: str, moment: datetime) -> str:
    """``moment|time`` in ``language`` (the request's) and the fair's ``zone``."""
    return format_time(moment)
