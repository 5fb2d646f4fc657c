"""Parts of pages kept once rendered for what they show.

``kept(key, render)``: the markup ``render()`` writes, kept per language and address root under
``key``, which holds everything the part shows (the rows read for this request, nothing of the
reader). So a kept part is never another page's, nor older than the rows just read; a list
every visitor reads is written once. ``key`` None: rendered each time (a sent form, a list
ranked for its reader). Markup holding the reader's CSRF token is never kept; ``kept_with_token``
keeps a part with forms with a hole where each page writes its own token.

``rendered(template, rows, **context)`` and ``kept_macro(template, name, rows, *args)``: a
template, a macro of one, kept so.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

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
        if csrf_token() in html:  # the reader's token (a macro's form reads the real one): not kept
            return html
        if len(_kept) >= _MAX_KEPT:
            _kept.clear()
        _kept[key] = html
    return html


def _macro(template: str, name: str):
    return getattr(current_app.jinja_env.get_template(template).module, name)


TOKEN_HOLE = "keptcsrftokenhole"  # where a kept part's forms have the page's CSRF token


def kept_with_token(key: Hashable, render: Callable[[], str]) -> Markup:
    """``kept(key, render)`` for a part with forms: kept with ``TOKEN_HOLE`` where the reader's
    CSRF token was, which this page's token fills."""
    token = csrf_token()
    html = kept(key, lambda: str(render()).replace(token, TOKEN_HOLE))
    return Markup(str(html).replace(TOKEN_HOLE, token))
