"""Fixtures: an app on a real database (SQLite by default, PostgreSQL for tests marked
``postgres``), a client that speaks CSRF, ``login_as(role)``, and a real SMTP server."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import uuid
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from jobday import create_app
from jobday.db import reset_write_intent, set_write_intent
from jobday.extensions import db as _db
from tests import factories

POSTGRES_URL = os.environ.get("JOBDAY_TEST_POSTGRES_URL", "")
REQUIRE_ALL = os.environ.get("JOBDAY_TEST_REQUIRE_ALL") == "1"
SECRET = "test-secret-key-that-is-long-enough-0123456789"


# --- a real SMTP server on loopback -------------------------------------------------

class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


class Mailbox:
    """What the test SMTP server received during one test."""

    def __init__(self, inbox: _Inbox) -> None:
        self._inbox = inbox
        inbox.messages.clear()

    @property
    def messages(self):
        with self._inbox.lock:
            return list(self._inbox.messages)

    def to(self, address: str):
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link(self, address: str, path_prefix: str) -> str:
        """The path of the last link to ``path_prefix`` mailed to ``address``."""
        for message in reversed(self.to(address)):
            found = re.findall(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]*)", self.text(message))
            if found:
                return found[-1]
        raise AssertionError(f"no link to {path_prefix} mailed to {address}")


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    return Mailbox(smtp_server[1])


# --- databases -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory, smtp_server) -> Path:
    """One SQLite file built from the migrations; each test gets a copy."""
    folder = tmp_path_factory.mktemp("template")
    app = create_app(_config(folder, f"sqlite:///{folder / 'template.sqlite'}", smtp_server[0]))
    with app.app_context():
        _upgrade()
        _db.engine.dispose()
    return folder / "template.sqlite"


@pytest.fixture(scope="session")
def postgres_schema(smtp_server):
    """A schema of its own in the PostgreSQL test database, built from the migrations."""
    if not POSTGRES_URL:
        if REQUIRE_ALL:
            pytest.fail("JOBDAY_TEST_POSTGRES_URL is required in CI")
        pytest.skip("JOBDAY_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    schema = f"jobday_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_pg_uri(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        app = create_app(_config(Path("/tmp"), POSTGRES_URL, smtp_server[0], schema=schema))
        with app.app_context():
            _upgrade()
            _db.engine.dispose()
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _pg_uri(url: str) -> str:
    from jobday.config import database_uri

    return database_uri(url, Path("/tmp"))


def _upgrade() -> None:
    from flask_migrate import upgrade

    upgrade()


def _config(folder: Path, database_url: str, smtp, schema: str | None = None) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(folder),
        "OUTBOX_FOLDER": str(folder / "outbox"),
        "MAIL_SERVER": smtp.hostname,
        "MAIL_PORT": smtp.port,
        "SERVER_URL": "http://jobday.test",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    if schema:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema}"},
        }
    return config


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request) -> str:
    """A test that asks for ``backend`` runs once per database: SQLite, then PostgreSQL (marked
    ``postgres``, so it is skipped without ``JOBDAY_TEST_POSTGRES_URL``); ``app`` follows it."""
    return request.param


@pytest.fixture
def app(request, tmp_path, smtp_server):
    if request.node.get_closest_marker("postgres"):
        schema = request.getfixturevalue("postgres_schema")
        app = create_app(_config(tmp_path, POSTGRES_URL, smtp_server[0], schema=schema))
        with app.app_context():
            _truncate_all()
    else:
        template = request.getfixturevalue("sqlite_template")
        shutil.copy(template, tmp_path / "jobday.sqlite")
        app = create_app(_config(tmp_path, f"sqlite:///{tmp_path / 'jobday.sqlite'}", smtp_server[0]))
    # The test's own reads must not hold SQLite's write lock while the code under test
    # opens other connections (requests start their own transactions as in production).
    token = set_write_intent(False)
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()
    reset_write_intent(token)


def _truncate_all() -> None:
    from jobday import change_stamps

    tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
    with _db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))  # no trigger sees it
        change_stamps.restart(conn)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def real_queue_app(request, backend, tmp_path, smtp_server):
    """An app on ``backend`` with a real job queue (``JOB_QUEUE="worker"``, in the instance
    folder) instead of the eager one: its ``config["WORKER_SETTINGS"]`` start a worker process on
    the same database and folder (``tests.jobs.worker_process``). Use it instead of ``app``."""
    if backend == "postgresql":
        settings = _config(tmp_path, POSTGRES_URL, smtp_server[0], schema=request.getfixturevalue("postgres_schema"))
    else:
        shutil.copy(request.getfixturevalue("sqlite_template"), tmp_path / "jobday.sqlite")
        settings = _config(tmp_path, f"sqlite:///{tmp_path / 'jobday.sqlite'}", smtp_server[0])
    settings["JOB_QUEUE"] = "worker"
    app = create_app(settings)
    app.config["WORKER_SETTINGS"] = settings
    app.test_client_class = JobdayClient
    token = set_write_intent(False)
    with app.app_context():
        if backend == "postgresql":
            _truncate_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()
    reset_write_intent(token)


# --- clients -------------------------------------------------------------------------

class JobdayClient(FlaskClient):
    """A test client that behaves like a browser against a separate server process.

    Each request runs in its own application context, so it has its own ``g`` and its own
    database session, as in production; the test's session is committed before and after,
    so the test sees what the request wrote (and the request sees what the test set up).
    It can also fetch a CSRF token the way a browser gets one: from a page.
    """

    def open(self, *args, **kwargs):
        _db.session.commit()
        try:
            with self.application.app_context():
                return super().open(*args, **kwargs)
        finally:
            _db.session.commit()

    def csrf_token(self) -> str:
        page = self.get("/").get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "no CSRF token on the home page"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


@pytest.fixture
def client(app) -> JobdayClient:
    app.test_client_class = JobdayClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(app, client):
    """``login_as("candidate")`` (or a User) logs the client in and returns the user."""

    def _login(who="candidate", **user_fields):
        from jobday.accounts import session_policy
        from jobday.accounts.models import User

        user = who if isinstance(who, User) else factories.make_user(roles=(who,), **user_fields)
        _db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session.update(session_policy.login_stamps(remembered=False))  # a password login, just now
        return user

    return _login


@pytest.fixture
def mail(mailbox):
    """Alias used by feature tests."""
    return mailbox


# --- network ---------------------------------------------------------------------------

class LoopbackListener:
    """A TCP port on loopback that counts connections: code that must not reach the
    network (the PDF renderer given hostile names) must open none."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = LoopbackListener()
    yield server
    server.close()
