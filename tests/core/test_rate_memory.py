"""The limiter's storage of the embedded default (``jobday-memory://``): limits hold as with
the library's memory storage, and a write starts no thread."""

from __future__ import annotations

import time

import pytest
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.storage import memory as limits_memory
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from jobday.rate_memory import SweptMemoryStorage


@pytest.fixture
def forbid_threads(monkeypatch):
    """Call it once the storage is made (the library's constructor starts a first timer)."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("a write started a thread")

    def forbid():
        time.sleep(0.05)  # that first timer has run out
        monkeypatch.setattr(limits_memory.threading, "Timer", refuse)
    return forbid


def test_the_scheme_names_this_storage():
    assert isinstance(storage_from_string("jobday-memory://"), SweptMemoryStorage)


@pytest.mark.parametrize("strategy", [MovingWindowRateLimiter, FixedWindowRateLimiter])
def test_a_write_starts_no_thread(strategy, forbid_threads):
    limiter = strategy(SweptMemoryStorage())
    forbid_threads()
    assert all(limiter.hit(parse("100 per minute"), "door", "gate-a") for _ in range(5))


def test_the_library_storage_would_start_one(forbid_threads):
    """What this storage is for: the library's own starts a timer thread at a write."""
    limiter = MovingWindowRateLimiter(MemoryStorage())
    forbid_threads()
    with pytest.raises(AssertionError, match="started a thread"):
        limiter.hit(parse("100 per minute"), "door", "gate-a")


def test_a_limit_holds_and_frees_when_its_window_moves_on(forbid_threads):
    storage = SweptMemoryStorage()
    forbid_threads()
    limiter, rate = MovingWindowRateLimiter(storage), parse("2 per 1 second")
    assert limiter.hit(rate, "door", "gate-a") and limiter.hit(rate, "door", "gate-a")
    assert not limiter.hit(rate, "door", "gate-a")
    assert limiter.hit(rate, "door", "gate-b")  # another key has its own
    time.sleep(1.1)
    storage.next_sweep = 0  # the second since the last sweep has passed
    assert limiter.hit(rate, "door", "gate-a")
    held = {key.split("/")[2]: len(entries) for key, entries in storage.events.items() if entries}
    assert held == {"gate-a": 1}  # the expired entries were swept away
