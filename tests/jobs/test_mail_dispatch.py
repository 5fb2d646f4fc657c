"""With a real job queue, a request hands its committed e-mails to the worker instead of
talking to the SMTP server itself; in the eager mode (tests, ``JOB_QUEUE=eager``) the
request delivers them after its commit."""

from __future__ import annotations

import shutil

import pytest

from jobday import create_app
from jobday.db import reset_write_intent, set_write_intent
from jobday.extensions import db as _db
from tests import factories
from tests.conftest import JobdayClient, _config


@pytest.fixture
def worker_app(tmp_path, sqlite_template, smtp_server):
    shutil.copy(sqlite_template, tmp_path / "jobday.sqlite")
    config = _config(tmp_path, f"sqlite:///{tmp_path / 'jobday.sqlite'}", smtp_server[0])
    app = create_app({**config, "JOB_QUEUE": "worker"})  # huey on instance/jobs.sqlite
    app.test_client_class = JobdayClient
    token = set_write_intent(False)
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()
    reset_write_intent(token)


def _request_reset(client, email: str):
    response = client.post_form("/account/reset", {"email": email})
    assert response.status_code == 200
    return response


def test_the_request_leaves_the_mail_to_the_worker(worker_app, mailbox):
    user = factories.make_user(email="ana@example.org")
    _db.session.commit()
    huey = worker_app.extensions["jobday.huey"]
    before = huey.pending_count()

    _request_reset(worker_app.test_client(), user.email)

    assert mailbox.to("ana@example.org") == []  # nothing sent during the request
    assert huey.pending_count() == before + 1
    task = huey.dequeue()
    huey.execute(task)  # what the worker process does
    assert len(mailbox.to("ana@example.org")) == 1
    assert "reset" in mailbox.text(mailbox.to("ana@example.org")[0]).lower()


def test_an_unknown_address_queues_nothing(worker_app, mailbox):
    huey = worker_app.extensions["jobday.huey"]
    before = huey.pending_count()
    _request_reset(worker_app.test_client(), "nobody@example.org")
    assert huey.pending_count() == before
    assert mailbox.messages == []


def test_eager_mode_delivers_in_the_request(app, client, db, mailbox):
    user = factories.make_user(email="bo@example.org")
    db.session.commit()
    _request_reset(client, user.email)
    assert len(mailbox.to("bo@example.org")) == 1
