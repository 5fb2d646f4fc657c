"""Change stamps: a value the database gives a new value whenever data that an answer kept
between requests depends on is written, so that a process knows, with one small read, whether
the answer it kept still holds.

Triggers write the stamps (migration 0020 lists the tables and columns of each topic), so no
writer can forget to, whether through the ORM, a bulk statement or the driver:

- each change gives the stamp a new random value, never a count: a SQLite change rolled back
  would give the next change the same number again, and an answer kept in between would look
  current;
- on PostgreSQL the stamp is written at the commit, once per transaction (a deferred trigger):
  writers queue on its row no longer than their commits, never while they take other locks;
  and a commit shows data and stamp together, so a reader who reads the stamp before the data
  never keeps data older than its stamp. Until then the writing transaction is told that it
  wrote (a setting of the transaction): its own reads must not use a kept answer.

A topic's row missing (a test database emptied by TRUNCATE) means no stamp: nothing is kept.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import String, bindparam, func, select, text
from sqlalchemy.orm import Mapped, mapped_column

from jobday.db import Base
from jobday.driver_sql import DriverStatement
from jobday.extensions import db

T = TypeVar("T")

# The candidates as other people's pages read them: registrations, consents, profiles and their
# choices, users' names and accounts' state (matching's ranking of a company's candidates).
CANDIDATES = "candidates"
TOPICS = (CANDIDATES,)


class ChangeStamp(Base):
    """One topic's stamp: a new random value at each committed change of its data."""

    __tablename__ = "change_stamps"

    topic: Mapped[str] = mapped_column(String(40), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


_STAMP = DriverStatement(select(ChangeStamp.stamp).where(ChangeStamp.topic == bindparam("topic")))
# PostgreSQL: the stamp, and whether this transaction wrote the topic's data (not yet stamped)
_STAMP_AND_WRITTEN = DriverStatement(select(
    ChangeStamp.stamp, func.current_setting(bindparam("setting"), True)).where(ChangeStamp.topic == bindparam("topic")))


def written_setting(topic: str) -> str:
    """The PostgreSQL setting the triggers set, for the rest of a transaction, when it writes
    ``topic``'s data."""
    return f"jobday.written_{topic}"


def current(topic: str) -> str | None:
    """``topic``'s stamp as this transaction sees it; None when a kept answer must not be
    used: the transaction wrote the topic's data, or the stamp's row is missing."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        row = _STAMP_AND_WRITTEN.first(connection, {"topic": topic, "setting": written_setting(topic)})
        return row[0] if row is not None and row[1] != "yes" else None
    row = _STAMP.first(connection, {"topic": topic})  # SQLite: the writer's own change is stamped already
    return row[0] if row is not None else None


def restart(connection) -> None:
    """Every topic's row, with a new stamp (after its table was emptied without triggers)."""
    connection.execute(text("DELETE FROM change_stamps"))
    for topic in TOPICS:
        connection.execute(text("INSERT INTO change_stamps (topic, stamp) VALUES (:topic, :stamp)"),
                           {"topic": topic, "stamp": secrets.token_hex(16)})


class KeptByStamp:
    """Answers kept between requests in this process, each under the stamp of ``topic`` it was
    computed with; ``size``: how many keys at most (the least recently used forgotten first).
    ``compute`` must read only data the topic covers, beyond what its key names."""

    def __init__(self, topic: str, *, size: int = 64) -> None:
        self.topic = topic
        self.size = size
        self._kept: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T], *, keep_if: Callable[[], bool] | None = None) -> T:
        """``compute()``, or its answer kept for ``key`` under the current stamp. ``keep_if``:
        asked after ``compute``, whether what ``key`` was made of still holds (on PostgreSQL
        each statement sees the latest commits: data read for the key may have changed before
        ``compute`` read it again)."""
        stamp = current(self.topic)  # read before the data: never a stamp newer than what was read
        if stamp is None:
            return compute()
        key = (db.engine.url, key)
        with self._lock:
            held = self._kept.get(key)
            if held is not None and held[0] == stamp:
                self._kept.move_to_end(key)
                return held[1]
        answer = compute()
        if keep_if is not None and not keep_if():
            return answer
        with self._lock:
            self._kept[key] = (stamp, answer)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return answer

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()
