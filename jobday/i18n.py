"""Language choice and localised formatting.

The language is, in order: the logged-in user's saved choice, the session's, the
``lang`` cookie, the browser's ``Accept-Language``, then French.
"""

from __future__ import annotations

import flask_babel
import flask_wtf.i18n as flask_wtf_i18n
from babel import support
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape
from wtforms.i18n import messages_path

from jobday.extensions import babel_namespace
from jobday.typography import elide

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
    return str(escape(_lazy_text(self)))


_babel_gettext = flask_babel.gettext


def _lazy_text(self: LazyString) -> str:
    """A lazy translation's text. Most are ``lazy_gettext("...")`` (labels of vocabularies and
    form fields, a hundred on a form page): their text comes straight from the catalogue of the
    moment (``_catalogue``), not through Flask-Babel's four calls per string."""
    if self._func is _babel_gettext and not self._kwargs and len(self._args) == 1:
        return _catalogue()[0].ugettext(self._args[0])
    return str(self._func(*self._args, **self._kwargs))


def init_app(app: Flask) -> None:
    from jobday import formats
    from jobday.vocabulary import label

    # Flask-Babel's lazy strings declare themselves safe HTML (``__html__`` returns the raw
    # text), so a label such as "R&D" reached pages unescaped: a lazy string is text, escaped
    # like any other. (Markup is built with ``Markup``, never with a lazy translation.)
    LazyString.__html__ = _escaped_html
    LazyString.__str__ = _lazy_text
    # Flask-Babel reaches its per-context namespace through the ``g`` proxy three times at each
    # call (every string, date, number); the same namespace, reached directly.
    flask_babel._get_current_context = babel_namespace
    flask_wtf_i18n._get_translations = _wtforms_catalogue
    formats.init_app(app)
    app.add_template_filter(label, "label")
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)

    @app.before_request
    def _remember_locale():
        g.locale = str(get_locale())

    @app.context_processor
    def _languages():
        return {
            "current_locale": str(get_locale()),
            "available_locales": list(current_app.config["LANGUAGES"].items()),
        }


# language -> WTForms' own messages ("Not a valid choice", ...), read from their .mo file.
_wtforms_catalogues: dict[str, support.Translations] = {}


def _wtforms_catalogue():
    """What Flask-WTF gives WTForms to translate its messages: Flask-WTF reads the catalogue
    file again in every request that shows one; the same file, read once per language."""
    if not has_request_context() or "babel" not in current_app.extensions:
        return None
    locale = get_locale()
    name = str(locale)
    catalogue = _wtforms_catalogues.get(name)
    if catalogue is None:
        catalogue = _wtforms_catalogues[name] = support.Translations.load(messages_path(), [locale], domain="wtforms")
    return catalogue


def _catalogue():
    """The translations and the language's name of the moment. Flask-Babel finds them anew for
    every string (the context, the domain, the locale's name: a tenth of the CPU of a page with
    600 strings), so they are kept in its own namespace, beside the locale they belong to: a
    ``force_locale`` block (an e-mail in its recipient's language) or a ``refresh()`` puts
    another locale object there, and the pair is found anew."""
    namespace = babel_namespace()
    locale = getattr(namespace, "babel_locale", None)
    kept = getattr(namespace, "jobday_catalogue", None)
    if locale is not None and kept is not None and kept[0] is locale:
        return kept[1], kept[2]
    translations, name = get_translations(), str(get_locale())
    locale = getattr(namespace, "babel_locale", None)
    if locale is not None:
        namespace.jobday_catalogue = (locale, translations, name)
    return translations, name


# Jinja's "new style" gettext (what Flask-Babel installs), with French elision before values.
# ``_`` is bound to it as well (Jinja's ``_`` looks ``gettext`` up and calls it through the
# context: a second call per string, a third for the catalogue's own ``ugettext``).
@pass_context
def _template_gettext(__context, __string, **variables):
    translations, language = _catalogue()
    text = translations.ugettext(__string)
    if variables:
        text = elide(text, variables, language)
    return _format(__context, text, variables)


@pass_context
def _template_ngettext(__context, __singular, __plural, __num, **variables):
    variables.setdefault("num", __num)
    translations, language = _catalogue()
    text = elide(translations.ungettext(__singular, __plural, __num), variables, language)
    return _format(__context, text, variables)


def _format(context, text: str, variables: dict):
    """``text % variables``, escaping the values when the template escapes; a text without
    ``%`` is itself (no formatter)."""
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if "%" in text else text
