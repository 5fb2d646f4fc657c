"""Accounts: sign-up, login, sessions and their rules, password reset, account settings."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from jobday.accounts import after_response, session_cookie, session_policy, views
    from jobday.extensions import login_manager
    from jobday.navigation import register_nav
    from jobday.security import Role

    app.session_interface = session_cookie.SessionCookies()
    app.register_blueprint(views.bp)
    login_manager.user_loader(views.load_user)
    session_policy.init_app(app)
    register_nav("accounts.settings", _l("My account"), *Role, order=90)
    after_response.register_steps()
