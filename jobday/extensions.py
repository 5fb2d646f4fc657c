"""Extension objects, created unbound; create_app() binds them."""

from __future__ import annotations

from functools import cached_property

from flask import g, has_app_context
from flask_babel import Babel, Domain, get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from jobday.db import Base


class _RequestDomain(Domain):
    """Flask-Babel's message domain, keeping the catalogue it found for the request's language
    on ``g``: a page asks for it at every translated string (hundreds of times), and Flask-Babel
    looks it up afresh each time. A different language within the request (``force_locale``
    for an e-mail, ``refresh()`` after a change) is a new locale object, so it is looked up again."""

    def get_translations(self):
        if not has_app_context():
            return super().get_translations()
        locale = get_locale()
        held = g.get("_jobday_translations")
        if held is not None and held[0] is locale:
            return held[1]
        translations = super().get_translations()
        g._jobday_translations = (locale, translations)
        return translations


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
