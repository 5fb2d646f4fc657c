"""Sections of the candidate's home page that later features fill in.

Scheduling (interviews) and badges sit above candidates and may not be imported here, so
they register a provider instead. A provider returns None when it has nothing to show:
the home page shows a section only when there is real data.

    register_home_section("interviews", provider, order=10)
    # provider(user, edition, registration) -> HomeSection | None

The withdrawal page asks the same way what withdrawing ends (``page="withdraw"``): the
interviews it cancels, the waiting lists it leaves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class HomeSection:
    template: str  # included by templates/candidates/home.html
    context: dict[str, Any] = field(default_factory=dict)
    html: Markup | None = None  # the template already rendered (a part kept for what it shows)


_providers: dict[tuple[str, str], tuple[int, Callable]] = {}


def register_home_section(name: str, provider: Callable, *, order: int = 50, page: str = "home") -> None:
    _providers[(page, name)] = (order, provider)


def home_sections(user, edition, registration, *, page: str = "home") -> list[HomeSection]:
    sections = []
    chosen = [entry for (on, _name), entry in _providers.items() if on == page]
    for _order, provider in sorted(chosen, key=lambda item: item[0]):
        section = provider(user, edition, registration)
        if section is not None:
            sections.append(section)
    return sections
