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


def test_the_worker_sends_what_its_step_wrote_without_queueing_it_again(worker_app, mailbox):
    """A step's e-mail (a reset link, a sign-up's confirmation) goes out when the step ends:
    its delivery does not wait behind every task queued meanwhile."""
    user = factories.make_user(email="eva@example.org")
    _db.session.commit()
    huey = worker_app.extensions["jobday.huey"]
    before = huey.pending_count()
    _request_reset(worker_app.test_client(), user.email)
    assert huey.pending_count() == before + 1

    huey.execute(huey.dequeue())  # the step alone

    assert len(mailbox.to("eva@example.org")) == 1
    assert huey.pending_count() == before  # no delivery task left behind
    _run_queue(huey)
    assert len(mailbox.to("eva@example.org")) == 1  # and nothing sent twice


def test_a_request_still_hands_its_own_mail_to_the_worker(worker_app, mailbox):
    """Outside a step, committing queues a delivery task (no SMTP conversation in a request)."""
    from flask_babel import lazy_gettext as _l

    from jobday.mail.services import queue_email

    huey = worker_app.extensions["jobday.huey"]
    user = factories.make_user(email="leo@example.org")
    _db.session.commit()
    before = huey.pending_count()
    with worker_app.test_request_context("/"):
        queue_email(to=user.email, subject=_l("Confirm your e-mail address"), template="accounts/confirm_email",
                    locale="fr", user=user, token="abc")
        _db.session.commit()
    assert huey.pending_count() == before + 1
    assert mailbox.to("leo@example.org") == []


def test_a_step_goes_before_the_deliveries_queued_earlier(worker_app, mailbox):
    """On SQLite's queue (it has priorities), a sign-up's or a reset's step, whose e-mail
    someone is waiting for, does not wait behind deliveries (a badge to render) queued before."""
    from flask_babel import lazy_gettext as _l

    from jobday.mail.services import queue_email

    huey = worker_app.extensions["jobday.huey"]
    assert huey.storage.priority
    _run_queue(huey)
    earlier, user = factories.make_user(email="first@example.org"), factories.make_user(email="ida@example.org")
    _db.session.commit()
    with worker_app.test_request_context("/"):
        queue_email(to=earlier.email, subject=_l("Confirm your e-mail address"), template="accounts/confirm_email",
                    locale="fr", user=earlier, token="abc")
        _db.session.commit()  # its delivery task is queued first
    _request_reset(worker_app.test_client(), user.email)

    huey.execute(huey.dequeue())

    assert len(mailbox.to("ida@example.org")) == 1 and mailbox.to("first@example.org") == []
    _run_queue(huey)
    assert len(mailbox.to("first@example.org")) == 1


def test_the_minutely_sweep_leaves_queued_deliveries_to_their_tasks(worker_app, mailbox):
    """While tasks wait in the queue, the worker's run every minute does not take the fresh
    e-mails their tasks will send (during a rush it held a thread for seconds); once the queue
    is empty it takes whatever still waits."""
    from flask_babel import lazy_gettext as _l

    from jobday.db import utcnow
    from jobday.mail.services import queue_email

    huey = worker_app.extensions["jobday.huey"]
    _run_queue(huey)
    user = factories.make_user(email="max@example.org")
    _db.session.commit()
    with worker_app.test_request_context("/"):
        queue_email(to=user.email, subject=_l("Confirm your e-mail address"), template="accounts/confirm_email",
                    locale="fr", user=user, token="abc")
        _db.session.commit()
    [sweep] = [task for task in huey.read_periodic(utcnow().replace(second=0, microsecond=0, tzinfo=None))
               if task.name == "send_pending_mail"]
    queued = huey.pending_count()

    huey.execute(sweep)
    assert mailbox.to("max@example.org") == [] and huey.pending_count() == queued

    huey.storage.flush_queue()  # the delivery task lost: the next sweep sends it
    huey.execute(sweep)
    assert len(mailbox.to("max@example.org")) == 1


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
