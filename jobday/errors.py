"""Domain errors raised by services, and the HTML/JSON error pages."""

from __future__ import annotations

import logging
import math
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, jsonify, render_template, request
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from jobday.security import is_safe_redirect

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule said no. ``code`` is for machines, ``message`` (translated lazily) for people."""

    code = "domain_error"
    message = _l("This action is not possible.")
    status = 400

    def __init__(self, message=None, *, code: str | None = None, **details):
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        self.details = details
        super().__init__(str(self.message))


class NotFound(DomainError):
    code = "not_found"
    message = _l("Not found.")
    status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    message = _l("You are not allowed to do this.")
    status = 403


ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent.")),
    403: (_l("Forbidden"), _l("You are not allowed to see this page.")),
    404: (_l("Page not found"), _l("This page does not exist or is not yours to see.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request.")),
    413: (_l("File too large"), _l("What you sent is larger than allowed. Go back, choose a smaller file "
                                    "(the limit is written beside the field) and send it again.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Please wait a moment and try again.")),
    500: (_l("Something went wrong"),
          _l("An error occurred on our side. It has been logged; please try again.")),
    503: (_l("Service unavailable"), _l("The service is busy. Please try again in a moment.")),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, *, message=None, code: str | None = None, headers=None, detail=None,
                   extra: dict | None = None):
    """``detail``: a second sentence on the page; ``extra``: more fields in the JSON body."""
    title, default_message = ERROR_TEXTS.get(status, ERROR_TEXTS[500 if status >= 500 else 400])
    message = message or default_message
    if wants_json():
        body = {"error": code or _json_code(status), "message": str(message), **(extra or {})}
        response = jsonify(body)
    else:
        back = page_sent_from() if status in GO_BACK else None
        response = render_template("errors/error.html", code=status, title=title, message=message, detail=detail,
                                   back=back)
    return response, status, headers or {}


GO_BACK = {413}  # the form is still there, on the page it was sent from: back, not home


def page_sent_from() -> str | None:
    """The page of this site the request came from (its Referer), as a local path; else None."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return path if is_safe_redirect(path) else None


def retry_after_seconds(error: HTTPException) -> int:
    """Seconds until the breached rate limit lets this client in again (60 when unknown)."""
    from jobday.extensions import limiter

    breached = limiter.current_limit
    if breached is not None and breached.breached:
        return max(1, math.ceil(breached.reset_at - time.time()))
    given = getattr(error, "retry_after", None)
    return max(1, int(given)) if isinstance(given, int | float) else 60


def rate_limited_response(error: HTTPException, headers: dict):
    """429: when to try again, in the header, in the JSON and on the page (in the user's language)."""
    wait = retry_after_seconds(error)
    headers["Retry-After"] = str(wait)
    when = format_timedelta(timedelta(seconds=wait), add_direction=True)
    return error_response(429, headers=headers, detail=_("You can try again %(when)s.", when=when),
                          extra={"retry_after": wait})


def _json_code(status: int) -> str:
    return {
        400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
        413: "too_large", 429: "rate_limited", 500: "server_error", 503: "unavailable",
    }.get(status, "error")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return error_response(400, code="csrf_failed", message=_l(
            "Your form expired or was sent from elsewhere. Please reload the page and try again."
        ))

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        return error_response(error.status, message=error.message, code=error.code)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        if error.code == 429:
            return rate_limited_response(error, headers)
        return error_response(error.code or 500, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        _roll_back()
        return error_response(500)

    # Flask turns unhandled errors into InternalServerError after the handler above;
    # keep a handler for it too in case one is raised explicitly.
    @app.errorhandler(InternalServerError)
    def _internal(error: InternalServerError):
        _roll_back()
        return error_response(500)


def _roll_back() -> None:
    """The failed request's transaction is over before the page is rendered: on PostgreSQL an
    error inside a transaction aborts it, and the page's own queries (the user, the menu) would
    fail in turn. Nothing of the failed request is kept."""
    from jobday.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection itself is gone: the page renders without it or not at all
        log.warning("Rollback after an error failed", exc_info=True)
