"""/healthz checks the database, the job queue and the free disk space; /livez only the process."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import event

from jobday import create_app
from tests.conftest import SECRET


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when we return: nothing listens there


def _app(tmp_path, **extra):
    return create_app({"TESTING": True, "SECRET_KEY": SECRET, "INSTANCE_PATH": str(tmp_path),
                       "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", **extra})


def test_healthy_app_answers_ok_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "queue": "ok", "disk": "ok"}}


def test_healthz_really_asks_the_database(app, client, db):
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    client.get("/healthz")
    assert "SELECT 1" in statements


def test_unreachable_database_answers_503(tmp_path):
    app = _app(tmp_path, DATABASE_URL="sqlite:////nonexistent-dir/jobday.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error",
                                   "checks": {"database": "unreachable", "queue": "ok", "disk": "ok"}}


def test_real_queue_on_redis_is_checked(tmp_path):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    app = _app(tmp_path, JOB_QUEUE="worker", REDIS_URL="redis://127.0.0.1:6379/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"]["queue"] == "ok"


def test_unreachable_redis_queue_answers_503(tmp_path):
    app = _app(tmp_path, JOB_QUEUE="worker", REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "queue": "unreachable", "disk": "ok"}


def test_sqlite_queue_is_checked(tmp_path):
    app = _app(tmp_path, JOB_QUEUE="worker")
    response = app.test_client().get("/healthz")
    assert response.get_json()["checks"]["queue"] == "ok"
    assert (tmp_path / "jobs.sqlite").exists()  # the real queue file, not the in-memory test queue


def test_low_disk_space_answers_503(tmp_path):
    app = _app(tmp_path, HEALTH_MIN_FREE_DISK_MB=10**12)  # an exabyte: no disk has that much free
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "queue": "ok", "disk": "low"}


def test_livez_needs_nothing_but_the_process(tmp_path):
    app = _app(tmp_path, DATABASE_URL="sqlite:////nonexistent-dir/jobday.sqlite",
               JOB_QUEUE="worker", REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    response = app.test_client().get("/livez")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert app.test_client().get("/healthz").status_code == 503  # the same app is not ready
