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


def _run_queue(huey) -> None:
    """What the worker process does: every task queued, and those they queue in turn."""
    while huey.pending_count():
        huey.execute(huey.dequeue())


def test_the_request_leaves_the_mail_to_the_worker(worker_app, mailbox):
    user = factories.make_user(email="ana@example.org")
    _db.session.commit()
    huey = worker_app.extensions["jobday.huey"]
    before = huey.pending_count()

    _request_reset(worker_app.test_client(), user.email)

    assert mailbox.to("ana@example.org") == []  # nothing sent during the request
    assert huey.pending_count() == before + 1  # one step: look the address up, write the e-mail
    _run_queue(huey)
    assert len(mailbox.to("ana@example.org")) == 1
    assert "reset" in mailbox.text(mailbox.to("ana@example.org")[0]).lower()


def test_an_unknown_address_queues_the_same_step_and_nothing_is_sent(worker_app, mailbox):
    """The request cannot tell the two apart (issue 16, item 1): the worker finds no account."""
    huey = worker_app.extensions["jobday.huey"]
    before = huey.pending_count()
    _request_reset(worker_app.test_client(), "nobody@example.org")
    assert huey.pending_count() == before + 1
    _run_queue(huey)
    assert mailbox.messages == []


def test_eager_mode_delivers_in_the_request(app, client, db, mailbox):
    user = factories.make_user(email="bo@example.org")
    db.session.commit()
    _request_reset(client, user.email)
    assert len(mailbox.to("bo@example.org")) == 1
