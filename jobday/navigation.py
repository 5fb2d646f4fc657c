"""Role navigation: each feature registers its entries (the base template shows them) and the
home page of the role it serves (where a login lands)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, has_request_context, request, url_for
from flask_login import current_user

from jobday.security import Role


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # a lazy translated string
    roles: frozenset[Role]
    order: int = 50


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    active: bool


_entries: list[NavEntry] = []


def register_nav(endpoint: str, label, *roles: Role, order: int = 50) -> None:
    if all(entry.endpoint != endpoint for entry in _entries):
        _entries.append(NavEntry(endpoint, label, frozenset(roles), order))
        _entries.sort(key=lambda e: e.order)


# role -> endpoint of its home page; a person with several roles lands on the first of this order.
HOME_ORDER = (Role.ADMIN, Role.STAFF, Role.RECRUITER, Role.CANDIDATE)
_homes: dict[Role, str] = {}


def register_home(role: Role, endpoint: str) -> None:
    _homes[role] = endpoint


def home_url(user) -> str:
    """Where ``user`` lands after logging in: their role's home, else the public page."""
    held = set(getattr(user, "roles", ()) or ())
    for role in HOME_ORDER:
        if role in held and role in _homes:
            return url_for(_homes[role])
    return url_for("main.index")


def nav_items_for_current_user() -> list[NavItem]:
    if not has_request_context() or not current_user.is_authenticated:  # a job renders no menu
        return []
    current = request.endpoint or ""
    held = current_user.roles
    if Role.ADMIN in held:  # an admin may do everything staff may do (``User.has_role``)
        held.add(Role.STAFF)
    return [
        NavItem(entry.endpoint, str(entry.label), current == entry.endpoint)
        for entry in _entries
        if not held.isdisjoint(entry.roles)
    ]


def init_app(app: Flask) -> None:
    @app.context_processor
    def _navigation():
        return {"nav_items": nav_items_for_current_user()}
