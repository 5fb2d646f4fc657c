"""Rate limits kept in the process's memory (the embedded default, without Redis):
``jobday-memory://``, the ``limits`` library's memory storage without its sweeping thread.

That storage removes expired entries on a timer thread started 10 ms after a write whenever
none is running. At the door every unknown code is such a write: each one started a thread,
inside the request (~150 µs of CPU, and up to 2 ms of waiting for the thread to start and hand
the interpreter back). Here the same sweep runs inline, at most once a second. Whether a limit
is reached never depended on the sweep: each read compares the entries' times itself; the
sweep only frees the memory of what has expired."""

from __future__ import annotations

import time

from limits.storage import MemoryStorage

SWEEP_EVERY = 1.0  # seconds


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["jobday-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.next_sweep = time.monotonic() + SWEEP_EVERY

    # ``MemoryStorage`` calls its private ``__schedule_expiry`` before every write.
    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - the name the base class calls
        now = time.monotonic()
        if now >= self.next_sweep:
            self.next_sweep = now + SWEEP_EVERY
            self._MemoryStorage__expire_events()
