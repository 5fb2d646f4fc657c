"""A job worker killed between the SMTP server's acceptance of a message and the commit that
records it (issue 16, item 8): a campaign e-mail went out twice. The server's handler holds
the outbox row (PostgreSQL: a row lock; SQLite: the write lock) as it accepts the message, so
the worker is stuck recording it when it is killed; a new worker is started and the pending
e-mails are delivered again after the claim has timed out. The message went out once and is
recorded as sent (``mail.journal``). On SQLite and PostgreSQL, with real worker processes."""

from __future__ import annotations

import sqlite3
import threading
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from sqlalchemy import select

from jobday.extensions import db
from jobday.mail.models import OutboundEmail
from jobday.mail.services import deliver_pending, queue_email
from tests import factories
from tests.conftest import POSTGRES_URL, _free_port, _pg_uri
from tests.jobs.worker_process import running_worker, wait_for

CLAIM = {"MAIL_CLAIM_TIMEOUT": 1}


class LockingInbox:
    """Takes the database lock when a message's data arrives, then accepts it."""

    def __init__(self, take_lock) -> None:
        self.take_lock = take_lock
        self.messages = []
        self.accepted = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.messages:
            self.take_lock()
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.accepted.set()
        return "250 OK"


class DatabaseLock:
    def __init__(self, backend: str, app, email_id: int) -> None:
        self.backend, self.app, self.email_id = backend, app, email_id
        self.connection = None

    def take(self) -> None:
        if self.backend == "postgresql":
            import psycopg

            schema = self.app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"].split("=", 1)[1]
            self.connection = psycopg.connect(_pg_uri(POSTGRES_URL).replace("postgresql+psycopg://", "postgresql://"),
                                              options=f"-csearch_path={schema}")
            self.connection.execute("SELECT id FROM outbound_emails WHERE id = %s FOR UPDATE", (self.email_id,))
        else:
            self.connection = sqlite3.connect(self.app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"),
                                              isolation_level=None, check_same_thread=False)
            self.connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.connection.rollback()
        self.connection.close()


def _row(email_id: int) -> OutboundEmail:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(OutboundEmail, email_id)


def test_a_message_accepted_before_the_worker_died_is_not_sent_again(backend, real_queue_app, tmp_path):
    user = factories.make_user(email="zoe@example.org")
    queue_email(to=user.email, subject="Campagne", template="accounts/signup_existing", locale="fr", user=user)
    email_id = db.session.scalar(select(OutboundEmail.id))
    lock = DatabaseLock(backend, real_queue_app, email_id)
    inbox = LockingInbox(lock.take)
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        settings = {**real_queue_app.config["WORKER_SETTINGS"], **CLAIM, "MAIL_PORT": smtp.port}
        real_queue_app.config.update(CLAIM, MAIL_PORT=smtp.port)
        db.session.commit()  # hands the e-mail to the queue
        with running_worker(settings, tmp_path / "worker-1.log") as worker:
            wait_for(inbox.accepted.is_set, timeout=60, worker=worker, what="the server to accept the message")
            time.sleep(1.5)  # the worker now waits for the lock to record the message as sent
            worker.kill()
        lock.release()
        assert len(inbox.messages) == 1 and _row(email_id).sent_at is None
        with running_worker(settings, tmp_path / "worker-2.log") as worker:
            wait_for(lambda: _row(email_id).sent_at is not None, timeout=60, worker=worker,
                     what="the message recorded as sent")
            time.sleep(CLAIM["MAIL_CLAIM_TIMEOUT"] + 0.5)
            deliver_pending()  # what the worker does every minute, once the claim has timed out
        assert len(inbox.messages) == 1
        assert _row(email_id).sent_at is not None
    finally:
        smtp.stop()
