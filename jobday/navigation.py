"""Role navigation: each feature registers its entries (the base template shows them) and the
home page of the role it serves (where a login lands). Also the layout's fixed addresses
(``fixed_url``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from flask import Flask, has_request_context, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from jobday.security import Role


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # a lazy translated string
    roles: frozenset[Role]
    order: int = 50


class NavItem(NamedTuple):  # a tuple: made for every entry of every page
    endpoint: str
    label: str
    active: bool
    url: str


_entries: list[NavEntry] = []


def register_nav(endpoint: str, label, *roles: Role, order: int = 50) -> None:
    if all(entry.endpoint != endpoint for entry in _entries):
        _entries.append(NavEntry(endpoint, label, frozenset(roles), order))
        _entries.sort(key=lambda e: e.order)
        _menus.clear()


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


_KEPT = 512  # entries per cache at most: the script root is the request's

# (language, roles, script root) -> the menu's (endpoint, translated label, address) triples: the
# same for everyone holding these roles; the request adds which entry is the current page.
_menus: dict[tuple[str, frozenset, str], tuple[tuple[str, str, str], ...]] = {}


def nav_items_for_current_user() -> list[NavItem]:
    if not has_request_context() or not current_user.is_authenticated:  # a job renders no menu
        return []
    current = request.endpoint or ""
    held = current_user.roles
    if Role.ADMIN in held:  # an admin may do everything staff may do (``User.has_role``)
        held.add(Role.STAFF)
    key = (str(get_locale()), frozenset(held), request.script_root)
    menu = _menus.get(key)
    if menu is None:
        menu = tuple((entry.endpoint, str(entry.label), url_for(entry.endpoint)) for entry in _entries
                     if not held.isdisjoint(entry.roles))
        if len(_menus) < _KEPT:
            _menus[key] = menu
    return [NavItem(endpoint, label, current == endpoint, url) for endpoint, label, url in menu]


# (script root, endpoint, file name) -> address.
_fixed_urls: dict[tuple[str, str, str | None], str] = {}


def fixed_url(endpoint: str, filename: str | None = None) -> str:
    """``url_for(endpoint)`` (or a static file's ``url_for('static', filename=...)``) for an
    address that takes no other value: the same for every request under the same script root,
    so built once (the layout shows a dozen on every page)."""
    if not has_request_context():  # an e-mail or a job: no script root to key on
        return url_for(endpoint, filename=filename) if filename is not None else url_for(endpoint)
    key = (request.script_root, endpoint, filename)
    url = _fixed_urls.get(key)
    if url is None:
        url = url_for(endpoint, filename=filename) if filename is not None else url_for(endpoint)
        if len(_fixed_urls) < _KEPT:
            _fixed_urls[key] = url
    return url


def init_app(app: Flask) -> None:
    app.jinja_env.globals["fixed_url"] = fixed_url

    @app.context_processor
    def _navigation():
        return {"nav_items": nav_items_for_current_user()}
