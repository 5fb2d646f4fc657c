"""The door's statements, sent straight to the database driver inside the request's transaction.

A scan's statements are built once, but ``Connection.execute`` still walks each one at every
call to find its compiled form in the cache (the device-and-badge read is a tree of joins and
subqueries), then builds an execution context and a result: about 0.2 ms for the first
statement of a scan against 0.015 ms for the driver's own work (measured on SQLite). Here a
statement is compiled once per database dialect; each call sends its SQL and parameters (through
the bound types' own conversions: dates, UTC times, vocabularies, booleans) on the cursor of the
connection the session's transaction holds (``BEGIN IMMEDIATE`` on SQLite, the commit by
``web.attempt`` as before), and reads the rows back through the columns' types, as named tuples.

A driver error is raised as SQLAlchemy raises it (``exc.DBAPIError.instance``, a lost connection
invalidated), so the error pages answer 503 for a database gone away as for any statement.
When statement listeners watch the connection (the statement counts and transaction records of
the tests), the statement runs through ``Connection.execute`` so that they see it.
"""

from __future__ import annotations

from collections import namedtuple
from operator import methodcaller
from typing import Any

from sqlalchemy import Connection

from jobday.db import on_driver_cursor


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
            row = namedtuple("Row", [key for key, _column in columns])
            results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                            for _key, column in columns)
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

        def made(values):
            return row(*(process(value) if process else value
                         for process, value in zip(results, values, strict=True)))

        if many:
            return [made(values) for values in found]
        return made(found) if found is not None else None

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
