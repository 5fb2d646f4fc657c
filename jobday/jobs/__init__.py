"""Background jobs: the queue (huey), job rows with progress, the job pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The queue (before the features that register their jobs on it) and the job pages."""
    from jobday.jobs import queue, views

    queue.init_app(app)
    app.register_blueprint(views.bp)
