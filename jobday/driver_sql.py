"""Statements sent straight to the database driver, inside the request's transaction.

A statement built once still costs, at every ``Session.execute``, a walk of its tree to find its
compiled form in the cache, an ORM execution context and a result: about 50 µs for a one-row
count on SQLite (``Connection.execute``: 23 µs), against 4 µs of the driver's own work. A page
reads five to ten such plain rows. Here a statement (plain columns, no ORM entities) is compiled
once per database dialect; each call sends its SQL and parameters (through the bound types' own
conversions: dates, UTC times, vocabularies, booleans) on the cursor of the connection the
session's transaction holds, and reads the rows back through the columns' types, as named
tuples: about 11 µs. The gate's scans were the first users (the device-and-badge read is a tree
of joins and subqueries: 0.2 ms through ``Connection.execute``).

A driver error is raised as SQLAlchemy raises it (``exc.DBAPIError.instance``, a lost connection
invalidated), so the error pages answer 503 for a database gone away as for any statement.
When statement listeners watch the connection (the statement counts and transaction records of
the tests), the statement runs through ``Connection.execute`` so that they see it.

Not for statements whose SQL depends on their values (an expanding ``IN``, literal binds):
``DriverStatement`` refuses them when it first compiles them.
"""

from __future__ import annotations

from collections import namedtuple
from operator import methodcaller
from typing import Any

from sqlalchemy import Connection

from jobday.db import on_driver_cursor
from jobday.extensions import db


class DriverStatement:
    """``statement`` (a select, a textual select, or an insert with RETURNING given ``keys``:
    the columns every execution sends), compiled once per dialect."""

    def __init__(self, statement, *, keys: tuple[str, ...] | None = None) -> None:
        self.statement = statement
        self.keys = keys
        self._compiled: dict[str, tuple] = {}

    def _for(self, dialect) -> tuple:
        held = self._compiled.get(dialect.name)
        if held is None:
            compiled = self.statement.compile(dialect=dialect, column_keys=list(self.keys) if self.keys else None)
            if compiled.escaped_bind_names or compiled.literal_execute_params or compiled.post_compile_params:
                raise ValueError(f"not a plain statement for the driver: {compiled.string}")
            processors = {}
            for bind, name in compiled.bind_names.items():
                process = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None:
                    processors[name] = process
            columns = list(self.statement.exported_columns.items())
            row = namedtuple("Row", [key for key, _column in columns], rename=True)  # unnamed: by position
            results = tuple((index, process) for index, (_key, column) in enumerate(columns)
                            if (process := column.type.dialect_impl(dialect).result_processor(dialect, None)))
            names = tuple(compiled.positiontup) if compiled.positional else None
            held = self._compiled[dialect.name] = (compiled, compiled.string, names, processors, row, results)
        return held

    def _run(self, connection: Connection, params: dict[str, Any], many: bool):
        compiled, sql, names, processors, row, results = self._for(connection.dialect)
        values = compiled.construct_params(params)
        for name, process in processors.items():
            values[name] = process(values[name])
        args = tuple(values[name] for name in names) if names is not None else values
        found = on_driver_cursor(connection.dialect, connection.connection.driver_connection, sql, args,
                                 methodcaller("fetchall" if many else "fetchone"), connection.invalidate)

        if many:
            return [_made(row, results, values) for values in found]
        return _made(row, results, found) if found is not None else None

    def first(self, connection: Connection, params: dict[str, Any]):
        """The first row (named tuple), or None."""
        if connection.dispatch.before_cursor_execute:
            return connection.execute(self.statement, params).first()
        return self._run(connection, params, many=False)

    def all(self, connection: Connection, params: dict[str, Any]) -> list:
        if connection.dispatch.before_cursor_execute:
            return connection.execute(self.statement, params).all()
        return self._run(connection, params, many=True)

    def scalar(self, connection: Connection, params: dict[str, Any]):
        """The first column of the first row, or None."""
        found = self.first(connection, params)
        return found[0] if found is not None else None

    # On the connection of the request's session (its transaction begun if not yet), after its
    # pending changes are flushed (unless autoflush is off), as ``db.session.execute`` runs them.
    def session_first(self, **params):
        return self.first(_session_connection(), params)

    def session_all(self, **params) -> list:
        return self.all(_session_connection(), params)

    def session_scalar(self, **params):
        return self.scalar(_session_connection(), params)


def _session_connection() -> Connection:
    session = db.session()
    if session.autoflush:
        session.flush()  # nothing to do, and nearly free, when nothing is pending
    return session.connection()


def _made(row: type, results: tuple, values) -> tuple:
    """A driver's row as a named tuple, each column with a conversion (``results``: its index
    and the type's processor) converted: a page's rows number in the tens, each column a call."""
    if not results:
        return row._make(values)
    values = list(values)
    for index, process in results:
        values[index] = process(values[index])
    return row._make(values)
