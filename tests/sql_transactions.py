"""Which statements a request sends, transaction by transaction (SQLite's write lock)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def recorded_transactions(engine) -> Iterator[list[list[str]]]:
    """Yields a list that fills, while the block runs, with one list per transaction: its
    ``BEGIN`` (``BEGIN IMMEDIATE`` when it takes the write lock) and the statements after it."""
    transactions: list[list[str]] = []

    def statement(_conn, _cursor, sql, *_args):
        if sql.startswith("BEGIN"):
            transactions.append([sql])
        elif transactions:
            transactions[-1].append(sql)

    event.listen(engine, "before_cursor_execute", statement)
    try:
        yield transactions
    finally:
        event.remove(engine, "before_cursor_execute", statement)


def locking(transactions: list[list[str]]) -> list[list[str]]:
    """The transactions that took SQLite's write lock."""
    return [statements for statements in transactions if statements[0] == "BEGIN IMMEDIATE"]
