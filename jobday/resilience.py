"""When the database goes away in the middle of a request: a 503 the client may retry.

The request's transaction is rolled back (nothing half-written: the booking, the slot's hold
and the queued e-mail were one transaction), and the answer says when to try again:
``503`` with ``Retry-After`` (``DB_RETRY_AFTER`` seconds), a page in the user's language or
``{"error": "unavailable"}`` under ``/api/``. A retry gets a fresh connection: PostgreSQL
connections are checked when taken from the pool (``db.engine_options``).

"Gone away" means a lost or refused connection, the server shutting the session down, a
transaction the server aborted so that it may be retried (deadlock, serialisation, statement
timeout), an exhausted pool, or SQLite's busy timeout running out. Other database errors are
bugs: logged with their traceback, answered 500.
"""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, Response, current_app, jsonify, request
from flask_babel import gettext
from sqlalchemy import exc

from jobday.errors import error_response, wants_json
from jobday.extensions import db

log = logging.getLogger(__name__)

SQLITE_TRANSIENT = ("database is locked", "database is busy", "unable to open database")


def database_unavailable(error: BaseException) -> bool:
    if isinstance(error, exc.TimeoutError):  # no connection free in the pool in time
        return True
    if not isinstance(error, exc.DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, exc.InterfaceError):
        return True
    if not isinstance(error, exc.OperationalError):
        return False
    if isinstance(error.orig, sqlite3.OperationalError):
        return any(text in str(error.orig) for text in SQLITE_TRANSIENT)
    # psycopg's OperationalError family: connection failures, administrator shutdown,
    # deadlock, serialisation failure, query cancelled; all worth one more try.
    return True


def unavailable_response(retry_after: int):
    headers = {"Retry-After": str(retry_after)}
    try:
        return error_response(503, code="unavailable", message=gettext(
            "The service is briefly unavailable. Nothing was saved; please try again in a few seconds."),
            headers=headers)
    except Exception:  # the page itself needs the database (the user, their language): keep it bare
        log.warning("503 page could not be rendered; answering without it", exc_info=True)
        if wants_json():
            return jsonify(error="unavailable", message="Service unavailable"), 503, headers
        return Response("Service unavailable. Please try again in a few seconds.\n", 503, headers,
                        mimetype="text/plain")


def register_database_errors(app: Flask) -> None:
    def _database_error(error: exc.SQLAlchemyError):
        try:
            db.session.rollback()
        except Exception:  # the connection is gone; Flask-SQLAlchemy's teardown discards the session
            log.debug("rollback after a database error failed", exc_info=True)
        if not database_unavailable(error):
            log.error("Database error on %s %s", request.method, request.path, exc_info=error)
            return error_response(500)
        log.warning("Database unavailable on %s %s: %s", request.method, request.path,
                    type(getattr(error, "orig", None) or error).__name__)
        return unavailable_response(int(current_app.config.get("DB_RETRY_AFTER", 5)))

    for error_class in (exc.OperationalError, exc.InterfaceError, exc.TimeoutError):
        app.register_error_handler(error_class, _database_error)
