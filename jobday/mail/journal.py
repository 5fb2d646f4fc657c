"""The messages the SMTP server accepted, written down before anything else.

Between the server's "250 OK" for a message and the commit that records it as sent, a worker
could die (killed, out of memory, the database gone); the row then looked unsent and went out
again. So, the moment the server accepts a message, its id is written to a file in
``MAIL_JOURNAL_FOLDER`` (one empty file per message, flushed to disk), then the row is
recorded as sent and the file removed. ``settle`` records as sent every message still in the
journal: a worker does it when it starts and before each delivery, so a message whose SMTP
transaction completed is never sent again. What is left is the time between the server's
answer and the file reaching the disk (about a millisecond), and a journal lost with its
machine before a worker there settles it (README, "The job worker").
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm import Session

from jobday.db import utcnow
from jobday.extensions import db
from jobday.mail.models import OutboundEmail

log = logging.getLogger(__name__)


def _folder() -> Path:
    folder = Path(current_app.config.get("MAIL_JOURNAL_FOLDER") or Path(current_app.instance_path) / "mail-accepted")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def note_accepted(email_id: int) -> None:
    folder = _folder()
    descriptor = os.open(folder / str(email_id), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def forget(email_id: int) -> None:
    try:
        (_folder() / str(email_id)).unlink()
    except FileNotFoundError:
        pass


def accepted() -> list[int]:
    return sorted(int(path.name) for path in _folder().iterdir() if path.name.isdigit())


def settle() -> list[int]:
    """Record as sent the messages the server accepted whose recording was lost; returns their ids."""
    ids = accepted()
    if not ids:
        return []
    with Session(db.engine) as session:
        session.execute(update(OutboundEmail).where(OutboundEmail.id.in_(ids), OutboundEmail.sent_at.is_(None))
                        .values(sent_at=utcnow(), last_error=None))
        session.commit()
    for email_id in ids:
        forget(email_id)
    log.warning("E-mails %s were accepted by the SMTP server before their worker stopped; recorded as sent", ids)
    return ids
