"""The declarative base, naming convention, time helpers and SQLite tuning."""

from __future__ import annotations

import contextvars
import fcntl
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, MetaData, event, exc, literal_column
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from jobday.collation import register_sqlite_collations
from jobday.vocabulary import coerce_on_set

T = TypeVar("T")
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


coerce_on_set(Base)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: SQLite keeps no zone, PostgreSQL keeps it anyway."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def engine_options(uri: str, configured: dict) -> dict:
    """The engine options: the configured ones, completed.

    Statement parameters (e-mails, names) are kept out of error messages and logs. PostgreSQL
    connections are tested when taken from the pool (``pool_pre_ping``), so a connection the
    server or the network closed since the last request (restart, failover, idle timeout,
    ``pg_terminate_backend``, a firewall forgetting an idle connection) is replaced instead of
    failing the next request. It costs one round trip per request (measured 0.06-0.13 ms on
    loopback: 1-2% of a door scan); a cheaper check of the socket alone misses connections
    dropped silently by the network. They carry ``application_name`` for ``pg_stat_activity``.
    Options set in the configuration win.
    """
    options = {"hide_parameters": True, **configured}
    if uri.startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)
        options["connect_args"] = {"application_name": "jobday", **(options.get("connect_args") or {})}
    return options


def on_driver_cursor(dialect, dbapi_connection, sql: str, params, fetch: Callable[[Any], T],
                     invalidate: Callable[[BaseException], None]) -> T:
    """``fetch(cursor)`` after ``sql`` ran on the driver's own cursor (statements that cost more
    in SQLAlchemy's machinery than in the database). A driver error is raised as SQLAlchemy
    raises it (``DBAPIError``, parameters hidden), a lost connection given to ``invalidate``
    (dropped from the pool): the error pages answer 503 for a database gone away, as for any
    other statement."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(sql, params)
        return fetch(cursor)
    except dialect.loaded_dbapi.Error as error:
        gone = dialect.is_disconnect(error, dbapi_connection, cursor)
        if gone:
            invalidate(error)
        raise exc.DBAPIError.instance(sql, params, error, dialect.loaded_dbapi.Error, hide_parameters=True,
                                      connection_invalidated=gone) from error
    finally:
        cursor.close()


def written_in(value: str):
    """A constant of our own vocabularies written into the statement, not bound: SQLite prepares
    a statement again at each run when a bound value decides whether a partial index applies
    (``waitlist_entries`` has two on its status): 10 µs instead of 4 for the smallest question,
    three times the cost for the candidate's to-do union."""
    if not value.replace("_", "").isalnum():
        raise ValueError(f"not a vocabulary code: {value!r}")
    return literal_column(f"'{value}'")


# SQLite transactions: a request that may write starts with BEGIN IMMEDIATE so that its
# check-then-write cannot be interleaved with another writer (SQLite's answer to
# SELECT ... FOR UPDATE); read-only requests use a deferred BEGIN and never block.
_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)


def set_write_intent(value: bool) -> contextvars.Token:
    return _write_intent.set(value)


def reset_write_intent(token: contextvars.Token) -> None:
    _write_intent.reset(token)


ONLY_READ = "jobday_only_read"  # session.info: the transaction ending now only read


def end_reading(session) -> None:
    """Ends the request's first transaction, which only read. What it loaded expires as at any
    commit, except the logged-in user (``accounts.user_row``): read again, it would be read
    inside the write transaction that follows, on SQLite while that holds the write lock."""
    session.info[ONLY_READ] = True
    try:
        session.commit()
    finally:
        session.info.pop(ONLY_READ, None)


@contextmanager
def reading() -> Iterator[None]:
    """Transactions begun inside only read (SQLite: a deferred BEGIN, no write lock), e.g.
    while a password is checked against its slow hash in a request that writes afterwards."""
    token = set_write_intent(False)
    try:
        yield
    finally:
        reset_write_intent(token)


# SQLite's own wait for the write lock (``busy_timeout``) sleeps 1, 2, 5, 10, 15, 20, 25... ms
# between tries: under a rush the lock, held a millisecond or two at a time, stays free while
# the writers who want it sleep. So a writer first takes its turn on a lock file next to the
# database, trying again every millisecond at most, and lets the next one in as soon as its
# transaction ends. After WRITE_TURN_WAIT it goes ahead anyway: SQLite's lock still decides
# (a writer that does not take turns, such as the ``sqlite3`` shell, is only waited for).
WRITE_TURN_WAIT = 10.0  # seconds, as the busy timeout


class TurnTakingConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions take turns on ``turns_file``."""

    turns_fd: int | None = None
    holds_turn = False

    def take_turn(self, turns_file: str) -> None:
        if self.turns_fd is None:
            self.turns_fd = os.open(turns_file, os.O_RDWR | os.O_CREAT, 0o600)
        deadline, pause = time.monotonic() + WRITE_TURN_WAIT, 0.0001
        while True:
            try:
                fcntl.flock(self.turns_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.holds_turn = True
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return
                time.sleep(pause)
                pause = min(pause * 2, 0.001)

    def end_turn(self) -> None:
        if self.holds_turn:
            self.holds_turn = False
            fcntl.flock(self.turns_fd, fcntl.LOCK_UN)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self) -> None:
        self.end_turn()
        if self.turns_fd is not None:
            os.close(self.turns_fd)
            self.turns_fd = None
        super().close()


def configure_sqlite(engine: Engine) -> None:
    database = engine.url.database
    turns_file = f"{database}.writers" if database and database != ":memory:" else None

    @event.listens_for(engine, "do_connect")
    def _turn_taking(_dialect, _record, _cargs, cparams):
        cparams.setdefault("factory", TurnTakingConnection)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
        register_sqlite_collations(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if not _write_intent.get():
            if connection.dispatch.before_cursor_execute:
                connection.exec_driver_sql("BEGIN")
            else:
                # A read's BEGIN takes no lock and cannot fail: straight to the driver, since the
                # statement machinery costs as much as the request's first query (with listeners,
                # e.g. statement counts in tests, it goes the usual way so that they hear of it).
                connection.connection.driver_connection.execute("BEGIN")
            return
        driver = connection.connection.driver_connection
        if turns_file and isinstance(driver, TurnTakingConnection):
            driver.take_turn(turns_file)
        try:
            if connection.dispatch.before_cursor_execute:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                # Straight to the driver too: the statement machinery ran while the writer held its
                # turn (``take_turn``), lengthening every turn. The busy timeout running out is
                # raised as SQLAlchemy raises it, so that the error pages answer 503.
                try:
                    driver.execute("BEGIN IMMEDIATE")
                except sqlite3.Error as error:
                    raise exc.DBAPIError.instance("BEGIN IMMEDIATE", (), error, sqlite3.Error,
                                                  hide_parameters=True) from error
        except BaseException:
            if isinstance(driver, TurnTakingConnection):
                driver.end_turn()
            raise
