"""Jobday: runs a yearly job fair from sign-up to the door."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Assemble the application: paths, configuration, extensions, blueprints, CLI."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    if test_config and "INSTANCE_PATH" in test_config:
        app.instance_path = str(test_config["INSTANCE_PATH"])

    from jobday import config

    config.load(app, test_config)
    config.ensure_instance_folders(app)
    _configure_operations(app)
    _init_extensions(app)
    _register_blueprints(app)
    _init_features(app)

    from jobday.cli import register_cli

    register_cli(app)
    return app


def _configure_operations(app: Flask) -> None:
    """JSON-lines logs with request ids, and the reverse proxy's headers when one is trusted."""
    from jobday import logs, proxy

    logs.configure(app)
    proxy.trust_proxies(app)


def _init_extensions(app: Flask) -> None:
    from flask_babel import gettext

    from jobday import config, errors, i18n, models, navigation, resilience, security  # noqa: F401
    from jobday import db as db_module
    from jobday.extensions import babel, csrf, db, limiter, login_manager, migrate
    from jobday.jobs import queue
    from jobday.mail import services as mail

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = db_module.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    db.init_app(app)
    _register_write_intent(app)
    if config.is_sqlite(app):
        with app.app_context():
            db_module.configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    limiter.init_app(app)
    mail.init_app(app)
    queue.init_app(app)
    i18n.init_app(app)
    navigation.init_app(app)
    errors.register_error_handlers(app)
    resilience.register_database_errors(app)
    security.register_security_headers(app)
    security.register_url_converters(app)

    @login_manager.unauthorized_handler
    def _unauthorized():
        from flask import flash, redirect, request, url_for

        from jobday.errors import error_response

        if request.path.startswith("/api/"):
            return error_response(401, code="unauthorized", message=gettext("Please log in."))
        flash(gettext("Please log in to see this page."), "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _register_write_intent(app: Flask) -> None:
    """Whether this request's transactions may write (SQLite: ``BEGIN IMMEDIATE``). Registered
    before every other hook, since the first query (loading the user for the locale, the
    session rules) opens the transaction: a GET must not take SQLite's write lock."""
    from flask import g, request

    from jobday import db as db_module

    @app.before_request
    def _sqlite_write_intent():
        g.write_intent_token = db_module.set_write_intent(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.teardown_request
    def _restore_write_intent(_exc):
        token = g.pop("write_intent_token", None)
        if token is not None:
            db_module.reset_write_intent(token)


def _init_features(app: Flask) -> None:
    from jobday import leads

    leads.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from jobday.accounts.views import bp as accounts_bp
    from jobday.badges.views import bp as badges_bp
    from jobday.candidates.views import bp as candidates_bp
    from jobday.checkin.views import bp as checkin_bp
    from jobday.companies.views import bp as companies_bp
    from jobday.jobs.views import bp as jobs_bp
    from jobday.main.views import bp as main_bp
    from jobday.scheduling.views import bp as scheduling_bp
    from jobday.staff.company_views import company_bp as company_exports_bp
    from jobday.staff.views import bp as staff_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(candidates_bp)
    app.register_blueprint(companies_bp)
    app.register_blueprint(badges_bp)
    app.register_blueprint(scheduling_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(company_exports_bp)
    app.register_blueprint(checkin_bp)
