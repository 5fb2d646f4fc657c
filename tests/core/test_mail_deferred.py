"""Attachments rendered at delivery: queued as a source, rendered once the caller's
transaction has committed, kept for a retry; a source that no longer applies is left out,
a renderer that fails keeps the e-mail pending. Real SMTP, real SQLite and PostgreSQL."""

from __future__ import annotations

import ast
import logging
import sqlite3
from pathlib import Path

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from jobday.db import reset_write_intent, set_write_intent
from jobday.extensions import db as _db
from jobday.mail import sources
from jobday.mail.models import OutboundAttachment, OutboundEmail
from jobday.mail.services import deliver_pending, queue_email
from jobday.mail.sources import (
    AttachmentSource,
    AttachmentUnavailable,
    UnknownAttachmentSource,
    register_attachment_source,
)
from tests.factories import make_user

MAIL_PACKAGE = Path(__file__).resolve().parents[2] / "jobday" / "mail"
FEATURES_ABOVE_MAIL = ("accounts", "candidates", "companies", "editions", "scheduling", "badges", "checkin",
                       "staff", "api", "jobs")


class Renderer:
    """A renderer for the kind "sample": ``sample:<n>`` renders to ``b"rendered <n>"``; it
    records each call and can be told to fail."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.failure: Exception | None = None
        self.during_call = None  # something to run while rendering

    def __call__(self, ident: str) -> bytes:
        self.calls.append(ident)
        if self.during_call:
            self.during_call()
        if self.failure is not None:
            raise self.failure
        return f"rendered {ident}".encode()


@pytest.fixture
def renderer():
    render = Renderer()
    register_attachment_source("sample", render)
    yield render
    sources._renderers.pop("sample", None)


def _queue(user, *attachments):
    return queue_email(to=user.email, subject=_l("Confirm your e-mail address"), template="accounts/confirm_email",
                       locale=user.locale, user=user, token="abc", attachments=list(attachments))


def _attachments(email_id: int) -> list[OutboundAttachment]:
    return list(_db.session.scalars(select(OutboundAttachment).where(OutboundAttachment.email_id == email_id)
                                    .order_by(OutboundAttachment.id)))


def test_a_source_is_rendered_after_the_commit_and_its_bytes_are_kept(backend, db, mailbox, renderer):
    user = make_user()
    db.session.commit()
    email = _queue(user, ("ticket.pdf", "application/pdf", AttachmentSource("sample", 42)),
                   ("plan.txt", "text/plain", b"given now"))
    db.session.flush()
    [deferred, given] = email.attachments
    assert (deferred.content, deferred.source) == (None, "sample:42")  # what the transaction writes
    assert (given.content, given.source) == (b"given now", None)
    assert renderer.calls == []

    db.session.commit()
    assert renderer.calls == ["42"]
    [message] = mailbox.to(user.email)
    parts = {part.get_filename(): part for part in message.iter_attachments()}
    assert parts["ticket.pdf"].get_content_type() == "application/pdf"
    assert parts["ticket.pdf"].get_content() == b"rendered 42"
    assert parts["plan.txt"].get_content() == "given now"
    db.session.expire_all()
    kept = db.session.get(OutboundAttachment, deferred.id)
    assert (kept.content, kept.source) == (b"rendered 42", "sample:42")  # the source says where it came from


def test_a_retry_sends_the_bytes_rendered_the_first_time(app, db, mailbox, renderer):
    user = make_user()
    db.session.commit()
    good_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    _queue(user, ("ticket.pdf", "application/pdf", AttachmentSource("sample", 7)))
    db.session.commit()
    row = db.session.scalar(select(OutboundEmail))
    assert row.sent_at is None and row.last_error and mailbox.messages == []
    assert renderer.calls == ["7"]

    app.config["MAIL_PORT"] = good_port
    renderer.failure = RuntimeError("must not be called again")
    assert deliver_pending() == 1
    assert renderer.calls == ["7"]
    [message] = mailbox.to(user.email)
    [part] = message.iter_attachments()
    assert part.get_content() == b"rendered 7"


def test_a_source_that_no_longer_applies_is_left_out_and_the_e_mail_goes(db, mailbox, renderer, caplog):
    user = make_user()
    db.session.commit()
    renderer.failure = AttachmentUnavailable("revoked since")
    email = _queue(user, ("ticket.pdf", "application/pdf", AttachmentSource("sample", 3)),
                   ("plan.txt", "text/plain", b"still here"))
    with caplog.at_level(logging.WARNING, logger="jobday.mail.services"):
        db.session.commit()
    [message] = mailbox.to(user.email)
    assert [part.get_filename() for part in message.iter_attachments()] == ["plan.txt"]
    assert "ticket.pdf" in caplog.text and "sample:3" in caplog.text and "revoked since" in caplog.text
    db.session.expire_all()
    row = db.session.get(OutboundEmail, email.id)
    assert row.sent_at is not None and row.last_error is None
    assert [a.filename for a in _attachments(email.id)] == ["plan.txt"]  # the outbox keeps what was sent


def test_a_failing_renderer_keeps_the_e_mail_pending_with_its_error(db, mailbox, renderer):
    user, other = make_user(), make_user()
    db.session.commit()
    renderer.failure = RuntimeError("the PDF engine crashed")
    broken = _queue(user, ("ticket.pdf", "application/pdf", AttachmentSource("sample", 5)))
    _queue(other)  # in the same delivery run
    db.session.commit()
    assert mailbox.to(user.email) == []
    assert len(mailbox.to(other.email)) == 1  # one failure does not stop the others
    db.session.expire_all()
    row = db.session.get(OutboundEmail, broken.id)
    assert row.sent_at is None and row.claimed_at is None and row.attempts == 1
    assert "the PDF engine crashed" in row.last_error
    [attachment] = _attachments(broken.id)
    assert (attachment.content, attachment.source) == (None, "sample:5")

    renderer.failure = None  # mended: the next run sends it, with its attachment
    assert deliver_pending() == 1
    [message] = mailbox.to(user.email)
    [part] = message.iter_attachments()
    assert part.get_content() == b"rendered 5"


def test_a_source_without_renderer_is_refused_when_queued(db, mailbox, renderer):
    user = make_user()
    db.session.commit()
    with pytest.raises(UnknownAttachmentSource):
        _queue(user, ("x.pdf", "application/pdf", AttachmentSource("nobody-renders-this", 1)))
    db.session.rollback()
    with pytest.raises(ValueError):
        AttachmentSource("a:b", 1)  # the kind ends at the first colon
    _queue(user, ("x.pdf", "application/pdf", AttachmentSource("sample", "a:b")))  # an ident may hold one
    db.session.commit()
    assert renderer.calls == ["a:b"] and len(mailbox.to(user.email)) == 1


def _attachment_row(db, **columns) -> None:
    user = make_user()
    email = _queue(user)
    db.session.flush()
    db.session.add(OutboundAttachment(email_id=email.id, filename="f", mimetype="text/plain", **columns))
    db.session.flush()


def test_the_database_demands_content_or_source(backend, db, renderer):
    _attachment_row(db, content=b"x")
    _attachment_row(db, source="sample:1")
    with pytest.raises(IntegrityError):
        _attachment_row(db)
    db.session.rollback()


def test_the_worker_holds_no_database_lock_while_rendering(app, db, mailbox, renderer):
    """A SQLite worker starts its transactions with BEGIN IMMEDIATE: a delivery that kept one
    open while rendering would make every registration wait for the PDF."""
    user = make_user()
    db.session.commit()
    good_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # queued now, delivered below by the "worker"
    _queue(user, ("ticket.pdf", "application/pdf", AttachmentSource("sample", 1)))
    renderer.failure = RuntimeError("not yet")
    db.session.commit()
    app.config["MAIL_PORT"] = good_port
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    writes: list[str] = []

    def another_writer() -> None:
        connection = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")  # "database is locked" if the delivery holds it
            connection.execute("ROLLBACK")
            writes.append("ok")
        finally:
            connection.close()

    renderer.failure, renderer.during_call = None, another_writer
    token = set_write_intent(True)  # as in the worker process
    try:
        assert deliver_pending() == 1
    finally:
        reset_write_intent(token)
    assert writes == ["ok"]
    assert len(mailbox.to(user.email)) == 1


def _imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _features_imported(source: str) -> set[str]:
    return {name.split(".")[1] for name in _imported_modules(source)
            if name.startswith("jobday.") and name.split(".")[1] in FEATURES_ABOVE_MAIL}


def test_mail_imports_no_feature_above_it():
    files = sorted(MAIL_PACKAGE.glob("*.py"))
    assert {path.name for path in files} >= {"services.py", "sources.py", "models.py"}
    assert {path.name: _features_imported(path.read_text()) for path in files} == {path.name: set() for path in files}
    # The check sees imports in every form, at the top or inside a function.
    assert _features_imported("from jobday.badges import files") == {"badges"}
    assert _features_imported("def f():\n    import jobday.badges.files\n") == {"badges"}
    assert _features_imported("from jobday import badges") == {"badges"}
    assert _features_imported("from jobday.db import utcnow") == set()
