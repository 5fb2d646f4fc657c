"""Queue e-mails in the caller's transaction; deliver them once it has committed.

``queue_email`` renders the message in the recipient's language and adds an
``OutboundEmail`` row to the current session. When that session commits, the rows it
added are delivered (SMTP, or ``.eml`` files in ``instance/outbox/`` when no SMTP server
is configured). A rolled-back transaction sends nothing. Rows that could not be sent stay
pending and ``deliver_pending()`` (CLI ``flask mail send-pending``, and the worker every
minute) retries them. While the SMTP server is down, requests stop trying it for a minute
after each failure, so an outage costs the web workers one timeout a minute, not one per
e-mail. Attachments queued as an ``AttachmentSource`` are rendered by the delivery, not
by the caller (``jobday.mail.sources``).
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from flask import current_app, has_request_context
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from sqlalchemy import delete, event, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from jobday.db import reset_write_intent, set_write_intent, utcnow
from jobday.extensions import db
from jobday.mail import journal
from jobday.mail.models import OutboundAttachment, OutboundEmail
from jobday.mail.sources import AttachmentSource, AttachmentUnavailable, attachment_renderer, render_source

log = logging.getLogger(__name__)
# (filename, mimetype, content): the bytes, or what to render them from at delivery.
Attachment = tuple[str, str, bytes | AttachmentSource]
PENDING_KEY = "jobday_outbox_ids"
# After the SMTP server failed to answer, requests stop trying it for this long and leave
# their e-mails to the worker (each try could hold a web worker for MAIL_TIMEOUT seconds).
SYNC_PAUSE_AFTER_FAILURE = timedelta(minutes=1)
PAUSED_KEY = "jobday.mail_paused_until"
_DELIVER_HERE: ContextVar[bool] = ContextVar("jobday_deliver_here", default=False)
SERVER_GONE = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, smtplib.SMTPHeloError)


def queue_email(*, to: str, subject, template: str, locale: str | None,
                dedup_key: str | None = None, attachments: list[Attachment] | None = None,
                **context) -> OutboundEmail:
    """Render ``templates/email/<template>.txt`` (and ``.html`` if present) and queue it.

    ``attachments`` are ``(filename, mimetype, content)`` triples, e.g.
    ``("interview.ics", "text/calendar", ics_bytes)``; content that is slow to make (a badge
    PDF) is given as ``AttachmentSource("badge", badge.id)`` and rendered at delivery.
    """
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    # url_for() needs a request; jobs and CLI commands get one for the public address.
    request_context = (nullcontext() if has_request_context()
                       else current_app.test_request_context(base_url=current_app.config["SERVER_URL"]))
    with request_context, force_locale(locale):
        context.setdefault("server_url", current_app.config["SERVER_URL"].rstrip("/"))
        subject_text = str(subject)
        context.update(subject=subject_text, current_locale=locale)
        text = _render(f"email/{template}.txt", context)
        html = _render(f"email/{template}.html", context) if _has_template(f"email/{template}.html") else None
    email = OutboundEmail(recipient=to, subject=subject_text, body_text=text, body_html=html,
                          dedup_key=dedup_key)
    for filename, mimetype, content in attachments or ():
        if isinstance(content, AttachmentSource):
            attachment_renderer(content.kind)  # an unknown kind fails here, in the caller's transaction
            row = OutboundAttachment(filename=filename, mimetype=mimetype, source=str(content))
        else:
            row = OutboundAttachment(filename=filename, mimetype=mimetype, content=content)
        email.attachments.append(row)
    db.session.add(email)
    return email


_MISSING_TEMPLATES: set[str] = set()


def _has_template(name: str) -> bool:
    """Whether the template exists. Most e-mails are text only: looking for their HTML version
    searched the template folders and raised at each e-mail, so a missing one is remembered
    (unless templates reload, as in debug, where one may be added while the app runs)."""
    if name in _MISSING_TEMPLATES:
        return False
    environment = current_app.jinja_env
    try:
        environment.get_template(name)
    except TemplateNotFound:
        if not environment.auto_reload:
            _MISSING_TEMPLATES.add(name)
        return False
    return True


def _render(name: str, context: dict) -> str:
    """An e-mail is not a page: the pages' context (the menu of whoever is logged in, their
    language) has no place in it, and making it cost a query or two for every e-mail."""
    return current_app.jinja_env.get_template(name).render(context)


def message_id(email: OutboundEmail, sender: str) -> str:
    """The same for every attempt at one outbox row: a message sent twice (see ``deliver``)
    is shown once by mail clients."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "jobday"
    return f"<outbox.{email.id}.{int(email.created_at.timestamp())}@{domain}>"


def build_message(email: OutboundEmail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = email.subject
    message["From"] = sender
    message["To"] = email.recipient
    message["Message-ID"] = message_id(email, sender)
    message.set_content(email.body_text)
    if email.body_html:
        message.add_alternative(email.body_html, subtype="html")
    for attachment in email.attachments:
        if attachment.content is None:
            raise ValueError(f"attachment {attachment.source} of e-mail {email.id} is not rendered yet")
        maintype, _slash, subtype = attachment.mimetype.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=attachment.filename)
    return message


def deliver(ids: list[int]) -> int:
    """Send the given outbox rows that are still pending. Returns how many went out.

    Each row is claimed first (one committed UPDATE), so overlapping runs never send one row
    twice. A message the server accepted is written to the journal (``mail.journal``) at
    once, then recorded as sent (on a fresh connection if the first one dies), before the
    goodbye to the server; if the worker dies or the database stays away in between, the
    journal records it later (``journal.settle``): it is not sent again. A row claimed by a
    worker that died before the server accepted it is sent again once the claim times out
    (``MAIL_CLAIM_TIMEOUT``), under the same Message-ID.

    No transaction stays open while attachments render or the SMTP server answers (on
    SQLite, the worker's transactions hold the write lock, which registrations wait for).
    """
    sent = 0
    journal.settle()  # messages accepted before a worker stopped: recorded, never sent again
    # Rows read stay readable after their transaction has ended.
    with Session(db.engine, expire_on_commit=False) as session:
        for email_id in ids:
            # Claimed and read in one transaction (on SQLite, one turn of the write lock).
            email = session.get(OutboundEmail, email_id) if _claim(session, email_id) else None
            session.commit()
            if email is None:
                continue
            try:
                _render_deferred(session, email)
            except Exception as error:  # a renderer's failure: the e-mail waits for the next run
                log.exception("Attachments of e-mail %s could not be rendered", email_id)
                _release(session, email, error)
                continue
            try:
                hang_up = _transport(build_message(email, current_app.config["MAIL_DEFAULT_SENDER"]), email)
            except (OSError, smtplib.SMTPException) as error:
                log.warning("E-mail %s to the outbox could not be sent: %s", email_id, error)
                _release(session, email, error)
                if _server_down(error):  # the rest of the batch waits for the next run
                    current_app.extensions[PAUSED_KEY] = utcnow() + SYNC_PAUSE_AFTER_FAILURE
                    break
                continue
            try:  # the server accepted it: written down before anything else, even the goodbye
                journal.note_accepted(email_id)
                _record_sent(session, email_id)
                journal.forget(email_id)
            finally:
                hang_up()
            current_app.extensions.pop(PAUSED_KEY, None)
            sent += 1
    return sent


def _render_deferred(session: Session, email: OutboundEmail) -> None:
    """Render the attachments queued as a source and keep their bytes, so that a retry sends
    the same file; an attachment whose source no longer applies is dropped (logged)."""
    waiting = [attachment for attachment in email.attachments if attachment.content is None]
    if not waiting:
        return
    for attachment in waiting:
        token = set_write_intent(False)  # renderers read: on SQLite, no write lock meanwhile
        try:
            attachment.content = render_source(attachment.source)
        except AttachmentUnavailable as reason:
            log.warning("E-mail %s goes without its attachment %s (%s): %s",
                        email.id, attachment.filename, attachment.source, reason)
            email.attachments.remove(attachment)  # the outbox keeps what was sent
        finally:
            reset_write_intent(token)
    session.commit()


def _release(session: Session, email: OutboundEmail, error: Exception) -> None:
    """The attempt failed: the row is pending again, with the reason."""
    email.claimed_at = None
    email.last_error = str(error)[:500]
    session.commit()


def _server_down(error: OSError) -> bool:
    """The server is unreachable or gone (a network error, or no SMTP conversation), as
    opposed to one message refused (smtplib's errors are OSErrors too)."""
    return isinstance(error, SERVER_GONE) or not isinstance(error, smtplib.SMTPException)


def synchronous_delivery_paused() -> bool:
    paused_until = current_app.extensions.get(PAUSED_KEY)
    return paused_until is not None and utcnow() < paused_until


def _record_sent(session: Session, email_id: int) -> None:
    mark = update(OutboundEmail).where(OutboundEmail.id == email_id)
    try:
        session.execute(mark.values(sent_at=utcnow(), last_error=None))
        session.commit()
    except DBAPIError:  # the message is out: a second try on a fresh connection spares a resend
        session.rollback()
        log.warning("Recording e-mail %s as sent failed; trying again", email_id)
        session.execute(mark.values(sent_at=utcnow(), last_error=None))
        session.commit()


def deliver_pending(limit: int = 500, *, untried_for: timedelta | None = None) -> int:
    """Send what waits in the outbox. ``untried_for`` (the worker's run every minute): an
    e-mail no one has tried to send yet is left alone until it is that old, since its delivery
    task is on its way; during a rush the sweep would otherwise take hundreds of fresh e-mails
    from their tasks and hold one of the worker's threads for seconds."""
    query = select(OutboundEmail.id).where(OutboundEmail.sent_at.is_(None))
    if untried_for is not None:
        query = query.where(or_(OutboundEmail.attempts > 0, OutboundEmail.created_at < utcnow() - untried_for))
    with Session(db.engine) as session:
        ids = list(session.scalars(query.order_by(OutboundEmail.id).limit(limit)))
    return deliver(ids)


LINK = re.compile(r"https?://[^\s<>\"']+")


def forget_recipient(address: str, name: str = "") -> int:
    """Erasure: the outbox rows addressed to ``address`` (sent or not: a pending reset link
    would still work), and those that name the person to someone else (a company told of a
    booking), with their development ``.eml`` copies, are deleted in the caller's transaction;
    returns how many rows."""
    mentions = [OutboundEmail.recipient == address]
    for needle in filter(None, (address, name.strip())):
        mentions += [column.contains(needle, autoescape=True)
                     for column in (OutboundEmail.subject, OutboundEmail.body_text, OutboundEmail.body_html)]
    ids = list(db.session.scalars(select(OutboundEmail.id).where(or_(*mentions))))
    if not ids:
        return 0
    db.session.execute(delete(OutboundEmail).where(OutboundEmail.id.in_(ids)))
    folder = Path(current_app.config["OUTBOX_FOLDER"])
    for email_id in ids:
        (folder / f"{email_id:06d}.eml").unlink(missing_ok=True)
    return len(ids)


def first_link(text: str) -> str | None:
    """The first web address in a message (the one that asks for action: confirm, reset, join)."""
    match = LINK.search(text or "")
    return match.group(0).rstrip(".,;:)") if match else None


def _claim(session: Session, email_id: int) -> bool:
    now = utcnow()
    result = session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id == email_id, OutboundEmail.sent_at.is_(None),
               or_(OutboundEmail.claimed_at.is_(None),
                   OutboundEmail.claimed_at < now - timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT"])))
        .values(claimed_at=now, attempts=OutboundEmail.attempts + 1)
    )
    return result.rowcount == 1


def _transport(message: EmailMessage, email: OutboundEmail) -> Callable[[], None]:
    """Hands the message over; returns once the server accepted it, with the goodbye to say
    (after the caller has recorded the message)."""
    cfg = current_app.config
    if not cfg["MAIL_SERVER"]:
        folder = Path(cfg["OUTBOX_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{email.id:06d}.eml"
        path.write_bytes(bytes(message))
        link = first_link(email.body_text)
        # Development: whoever runs the server reads the confirmation link on the console.
        log.warning("No SMTP server configured: e-mail %s written to %s%s", email.id, path,
                    f"; its first link: {link}" if link else "")
        return lambda: None
    smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    smtp = smtp_class(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"])
    try:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(message)
    except BaseException:
        _hang_up(smtp)
        raise
    return lambda: _hang_up(smtp)


def _hang_up(smtp: smtplib.SMTP) -> None:
    """Once the server has accepted the message, a failed goodbye must not count as a failure
    (the message would be sent again)."""
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


@event.listens_for(db.session, "after_flush")
def _remember_queued(session, _context):
    new_ids = [obj.id for obj in session.new if isinstance(obj, OutboundEmail)]
    if new_ids:
        session.info.setdefault(PENDING_KEY, []).extend(new_ids)


@contextmanager
def delivered_here() -> Iterator[None]:
    """Inside, the e-mails a commit queued are sent by this thread at once, as without a job
    queue. The worker's steps use it: the e-mail a step writes (a sign-up's confirmation link)
    goes out when the step ends, instead of waiting for its delivery task behind every task
    queued meanwhile (hundreds during a registration rush)."""
    token = _DELIVER_HERE.set(True)
    try:
        yield
    finally:
        _DELIVER_HERE.reset(token)


@event.listens_for(db.session, "after_commit")
def _deliver_committed(session):
    if session.in_nested_transaction():
        return  # a savepoint was released; the real commit comes later
    ids = session.info.pop(PENDING_KEY, None)
    if not ids:
        return
    if synchronous_delivery_paused():
        log.info("SMTP server failed a moment ago: e-mails %s left to the worker", ids)
        return
    try:
        (deliver if _DELIVER_HERE.get() else current_app.extensions["jobday.mail_dispatch"])(ids)
    except Exception:  # the commit stands; the rows stay pending for a retry
        log.exception("Delivery of e-mails %s failed; they stay in the outbox", ids)


@event.listens_for(db.session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(PENDING_KEY, None)


def init_app(app) -> None:
    """The dispatcher runs after commit: synchronous delivery unless a job queue replaces it."""
    app.extensions.setdefault("jobday.mail_dispatch", deliver)
