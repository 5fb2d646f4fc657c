"""Logs as JSON lines, one per event, each request's lines tied by a request id.

``LOG_FORMAT``: ``json`` (one object per line on stderr), ``text`` (for people at a
terminal), or empty: JSON unless the app runs in debug. Under gunicorn, ``gunicorn.conf.py``
gives gunicorn's own messages the same formatter, and the app adds no second handler.

Every line has ``time`` (UTC), ``level``, ``logger``, ``message`` and ``pid``; inside a request also
``request_id`` (the caller's ``X-Request-ID`` when well formed, e.g. nginx's ``$request_id``,
otherwise a new one; echoed in the response), ``method`` and ``path``. Each request ends
with one ``jobday.access`` line adding ``status``, ``endpoint`` and ``duration_ms``.

No personal data: the path never carries the query string, and route values that are not
numbers (e-mail tokens, calendar tokens, invitation tokens) are replaced by their name, as in
``/account/reset/<token>``; e-mail addresses are masked in messages and tracebacks; the
database engine hides statement parameters (``db.engine_options``). Client addresses and
user ids are left to the reverse proxy's log.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime

from flask import Flask, g, request
from flask.globals import _cv_app, _cv_request

ACCESS_LOGGER = "jobday.access"
REQUEST_ID_HEADER = "X-Request-ID"
WELL_FORMED_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PUBLIC_STRING_ARGS = frozenset({"filename"})  # static files: their names say nothing about anyone
ROUTE_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")  # <token>, <int:slot_id>
QUIET_ENDPOINTS = frozenset({"main.healthz", "main.livez"})  # probes: logged only when not 200


def scrub(text: str) -> str:
    return EMAIL.sub("<email>", text)


def safe_path() -> str:
    """The request's path without query string, secrets replaced by the route's names."""
    rule, values = request.url_rule, request.view_args or {}
    if rule is None:  # no route matched: keep the first segment only (a mistyped link may hold a token)
        head, _slash, rest = request.path.lstrip("/").partition("/")
        return f"/{head}/…" if rest else f"/{head}"

    def shown(match: re.Match) -> str:
        name = match.group(1)
        value = values.get(name)
        return str(value) if isinstance(value, int) or name in PUBLIC_STRING_ARGS else f"<{name}>"

    return ROUTE_ARGUMENT.sub(shown, rule.rule)


# One encoder for every line (``json.dumps`` with options builds one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


class JsonFormatter(logging.Formatter):
    """One JSON object per record; reads the request context (if any) at format time."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.exc_info:
            line["exception"] = "".join(traceback.format_exception(*record.exc_info))
        context = _cv_request.get(None)
        if context is not None:
            values, raw_path = _cv_app.get().g, context.request.path
            path = values.get("log_path") or safe_path()
            line.update(request_id=values.get("request_id"), method=context.request.method, path=path)
            if path != raw_path:
                for key in ("message", "exception"):  # e.g. "Unhandled error on GET /account/reset/<token>"
                    if key in line:
                        line[key] = line[key].replace(raw_path, path)
        for key in ("message", "exception"):
            if key in line and "@" in line[key]:
                line[key] = scrub(line[key])
        for key in ("status", "endpoint", "duration_ms"):
            if hasattr(record, key):
                line[key] = getattr(record, key)
        return _ENCODER.encode(line)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (it may be replaced after start-up)."""

    jobday_handler = True

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


class _DevServerAccessLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return '] "%s" %s %s' not in str(record.msg)  # werkzeug.serving's request line


def _is_ours(handler: logging.Handler) -> bool:
    return getattr(handler, "jobday_handler", False)


def remove_handlers() -> None:
    """Take away the handlers ``configure`` added (tests that swap the output stream)."""
    for logger in (logging.getLogger(), logging.getLogger("jobday")):
        for handler in [h for h in logger.handlers if _is_ours(h)]:
            logger.removeHandler(handler)


def configure(app: Flask) -> None:
    chosen = (app.config.get("LOG_FORMAT") or "").lower()
    register_request_logging(app)
    if app.testing and not chosen:
        return  # pytest captures the records itself
    remove_handlers()
    level = app.config.get("LOG_LEVEL") or "INFO"
    logging.getLogger("jobday").setLevel(level)
    if (chosen or ("text" if app.debug else "json")) == "text":
        handler = StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger("jobday").addHandler(handler)
        return
    root = logging.getLogger()
    logging.getLogger("jobday").propagate = True
    # The development server's own access lines carry query strings: ours replace them.
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, _DevServerAccessLines) for f in werkzeug.filters):
        werkzeug.addFilter(_DevServerAccessLines())
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return  # gunicorn.conf.py already set up JSON lines for the whole process
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)  # other libraries keep the root's level (warnings and errors only)


def register_request_logging(app: Flask) -> None:
    access = logging.getLogger(ACCESS_LOGGER)

    @app.before_request
    def _start_request():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if WELL_FORMED_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        request_id = g.get("request_id") or uuid.uuid4().hex
        g.request_id = request_id
        response.headers[REQUEST_ID_HEADER] = request_id
        endpoint = request.endpoint or ""
        quiet = endpoint in QUIET_ENDPOINTS and response.status_code == 200
        level = logging.DEBUG if quiet else logging.INFO
        if access.isEnabledFor(level):
            g.log_path = safe_path()
            started = g.get("request_started")
            duration = round((time.perf_counter() - started) * 1000, 1) if started else None
            access.log(level, "%s %s %s", request.method, g.log_path, response.status_code,
                       extra={"status": response.status_code, "endpoint": endpoint, "duration_ms": duration})
        return response
