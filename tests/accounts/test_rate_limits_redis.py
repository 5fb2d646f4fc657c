"""With REDIS_URL, failed logins are counted across workers (two apps share one Redis)."""

from __future__ import annotations

import socket
import uuid

import pytest

from jobday import create_app
from tests.conftest import REQUIRE_ALL, JobdayClient, _config

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def two_workers(app, tmp_path, smtp_server):
    if not _redis_available():
        if REQUIRE_ALL:
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"jobday-test-{uuid.uuid4().hex}"
    database = app.config["DATABASE_URL"]
    workers = []
    for _ in range(2):
        config = _config(tmp_path, database, smtp_server[0])
        config.update(REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
        config.pop("RATELIMIT_STORAGE_URI")
        worker = create_app(config)
        worker.test_client_class = JobdayClient
        workers.append(worker)
    return workers


def test_failed_logins_are_limited_across_workers(two_workers, db):
    from tests.factories import make_user

    make_user(email="ann@example.org")
    db.session.commit()
    assert two_workers[0].config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    clients = [worker.test_client() for worker in two_workers]
    for n in range(5):
        client = clients[n % 2]
        with client.application.app_context():
            response = client.post_form("/account/login", {"email": "ann@example.org",
                                                           "password": "wrong password here"})
        assert response.status_code == 401
    with clients[1].application.app_context():
        response = clients[1].post_form("/account/login", {"email": "ann@example.org",
                                                           "password": "correct horse battery staple"})
    assert response.status_code == 429
