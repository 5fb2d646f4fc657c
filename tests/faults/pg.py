"""Killing PostgreSQL connections from the outside, as a restart or an administrator would."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from tests.conftest import POSTGRES_URL, _pg_uri


@contextmanager
def admin_engine():
    engine = create_engine(_pg_uri(POSTGRES_URL), connect_args={"application_name": "jobday-fault-admin"})
    try:
        yield engine
    finally:
        engine.dispose()


def terminate(admin: Engine, pids) -> int:
    """End these server processes and wait (up to 5 s each) until they are gone."""
    with admin.begin() as conn:
        ended = conn.execute(
            text("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                 "WHERE pid = ANY(:pids)"),
            {"pids": list(pids)},
        ).scalar()
    return ended


def backend_pid(connection) -> int:
    """The server process behind a SQLAlchemy connection."""
    return connection.connection.dbapi_connection.info.backend_pid


def record_backends(engine: Engine) -> list[int]:
    """Empty the pool, then collect the server process of every connection the engine opens."""
    engine.dispose()
    pids: list[int] = []
    event.listen(engine, "connect", lambda dbapi_connection, _record: pids.append(dbapi_connection.info.backend_pid))
    return pids


@contextmanager
def kill_when(engine: Engine, admin: Engine, statement_start: str, *, on_commit: bool = False, skip: int = 0):
    """Kill the connection once, just before it runs a statement starting with ``statement_start``
    (or, with ``on_commit``, just before the commit of the transaction that ran it); ``skip``
    lets that many such statements run first.

    Yields a list that holds the killed process id afterwards."""
    killed: list[int] = []
    seen: list[int] = []
    matches = [0]

    def _kill(conn) -> None:
        pid = backend_pid(conn)
        killed.append(pid)
        assert terminate(admin, [pid]) == 1

    def before_execute(conn, _cursor, statement, _parameters, _context, _executemany):
        if killed or not statement.lstrip().upper().startswith(statement_start.upper()):
            return
        matches[0] += 1
        if matches[0] <= skip:
            return
        if on_commit:
            seen.append(backend_pid(conn))
        else:
            _kill(conn)

    def before_commit(conn):
        if on_commit and not killed and seen and backend_pid(conn) in seen:
            _kill(conn)

    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "commit", before_commit)
    try:
        yield killed
    finally:
        event.remove(engine, "before_cursor_execute", before_execute)
        event.remove(engine, "commit", before_commit)
