"""Jobday: runs a yearly job fair from sign-up to the door."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Assemble the application: paths, configuration, extensions, features, CLI."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    # The instance folder (config.py, the embedded SQLite file, the development outbox) can live
    # elsewhere, e.g. one per machine: JOBDAY_INSTANCE_PATH.
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("JOBDAY_INSTANCE_PATH")
    if instance_path:
        app.instance_path = str(instance_path)

    from jobday import config

    config.load(app, test_config)
    config.ensure_instance_folders(app)
    _configure_operations(app)
    _init_extensions(app)
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

    from jobday import (
        config,
        errors,
        forms,
        i18n,
        kept_fields,
        models,  # noqa: F401  (every model class known to the mappers and to Alembic)
        navigation,
        paging,
        plain_text,
        resilience,
        security,
        template_imports,
    )
    from jobday import db as db_module
    from jobday.extensions import babel, csrf, db, limiter, login_manager, migrate

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
    i18n.init_app(app)
    navigation.init_app(app)
    paging.init_app(app)
    forms.init_app(app)
    template_imports.init_app(app)
    kept_fields.init_app(app)
    errors.register_error_handlers(app)
    plain_text.register(app)
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
    session rules) opens the transaction: a GET must not take SQLite's write lock, nor a view
    marked ``web.reads_first`` before its ``attempt(writing=True)``."""
    from flask import g, request

    from jobday import db as db_module

    @app.before_request
    def _sqlite_write_intent():
        writes = (request.method not in ("GET", "HEAD", "OPTIONS")
                  and not getattr(app.view_functions.get(request.endpoint), "reads_first", False))
        g.write_intent_token = db_module.set_write_intent(writes)

    @app.teardown_request
    def _restore_write_intent(_exc):
        token = g.pop("write_intent_token", None)
        if token is not None:
            db_module.reset_write_intent(token)


def _init_features(app: Flask) -> None:
    """Each feature wires itself in its ``init_app``: blueprints, navigation, periodic jobs,
    job handlers, signal receivers, commands. Lower features first (the outbox and the job
    queue before the features that put work on them)."""
    from jobday import (
        accounts,
        badges,
        candidates,
        checkin,
        companies,
        jobs,
        leads,
        mail,
        main,
        matching,
        scheduling,
        staff,
    )

    for feature in (mail, jobs, main, accounts, candidates, companies, matching, badges, scheduling, leads, staff,
                    checkin):
        feature.init_app(app)
