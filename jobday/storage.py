"""Files people upload (CVs, logos) and files jobs produce, kept in the database.

Every web process and every job worker reaches the database, so a CV uploaded through one
server is downloaded through another, and a bulk print made by the worker is downloaded from
any web process: nothing is read from another process's local disk. A file is written in the
caller's transaction, so it appears and disappears with the row that points at it: a failed
request leaves no orphan, a committed deletion leaves nothing behind. (The QR cache stays on
the local disk: it is rebuilt from the badge codes.)

A file is known by a random key. A file with an ``expires_at`` (a job's result) lives in a
table of its own, which the nightly retention job empties of what is past its time and which
backups leave out (a backup is itself a job result: it must not hold the earlier ones). A file
is read whole: CVs and logos are size-capped, and a bulk print of a thousand badges is a few
tens of megabytes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from jobday.db import Base, UTCDateTime, utcnow
from jobday.extensions import db


class _FileColumns:
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "cv", "logo", "job": what it is, for audits
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoredFile(_FileColumns, Base):
    """Kept until the row pointing at it lets it go (a CV replaced, a candidate erased)."""

    __tablename__ = "stored_files"


class ExpiringFile(_FileColumns, Base):
    """Kept until ``expires_at``."""

    __tablename__ = "expiring_files"

    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


TABLES = (StoredFile, ExpiringFile)


@dataclass(frozen=True)
class FileContent:
    data: bytes
    content_type: str


def new_key(extension: str = "") -> str:
    """A random key: 32 hexadecimal digits, then the extension (``".pdf"``) if any."""
    return f"{secrets.token_hex(16)}{extension}"


def put(data: bytes, *, kind: str, content_type: str, key: str | None = None,
        expires_at: datetime | None = None) -> str:
    """Add a file in the current transaction; returns its key."""
    key = key or new_key()
    columns = dict(key=key, kind=kind, content_type=content_type, size=len(data), data=data)
    db.session.add(ExpiringFile(**columns, expires_at=expires_at) if expires_at else StoredFile(**columns))
    db.session.flush()
    return key


def read(key: str | None) -> FileContent | None:
    if not key:
        return None
    for table in TABLES:
        row = db.session.execute(select(table.data, table.content_type).where(table.key == key)).first()
        if row is not None:
            return FileContent(row.data, row.content_type)
    return None


def exists(key: str | None) -> bool:
    return bool(key) and any(db.session.scalar(select(table.key).where(table.key == key)) is not None
                             for table in TABLES)


def remove(key: str | None) -> None:
    """Delete in the current transaction (nothing if there is no such file)."""
    if key:
        for table in TABLES:
            db.session.execute(delete(table).where(table.key == key))


def purge_expired(now: datetime | None = None) -> int:
    """Delete the files whose time is over; returns how many."""
    result = db.session.execute(delete(ExpiringFile).where(ExpiringFile.expires_at <= (now or utcnow())))
    return result.rowcount or 0
