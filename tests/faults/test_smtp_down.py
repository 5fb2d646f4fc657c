"""The SMTP server down, or failing half-way: e-mails wait in the outbox and go once.

- A request whose e-mail cannot leave still succeeds; the row stays pending with the error.
- When the server is back, ``flask mail send-pending`` (or the worker's task each minute)
  sends each pending e-mail once, however many runs overlap (each row is claimed first).
- A message the server accepted is recorded as sent even if the goodbye (QUIT) fails, or if
  the database connection dies while recording it (recorded on a fresh connection).
- If the database stays away, the message is sent again after the claim times out (at least
  once, never lost), with the same Message-ID so mail clients show it once.
"""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from flask_babel import lazy_gettext as _l
from freezegun import freeze_time
from sqlalchemy import select

from jobday.db import utcnow
from jobday.mail.models import OutboundEmail
from jobday.mail.services import deliver, deliver_pending, queue_email
from tests import factories
from tests.faults.pg import admin_engine, kill_when

STRONG = "Quartz-Lantern-Meadow-1987"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _queue(user, **extra):
    return queue_email(to=user.email, subject=_l("Confirm your e-mail address"), template="accounts/confirm_email",
                       locale=user.locale, user=user, token="abc", **extra)


def _rows(db) -> list[OutboundEmail]:
    db.session.commit()  # a fresh snapshot (SQLite keeps the old one for an open read)
    return list(db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))


def test_a_sign_up_while_smtp_is_down_succeeds_and_its_mail_goes_once_when_it_is_back(
        app, db, client, runner, mailbox):
    factories.make_edition(year=2032)
    db.session.commit()
    good_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _closed_port()
    response = client.post_form("/editions/2032/signup", {
        "first_name": "Nora", "last_name": "Peeters", "email": "nora@example.org",
        "password": STRONG, "password_confirm": STRONG}, headers={"Accept-Language": "en"})
    assert response.status_code == 200 and "nora@example.org" in response.get_data(as_text=True)
    [row] = _rows(db)
    assert row.sent_at is None and row.claimed_at is None and row.attempts == 1 and row.last_error
    assert mailbox.messages == []

    assert "0 e-mail envoyé." in runner.invoke(args=["mail", "send-pending"]).output  # still down
    assert _rows(db)[0].attempts == 2

    app.config["MAIL_PORT"] = good_port
    assert "1 e-mail envoyé." in runner.invoke(args=["mail", "send-pending"]).output
    assert "0 e-mail envoyé." in runner.invoke(args=["mail", "send-pending"]).output
    [message] = mailbox.to("nora@example.org")
    assert "/editions/2032/confirm/" in mailbox.text(message)
    [row] = _rows(db)
    assert row.sent_at is not None and row.last_error is None


def test_the_workers_periodic_task_sends_what_waits(app, db, mailbox):
    users = [factories.make_user() for _ in range(3)]
    db.session.commit()
    good_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _closed_port()
    for user in users:
        _queue(user)
    db.session.commit()
    assert mailbox.messages == [] and all(row.sent_at is None for row in _rows(db))
    app.config["MAIL_PORT"] = good_port
    huey = app.extensions["jobday.huey"]
    [task] = [task for task in huey.read_periodic(utcnow().replace(second=0, microsecond=0, tzinfo=None))
              if task.name == "send_pending_mail"]
    huey.execute(task)
    huey.execute(task)  # the next minute: nothing left
    assert sorted(m["To"] for m in mailbox.messages) == sorted(user.email for user in users)
    assert all(row.sent_at is not None for row in _rows(db))


@pytest.mark.postgres
def test_two_send_pending_runs_at_once_send_each_mail_once(app, db, mailbox):
    users = [factories.make_user() for _ in range(40)]
    db.session.commit()
    good_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _closed_port()
    for user in users:
        _queue(user)
    db.session.commit()
    app.config["MAIL_PORT"] = good_port
    assert mailbox.messages == []

    sent, start = [], threading.Barrier(2)

    def run() -> None:
        with app.app_context():
            start.wait()
            sent.append(deliver_pending())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == 40
    assert sorted(m["To"] for m in mailbox.messages) == sorted(user.email for user in users)
    assert all(row.sent_at is not None for row in _rows(db))


# --- a server that accepts the message, then fails the goodbye --------------------------------


class _RudeQuit(SMTP):
    async def smtp_QUIT(self, arg):
        await self.push("421 4.3.0 shutting down")  # not the expected 221
        self.transport.close()


class _RudeController(Controller):
    def factory(self):
        return _RudeQuit(self.handler)


def test_a_message_accepted_before_a_failed_quit_is_not_sent_again(app, db, smtp_server, mailbox):
    inbox = smtp_server[1]
    rude = _RudeController(inbox, hostname="127.0.0.1", port=_closed_port())
    rude.start()
    try:
        app.config["MAIL_PORT"] = rude.port
        user = factories.make_user()
        db.session.commit()
        _queue(user)
        db.session.commit()
        assert len(mailbox.to(user.email)) == 1
        [row] = _rows(db)
        assert row.sent_at is not None and row.last_error is None
        assert deliver_pending() == 0
        assert len(mailbox.to(user.email)) == 1
    finally:
        rude.stop()


# --- the database lost while recording that a message left ----------------------------------


def _queued_while_down(app, db) -> tuple[int, str]:
    user = factories.make_user()
    db.session.commit()
    good_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _closed_port()
    _queue(user)
    db.session.commit()
    app.config["MAIL_PORT"] = good_port
    [row] = _rows(db)
    return row.id, user.email


@pytest.mark.postgres
def test_a_sent_message_is_recorded_on_a_fresh_connection_when_the_first_dies(app, db, mailbox):
    email_id, address = _queued_while_down(app, db)
    with admin_engine() as admin, kill_when(db.engine, admin, "UPDATE outbound_emails SET sent_at") as killed:
        assert deliver([email_id]) == 1
    assert killed
    assert len(mailbox.to(address)) == 1
    [row] = _rows(db)
    assert row.sent_at is not None
    assert deliver_pending() == 0
    with freeze_time(utcnow() + timedelta(seconds=app.config["MAIL_CLAIM_TIMEOUT"], minutes=1)):
        assert deliver_pending() == 0
    assert len(mailbox.to(address)) == 1


@pytest.mark.postgres
def test_with_the_database_gone_a_sent_message_is_recorded_from_the_journal_and_never_sent_again(
        app, db, mailbox):
    """Issue 16, item 8: the server accepted it, then both tries to record it failed. It went
    again after the claim timeout; now the journal written on acceptance records it."""
    email_id, address = _queued_while_down(app, db)
    with admin_engine() as admin:
        with kill_when(db.engine, admin, "UPDATE outbound_emails SET sent_at"), \
                kill_when(db.engine, admin, "UPDATE outbound_emails SET sent_at", skip=1):
            with pytest.raises(Exception, match="terminat|closed|connection"):
                deliver([email_id])
    [_first] = mailbox.to(address)
    [row] = _rows(db)
    assert row.sent_at is None and row.claimed_at is not None  # the database could not be told
    assert deliver_pending() == 0  # the next run reads the journal first: recorded, not sent
    [row] = _rows(db)
    assert row.sent_at is not None
    with freeze_time(utcnow() + timedelta(seconds=app.config["MAIL_CLAIM_TIMEOUT"], minutes=1)):
        assert deliver_pending() == 0
    assert len(mailbox.to(address)) == 1


# --- a server that takes the connection and never answers -------------------------------------


@pytest.fixture
def silent_smtp():
    """A port that accepts connections (the kernel's backlog) but never greets."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def test_a_silent_server_costs_one_timeout_then_requests_leave_mail_to_the_worker(
        app, db, mailbox, silent_smtp):
    users = [factories.make_user() for _ in range(4)]
    db.session.commit()
    good_port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=silent_smtp, MAIL_TIMEOUT=0.5)
    _queue(users[0])
    _queue(users[1])
    db.session.commit()  # one timeout: the second e-mail of the batch is not tried
    first, second = _rows(db)
    assert first.attempts == 1 and "timed out" in first.last_error
    assert second.attempts == 0 and second.sent_at is None

    _queue(users[2])
    db.session.commit()  # within the pause: not tried at all, the request is not held
    assert _rows(db)[2].attempts == 0

    with freeze_time(utcnow() + timedelta(minutes=2)):
        _queue(users[3])
        db.session.commit()  # the pause is over: tried again (and times out again)
        assert _rows(db)[3].attempts == 1

    app.config["MAIL_PORT"] = good_port
    assert deliver_pending() == 4  # the worker's run, when the server is back
    assert sorted(m["To"] for m in mailbox.messages) == sorted(user.email for user in users)
    db.session.commit()
    _queue(users[0])
    db.session.commit()  # a success ends the pause: requests deliver at once again
    assert len(mailbox.to(users[0].email)) == 2


def test_a_refused_recipient_does_not_stop_the_others(app, db, mailbox, smtp_server):
    class RefuseOne:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("refused"):
                return "550 5.1.1 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            return await smtp_server[1].handle_DATA(server, session, envelope)

    picky = Controller(RefuseOne(), hostname="127.0.0.1", port=_closed_port())
    picky.start()
    try:
        app.config["MAIL_PORT"] = picky.port
        refused, accepted = factories.make_user(email="refused@example.org"), factories.make_user()
        db.session.commit()
        _queue(refused)
        _queue(accepted)
        db.session.commit()
        first, second = _rows(db)
        assert first.sent_at is None and "no such user" in first.last_error
        assert second.sent_at is not None
        assert [m["To"] for m in mailbox.messages] == [accepted.email]
        assert not app.extensions.get("jobday.mail_paused_until")
    finally:
        picky.stop()
