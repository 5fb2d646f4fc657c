"""Extension objects, created unbound; create_app() binds them."""

from __future__ import annotations

from functools import cached_property
from types import SimpleNamespace

from flask import has_app_context
from flask.globals import _cv_app
from flask_babel import Babel, Domain, get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from jobday import rate_memory  # noqa: F401 - registers the limiter's storage jobday-memory://
from jobday.db import Base
from jobday.typography import elide


def babel_namespace() -> SimpleNamespace | None:
    """Flask-Babel's namespace in the current context (``g._flask_babel``: the locale, the
    domain), reached without going through the ``g`` proxy. Flask-Babel asks for it at every
    translated string, date and number, about fifty times a page, through the proxy three
    times each; ``jobday.i18n`` gives it this function instead."""
    context = _cv_app.get(None)
    if context is None:
        return None
    values = context.g.__dict__
    namespace = values.get("_flask_babel")
    if namespace is None:
        namespace = values["_flask_babel"] = SimpleNamespace()
    return namespace


class _RequestDomain(Domain):
    """Flask-Babel's message domain, keeping the catalogue it found for the context's language
    in Flask-Babel's namespace: a page asks for it at every translated string (hundreds of
    times), and Flask-Babel looks it up afresh each time. A different language within the
    request (``force_locale`` for an e-mail, ``refresh()`` after a change) is a new locale
    object, so it is looked up again."""

    def get_translations(self):
        namespace = babel_namespace()
        if namespace is None:
            return super().get_translations()
        locale = getattr(namespace, "babel_locale", None) or get_locale()
        held = getattr(namespace, "jobday_domain_catalogue", None)
        if held is not None and held[0] is locale:
            return held[1]
        translations = super().get_translations()
        namespace.jobday_domain_catalogue = (locale, translations)
        return translations

    # Every translated sentence is formatted here, so that French elides before a value
    # ("Entretiens d'Amélie"); templates use the same through ``jobday.i18n``.
    def gettext(self, string, **variables):
        text = self.get_translations().ugettext(string)
        return format_message(text, variables) if variables else text

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return format_message(self.get_translations().ungettext(singular, plural, num), variables)

    def pgettext(self, context, string, **variables):
        text = self.get_translations().upgettext(context, string)
        return format_message(text, variables) if variables else text

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return format_message(self.get_translations().unpgettext(context, singular, plural, num), variables)


def format_message(text: str, variables: dict) -> str:
    language = str(get_locale() or "") if has_app_context() else ""
    return elide(text, variables, language) % variables


class _Babel(Babel):
    @cached_property
    def domain_instance(self):
        return _RequestDomain(domain=self.domain)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = _Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
