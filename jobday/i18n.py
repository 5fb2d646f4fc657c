"""Language choice and localised formatting.

The language is, in order: the logged-in user's saved choice, the session's, the
``lang`` cookie, the browser's ``Accept-Language``, then French.
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import escape

LANG_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and jobs: messages are rendered per recipient
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    candidates = []
    if current_user and current_user.is_authenticated:
        candidates.append(current_user.locale)
    candidates += [session.get("lang"), request.cookies.get(LANG_COOKIE)]
    for choice in candidates:
        if choice in languages:
            return choice
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _escaped_html(self: LazyString) -> str:
    return str(escape(str(self)))


def init_app(app: Flask) -> None:
    from jobday import formats
    from jobday.vocabulary import label

    # Flask-Babel's lazy strings declare themselves safe HTML (``__html__`` returns the raw
    # text), so a label such as "R&D" reached pages unescaped: a lazy string is text, escaped
    # like any other. (Markup is built with ``Markup``, never with a lazy translation.)
    LazyString.__html__ = _escaped_html
    formats.init_app(app)
    app.add_template_filter(label, "label")

    @app.before_request
    def _remember_locale():
        g.locale = str(get_locale())

    @app.context_processor
    def _languages():
        return {
            "current_locale": str(get_locale()),
            "available_locales": list(current_app.config["LANGUAGES"].items()),
        }
