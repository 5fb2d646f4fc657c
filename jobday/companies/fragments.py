"""Parts of the public lists kept once rendered for the rows they show.

``rendered(template, rows, **context)`` is ``render_template(template, **context)``, kept per
language, address root, template and ``rows``: the rows read for this request (hashable), from
which everything the part shows must come (nothing of the reader, no token). So a kept part is
never another list's, nor older than the rows just read; the list read by every visitor is
written once. ``rows`` None: rendered each time (a part that shows something of the reader).
``kept(key, render)`` is the same for any markup ``render()`` writes from what ``key`` holds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from jobday.forms import csrf_token

_MAX_KEPT = 256  # parts; forgotten all at once beyond (a list changes a few times a day)
_kept: dict[tuple, Markup] = {}


def rendered(template: str, rows: Hashable | None, **context) -> Markup:
    return kept(None if rows is None else (template, rows), lambda: render_template(template, **context))


def kept_macro(template: str, name: str, rows: Hashable, *args) -> Markup:
    """``name(*args)``, a macro of ``template``, kept like ``rendered``: ``rows`` is what its
    markup shows (nothing of the reader, no token)."""
    return kept((template, name, rows), lambda: _macro(template, name)(*args))


def kept(key: Hashable | None, render: Callable[[], str]) -> Markup:
    """``render()``, kept per language and address root under ``key`` (None: not kept)."""
    if key is None or current_app.jinja_env.auto_reload:
        return Markup(render())
    key = (str(get_locale()), request.script_root, key)
    html = _kept.get(key)
    if html is None:
        html = Markup(render())
        if len(_kept) >= _MAX_KEPT:
            _kept.clear()
        _kept[key] = html
    return html


def _macro(template: str, name: str):
    return getattr(current_app.jinja_env.get_template(template).module, name)


TOKEN_HOLE = "keptcsrftokenhole"  # where a kept part's forms have the page's CSRF token


def kept_with_token(key: Hashable, render: Callable[[], str]) -> Markup:
    """``kept(key, render)`` for a part with forms: rendered with ``TOKEN_HOLE`` for the CSRF
    token (``csrf_token=lambda: TOKEN_HOLE`` in its context), which this page's token fills."""
    return Markup(str(kept(key, render)).replace(TOKEN_HOLE, str(escape(csrf_token()))))
