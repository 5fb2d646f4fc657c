"""Sections of a recruiter's company page that later features fill in (scheduling sits above
companies, so it registers a provider). A provider returns None when it has nothing to show.

    register_company_section("to_act_on", provider, order=10)
    # provider(participation) -> CompanySection | None   (an approved participation)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CompanySection:
    template: str  # included by templates/companies/home.html
    context: dict[str, Any] = field(default_factory=dict)


_providers: dict[str, tuple[int, Callable]] = {}


def register_company_section(name: str, provider: Callable, *, order: int = 50) -> None:
    _providers[name] = (order, provider)


def company_sections(participation) -> list[CompanySection]:
    if participation is None or not participation.is_approved:
        return []
    found = (provider(participation) for _order, provider in sorted(_providers.values(), key=lambda p: p[0]))
    return [section for section in found if section is not None]
