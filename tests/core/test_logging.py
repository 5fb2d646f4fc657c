"""JSON-lines logs: one object per line, a request id per request, and no personal data."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobday import PROJECT_ROOT, create_app, logs
from jobday.db import reset_write_intent, set_write_intent, utcnow
from jobday.extensions import db as _db
from tests import factories
from tests.conftest import SECRET, _config

EMAIL, FIRST, LAST = "Ophelie.Vandamme@example.org", "Ophélie", "Vandamme-Kowalczyk"
PASSWORD = "Quartz-Lantern-Meadow-1987"
EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def jobday_loggers_enabled(sqlite_template):
    """Building the test template ran the migrations in this process, and Alembic's
    ``fileConfig`` disabled every logger that existed then (a production web process never
    migrates itself)."""
    loggers = [logger for name, logger in logging.root.manager.loggerDict.items()
               if name.startswith("jobday") and isinstance(logger, logging.Logger)]
    disabled = {logger: logger.disabled for logger in loggers}
    for logger in loggers:
        logger.disabled = False
    yield
    for logger, was_disabled in disabled.items():
        logger.disabled = was_disabled
    logs.remove_handlers()
    logging.getLogger("jobday").setLevel(logging.NOTSET)


@pytest.fixture
def app(tmp_path, sqlite_template, smtp_server):
    """The app as in production: LOG_FORMAT json, writing to (captured) stderr."""
    shutil.copy(sqlite_template, tmp_path / "jobday.sqlite")
    config = _config(tmp_path, f"sqlite:///{tmp_path / 'jobday.sqlite'}", smtp_server[0])
    app = create_app({**config, "LOG_FORMAT": "json"})
    token = set_write_intent(False)
    try:
        with app.app_context():
            yield app
            _db.session.remove()
            _db.engine.dispose()
    finally:
        reset_write_intent(token)


def _lines(capsys) -> tuple[str, list[dict]]:
    """All of stderr, and its JSON lines. (The console handler Alembic's ``fileConfig`` put on
    the root logger when the test template was migrated writes text lines too; a production
    process has only ours: see test_gunicorn_conf.py.)"""
    output = capsys.readouterr().err
    return output, [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def _access(lines: list[dict], endpoint: str) -> list[dict]:
    return [line for line in lines if line["logger"] == "jobday.access" and line.get("endpoint") == endpoint]


def test_sign_up_login_reset_and_scan_leave_no_personal_data_in_the_logs(app, client, db, mailbox, capsys):
    factories.make_edition(year=2031)
    db.session.commit()
    client.post_form("/editions/2031/signup", {"first_name": FIRST, "last_name": LAST, "email": EMAIL,
                                               "password": PASSWORD, "password_confirm": PASSWORD}, headers=EN)
    confirm_link = mailbox.link(EMAIL.lower(), "/editions/2031/confirm/")
    assert client.get(confirm_link).status_code == 302
    client.post_form("/account/logout")  # confirming logged her in
    failed = client.post_form("/account/login", {"email": EMAIL, "password": "Wrong-Guess-0000"}, headers=EN)
    assert failed.status_code == 401
    assert client.post_form("/account/login", {"email": EMAIL, "password": PASSWORD}).status_code == 302
    client.post_form("/account/logout")
    client.post_form("/account/reset", {"email": EMAIL})
    reset_link = mailbox.link(EMAIL.lower(), "/account/reset/")
    assert client.get(reset_link).status_code == 200

    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    door = factories.make_edition(starts_on=today, registration_opens_at=utcnow() - timedelta(days=30),
                                  registration_closes_at=utcnow() - timedelta(days=2),
                                  booking_opens_at=utcnow() - timedelta(days=20),
                                  booking_closes_at=utcnow() - timedelta(days=1))
    visitor = factories.make_candidate(email="door.visitor@example.org", first_name="Gwendoline",
                                       last_name="Ratajczak")
    badge = factories.make_badge(visitor, door)
    _device, device_token = factories.make_gate_device(door, gate="A")
    db.session.commit()
    scan = client.post("/api/v1/checkin", json={"code": badge.code, "nonce": "log-test-nonce-1"},
                       headers={"Authorization": f"Bearer {device_token}"})
    assert scan.status_code == 200 and scan.get_json()["result"] == "ok"

    output, lines = _lines(capsys)
    # Each action was logged, with its own request id...
    for endpoint in ("candidates.signup", "candidates.confirm_signup", "accounts.login", "accounts.request_reset",
                     "accounts.reset_password", "checkin.checkin"):
        assert _access(lines, endpoint), f"no access line for {endpoint}"
    logins = _access(lines, "accounts.login")
    assert len({line["request_id"] for line in logins}) == len(logins)
    assert {line["status"] for line in logins if line["method"] == "POST"} == {401, 302}
    assert all(line["duration_ms"] >= 0 and line["time"].endswith("+00:00") for line in logins)
    # ...and nothing that identifies a person or opens an account.
    confirm_token = confirm_link.rsplit("/", 1)[1]
    reset_token = reset_link.rsplit("/", 1)[1]
    secrets = [EMAIL, EMAIL.lower(), FIRST, LAST, PASSWORD, "Wrong-Guess-0000", "door.visitor@example.org",
               "Gwendoline", "Ratajczak", badge.code, device_token, confirm_token, reset_token, "log-test-nonce-1"]
    for secret in secrets:
        assert secret not in output, f"{secret!r} found in the logs"
    [reset_page] = [line for line in _access(lines, "accounts.reset_password") if line["method"] == "GET"]
    assert reset_page["path"] == "/account/reset/<token>"
    assert all("?" not in line.get("path", "") for line in lines)


def test_a_well_formed_request_id_is_kept_and_a_bad_one_replaced(app, client, capsys):
    kept = client.get("/livez", headers={"X-Request-ID": "nginx-5f2c9a0e11d4"})
    assert kept.headers["X-Request-ID"] == "nginx-5f2c9a0e11d4"
    for bad in ("short", "has spaces in it", "x" * 65, "line\\nbreak-injected"):
        response = client.get("/livez", headers={"X-Request-ID": bad})
        assert response.headers["X-Request-ID"] != bad
        assert len(response.headers["X-Request-ID"]) == 32
    assert client.get("/livez").headers["X-Request-ID"] != client.get("/livez").headers["X-Request-ID"]


def test_lines_inside_a_request_carry_its_id_and_mask_email_addresses(app, client, capsys):
    @app.get("/test-log-something")
    def _log_something():
        logging.getLogger("jobday.test").warning("could not reach %s", "someone@example.org")
        return "done"

    response = client.get("/test-log-something?email=someone@example.org", headers={"X-Request-ID": "abc-12345678"})
    assert response.status_code == 200
    _output, lines = _lines(capsys)
    [warning] = [line for line in lines if line["logger"] == "jobday.test"]
    assert warning["message"] == "could not reach <email>"
    assert warning["request_id"] == "abc-12345678" and warning["path"] == "/test-log-something"
    assert warning["level"] == "WARNING" and warning["method"] == "GET"


def test_an_unexpected_error_is_logged_with_its_traceback_but_without_the_token(app, client, capsys):
    @app.get("/test-crash/<token>")
    def _crash(token):
        raise RuntimeError("boom")

    assert client.get("/test-crash/very-secret-token-42").status_code == 500
    output, lines = _lines(capsys)
    [error] = [line for line in lines if line["level"] == "ERROR"]
    assert "RuntimeError: boom" in error["exception"]
    assert error["path"] == "/test-crash/<token>"
    assert "very-secret-token-42" not in output


def test_unmatched_paths_keep_only_their_first_segment(app, client, capsys):
    assert client.get("/account/reset-typo/some-token-value").status_code == 404
    output, lines = _lines(capsys)
    [line] = [line for line in lines if line["logger"] == "jobday.access"]
    assert line["path"] == "/account/…" and line["status"] == 404
    assert "some-token-value" not in output


def test_passing_health_probes_are_not_logged_but_failures_are(app, client, capsys):
    client.get("/livez")
    client.get("/healthz")
    app.config["HEALTH_MIN_FREE_DISK_MB"] = 10**12
    client.get("/healthz")
    _output, lines = _lines(capsys)
    probes = [line for line in lines if line["logger"] == "jobday.access"]
    assert [(line["endpoint"], line["status"]) for line in probes] == [("main.healthz", 503)]


def test_text_format_for_people_at_a_terminal(tmp_path, capsys):
    app = create_app({"TESTING": True, "SECRET_KEY": "k" * 40, "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", "LOG_FORMAT": "text"})
    app.test_client().get("/nowhere")
    err = capsys.readouterr().err
    assert "INFO jobday.access: GET /nowhere 404" in err
    assert not err.lstrip().startswith("{")


def test_the_worker_logs_json_lines_too(tmp_path, sqlite_template):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    shutil.copy(sqlite_template, tmp_path / "jobday.sqlite")
    env = {key: value for key, value in os.environ.items() if not key.startswith("JOBDAY_")}
    env.update(PYTHONPATH=str(PROJECT_ROOT), JOBDAY_SECRET_KEY=SECRET, JOBDAY_REDIS_URL=url,
               JOBDAY_DATABASE_URL=f"sqlite:///{tmp_path / 'jobday.sqlite'}",
               JOBDAY_OUTBOX_FOLDER=str(tmp_path / "outbox"))
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen([sys.executable, "-m", "jobday.jobs.worker", "--workers", "1"],
                                  cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while "Executing jobday.jobs.queue.send_pending_mail" not in log_path.read_text():
                assert worker.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)
            redis.Redis.from_url(url).delete("huey.redis.jobday", "huey.schedule.jobday", "huey.results.jobday")
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]  # all JSON
    started = [line for line in lines if line["message"].startswith("Huey consumer started")]
    assert len(started) == 1 and started[0]["logger"] == "huey.consumer"
    assert not [line for line in lines if line["level"] == "ERROR"]


def test_the_development_servers_request_lines_with_query_strings_are_dropped(app, capsys):
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.setLevel(logging.INFO)
    try:
        werkzeug.info('127.0.0.1 - - [21/Nov/2026 17:35:39] "%s" %s %s\n', "GET /?token=abc HTTP/1.1", "200", "-")
        werkzeug.info(" * Running on http://127.0.0.1:5000")
    finally:
        werkzeug.setLevel(logging.NOTSET)
    output, lines = _lines(capsys)
    assert [line["message"] for line in lines if line["logger"] == "werkzeug"] == [
        " * Running on http://127.0.0.1:5000"]
    assert "token=abc" not in output
