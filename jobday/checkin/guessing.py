"""The limit on unknown codes, per device (or staff session, or address): guessing badge
codes must be slow. ``CHECKIN_UNKNOWN_LIMIT`` (default "60 per minute") unknown codes per
window; once it is used up, every scan of that device is refused with 429 until the window
moves on. The counter lives in the limiter's storage (memory, or Redis when ``REDIS_URL`` is
set, shared by all workers).

The storage is used directly rather than through a Flask-Limiter decorator: the decorator's
per-request bookkeeping (resolving limits, window statistics for the rate-limit headers) cost
a fifth of a scan, where the door needs one read per scan and one write per unknown code.
"""

from __future__ import annotations

import math
import time
from functools import lru_cache

from flask import current_app
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests

from jobday.extensions import limiter

SCOPE = "door-unknown-codes"


@lru_cache(maxsize=8)
def _parsed(text: str) -> RateLimitItem:
    return parse(text)


def _limit() -> tuple[RateLimitItem, list[str]]:
    config = current_app.config
    prefix = config.get("RATELIMIT_KEY_PREFIX", "")
    return _parsed(config.get("CHECKIN_UNKNOWN_LIMIT", "60 per minute")), [part for part in (prefix, SCOPE) if part]


def refuse_when_exhausted(key: str) -> None:
    """Raise 429, with the seconds until the window frees a place, once ``key`` has used up
    its unknown codes."""
    rate, scope = _limit()
    if not limiter.limiter.test(rate, *scope, key):
        reset_at = limiter.limiter.get_window_stats(rate, *scope, key).reset_time
        raise TooManyRequests(retry_after=max(1, math.ceil(reset_at - time.time())))


def count_unknown(key: str) -> None:
    """One more unknown code for ``key``."""
    rate, scope = _limit()
    limiter.limiter.hit(rate, *scope, key)
