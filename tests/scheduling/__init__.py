"""Tests of the fair scheduler; small builders shared by its test modules."""

from __future__ import annotations

from jobday.scheduling.solver import Company, Slot, Table, Wish


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def company(cid: str, *tables: list[str], length: int = 20, limit: int | None = None) -> Company:
    """A company whose tables have slots starting at the given times ("9:00")."""
    return Company(id=cid, max_per_candidate=limit, tables=tuple(
        Table(id=f"{cid}{t}", slots=tuple(
            Slot(id=f"{cid}{t}@{start}", start=hm(start), end=hm(start) + length) for start in starts))
        for t, starts in enumerate(tables, start=1)))


def wishes(*items: tuple) -> tuple[Wish, ...]:
    return tuple(Wish(*item) for item in items)
