"""Lists that grow with the data are shown a page at a time: the page asked for (``?page=2``,
or another parameter when a page has two lists), its rows, and the counts of the whole list.

The pager (``templates/macros/ui.html``, ``pager``) links to the neighbouring pages with the
address's other parameters (filters, sort, the other list's page) kept."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Flask, request, url_for

T = TypeVar("T")

MAX_PAGE = 100_000  # a larger number in the address is no page of ours: the last one is shown


@dataclass
class Page(Generic[T]):
    """One page of a list: ``items`` are rows ``first`` to ``last`` (from 1) of ``total``."""

    items: list[T]
    number: int
    size: int
    total: int
    param: str = "page"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def requested(param: str = "page") -> int:
    """The page number in the address (1 when absent or not a positive number)."""
    number = request.args.get(param, 1, type=int)
    return min(max(1, number or 1), MAX_PAGE)


def clamp(number: int, total: int, size: int) -> int:
    """A number past the last page shows the last page."""
    return min(max(1, number), max(1, -(-total // size)))


def page_of(rows: Sequence[T], number: int, size: int, *, param: str = "page") -> Page[T]:
    """A page of a list already in memory (sorted and filtered)."""
    number = clamp(number, len(rows), size)
    start = (number - 1) * size
    return Page(list(rows[start:start + size]), number, size, len(rows), param)


def page_url(page: Page, number: int, anchor: str | None = None) -> str:
    """This address with ``page.param`` set to ``number`` (left out for the first page), opening
    at ``anchor`` if given."""
    # Names starting with "_" would be url_for's own options (scheme, anchor): not kept.
    args = {name: values for name, values in request.args.to_dict(flat=False).items() if not name.startswith("_")}
    if number > 1:
        args[page.param] = [str(number)]
    else:
        args.pop(page.param, None)
    return url_for(request.endpoint, _anchor=anchor, **{**args, **(request.view_args or {})})


def init_app(app: Flask) -> None:
    app.jinja_env.globals["page_url"] = page_url
