"""The home page, the language switch and the health checks."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from jobday.main import views

    app.register_blueprint(views.bp)
