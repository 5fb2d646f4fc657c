"""Names in the reader's order, and searches that ignore accents and case (ICU, through PyICU).

* ``sort_key(text)`` and ``sorted_by(items, key)`` order lists loaded in Python with the
  reader's collation: "Aérofret" before "Autolia", "Çelik" among the C, "Ærø" among the A.
* ``collated(column)`` orders a query the same way in the database: PostgreSQL's ICU
  collations (``fr-BE-x-icu``, ``en-GB-x-icu``), and on SQLite collations of the same name
  registered on each connection (``register_sqlite_collations``), backed by ICU.
* ``fold(text)`` is the search form of a text: Latin letters without accents, lower case
  ("Crèvecœur" → "crevecoeur", "Ærø" → "aero", "Ñúñez" → "nunez"). Searchable tables keep
  it in a column (``search_key``) written with the row, and a query is folded the same way,
  so "muller" finds Müller on both databases without an extension.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

import icu
from sqlalchemy import ColumnElement, String, event
from sqlalchemy.orm import QueryableAttribute, mapped_column

T = TypeVar("T")
LOCALES = {"fr": "fr_BE", "en": "en_GB"}
POSTGRES_COLLATIONS = {"fr": "fr-BE-x-icu", "en": "en-GB-x-icu"}
SQLITE_COLLATIONS = {"fr": "jobday_fr", "en": "jobday_en"}
FOLD_RULES = "Any-Latin; Latin-ASCII; Lower"
ASCII_RULES = "Any-Latin; Latin-ASCII"

_local = threading.local()  # ICU collators and transliterators are not shared between threads


def _language(locale: str | None = None) -> str:
    if locale is None:
        from flask import has_app_context
        from flask_babel import get_locale

        locale = str(get_locale() or "fr") if has_app_context() else "fr"
    language = locale.split("_")[0].split("-")[0]
    return language if language in LOCALES else "fr"


def collator(locale: str | None = None) -> icu.Collator:
    language = _language(locale)
    cache = _local.__dict__.setdefault("collators", {})
    if language not in cache:
        cache[language] = icu.Collator.createInstance(icu.Locale(LOCALES[language]))
    return cache[language]


def sort_key(text: str | None, locale: str | None = None) -> bytes:
    return collator(locale).getSortKey(text or "")


def sorted_by(items: Iterable[T], key: Callable[[T], str | None], locale: str | None = None) -> list[T]:
    """``items`` in the reader's order of ``key(item)`` (stable for equal names)."""
    order = collator(locale)
    return sorted(items, key=lambda item: order.getSortKey(key(item) or ""))


def fold(text: str | None) -> str:
    if not text:
        return ""
    if not hasattr(_local, "folder"):
        _local.folder = icu.Transliterator.createInstance(FOLD_RULES)
    return " ".join(_local.folder.transliterate(text).split())


def ascii_text(text: str | None) -> str:
    """``text`` in plain ASCII letters, case kept, for file names: "Crèvecœur" → "Crevecoeur"
    (a plain NFKD decomposition would drop the œ, which has no decomposition)."""
    if not text:
        return ""
    if not hasattr(_local, "ascii"):
        _local.ascii = icu.Transliterator.createInstance(ASCII_RULES)
    return _local.ascii.transliterate(text)


def search_words(text: str | None) -> list[str]:
    """The folded words of a query, each to be found somewhere in what is searched."""
    return fold(text).split()


def searchable(text: str | None) -> str:
    """``fold(text)`` plus the inclusive forms spelled out, so that "technicien" and
    "technicienne" both find "Technicien·ne" ("candidat·es": "candidat", "candidates")."""
    folded = fold(text)
    joined = folded.replace("·", "")
    return folded if joined == folded else f"{folded} {joined}"


def has_words(haystack: str, words: list[str]) -> bool:
    return all(word in haystack for word in words)


def like_folded(text: str) -> str:
    """A LIKE pattern for a folded column: the query folded, its wildcards taken literally."""
    folded = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{folded}%"


def collated(column, locale: str | None = None, dialect: str | None = None) -> ColumnElement:
    """``column`` in the reader's order for ORDER BY."""
    if dialect is None:
        from jobday.extensions import db

        dialect = db.session.get_bind().dialect.name
    language = _language(locale)
    names = POSTGRES_COLLATIONS if dialect == "postgresql" else SQLITE_COLLATIONS
    if not isinstance(column, QueryableAttribute):  # an expression made by the caller: not kept
        return column.collate(names[language])
    # A model's column (a fixed set) is kept collated per name: building the expression cost
    # ~35 µs, and the lists of every page ask for it.
    key = (column, names[language])
    found = _COLLATED.get(key)
    if found is None:
        found = _COLLATED[key] = column.collate(names[language])
    return found


_COLLATED: dict[tuple[QueryableAttribute, str], ColumnElement] = {}


def register_sqlite_collations(connection) -> None:
    """Called for each new SQLite connection (see ``jobday.db``). Each connection gets collators
    of its own (ICU's are not safe to share between threads at once; a connection serves one
    thread at a time): SQLite calls their ``compare`` straight, with no Python frame in between,
    for every comparison of an ORDER BY (a thousand for a list of two hundred)."""
    for language, name in SQLITE_COLLATIONS.items():
        connection.create_collation(name, icu.Collator.createInstance(icu.Locale(LOCALES[language])).compare)


def search_key_column(*fields: str, length: int = 500):
    """A ``search_key`` column holding ``fold`` of ``fields`` joined by spaces, written on every
    insert (ORM or Core, from the inserted values); ``keep_search_key`` keeps it in step on
    ORM updates. Code that updates these fields with a Core UPDATE must set it too."""

    def default(context) -> str:
        values = context.get_current_parameters()
        return folded(*(values.get(name) for name in fields))

    return mapped_column(String(length), default=default)


def folded(*values: str | None) -> str:
    return fold(" ".join(value for value in values if value))


def keep_search_key(model, *fields: str) -> None:
    @event.listens_for(model, "before_update")
    def _refresh(_mapper, _connection, target) -> None:
        target.search_key = folded(*(getattr(target, name) for name in fields))
