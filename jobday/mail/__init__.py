"""The e-mail outbox: e-mails are rows first, delivered after the commit."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from jobday.mail import services

    services.init_app(app)
