"""CV files: content checks, storage under UPLOAD_FOLDER/cv/ with random names, and file
changes that follow the database transaction.

A new file is written before the commit and removed if the transaction rolls back; a
replaced or deleted file is removed only after the commit. So a failed request never
loses the previous CV, and a committed one never leaves it behind.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import event

from jobday.candidates.models import CandidateProfile
from jobday.db import utcnow
from jobday.errors import DomainError
from jobday.extensions import db

CV_SUBFOLDER = "cv"
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.pdf$")
DELETE_ON_COMMIT = "jobday_cv_delete_on_commit"
DELETE_ON_ROLLBACK = "jobday_cv_delete_on_rollback"
# A PDF ends with %%EOF, possibly followed by a few line ends or padding.
EOF_WINDOW = 1024


class CvRefused(DomainError):
    code = "cv_refused"


class CvEmpty(CvRefused):
    code = "cv_empty"
    message = _l("The file is empty. Choose your CV as a PDF file.")


class CvTooLarge(CvRefused):
    code = "cv_too_large"


class CvNotPdf(CvRefused):
    code = "cv_not_pdf"
    message = _l("This file is not a PDF document. Save or export your CV as PDF and try again.")


def max_bytes() -> int:
    return int(current_app.config["CV_MAX_BYTES"])


def read_upload(stream: BinaryIO) -> bytes:
    """At most one byte more than allowed: enough to tell that a file is too large."""
    return stream.read(max_bytes() + 1)


def check_pdf(data: bytes) -> None:
    limit = max_bytes()
    if not data:
        raise CvEmpty()
    if len(data) > limit:
        raise CvTooLarge(_l("The file is larger than %(size)s MB. Make your CV smaller and try again.",
                            size=_megabytes(limit)))
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-EOF_WINDOW:]:
        raise CvNotPdf()


def _megabytes(size: int) -> str:
    """In the reader's locale: "5", "0,5" in French, "0.5" in English."""
    return format_decimal(size / (1024 * 1024), format="#,##0.#")


def display_name(filename: str | None) -> str:
    """The uploaded name as display text only: last path part, no control characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        return "cv.pdf"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext[:9]) if dot else name[:200]
    return name


def cv_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / CV_SUBFOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cv_path(stored_name: str) -> Path:
    """The file of a stored name; refuses anything that is not one of our random names."""
    if not STORED_NAME.match(stored_name or ""):
        raise ValueError("not a stored CV name")
    return cv_folder() / stored_name


def store_cv(profile: CandidateProfile, data: bytes, original_name: str | None, *,
             now: datetime | None = None) -> None:
    """Check and write the file, point the profile at it; the old file goes after commit."""
    check_pdf(data)
    stored_name = f"{secrets.token_hex(16)}.pdf"
    path = cv_path(stored_name)
    temporary = path.with_suffix(".part")
    with open(temporary, "xb") as handle:
        handle.write(data)
    os.replace(temporary, path)
    _on_rollback_delete(path)
    if profile.cv_stored_name:
        _on_commit_delete(cv_path(profile.cv_stored_name))
    profile.cv_stored_name = stored_name
    profile.cv_original_name = display_name(original_name)
    profile.cv_size = len(data)
    profile.cv_uploaded_at = now or utcnow()
    db.session.flush()


def delete_cv(profile: CandidateProfile) -> None:
    if profile.cv_stored_name:
        _on_commit_delete(cv_path(profile.cv_stored_name))
    profile.cv_stored_name = profile.cv_original_name = None
    profile.cv_size = None
    profile.cv_uploaded_at = None
    db.session.flush()


def read_cv(profile: CandidateProfile) -> bytes | None:
    if not profile.cv_stored_name:
        return None
    try:
        return cv_path(profile.cv_stored_name).read_bytes()
    except FileNotFoundError:
        return None


def _on_commit_delete(path: Path) -> None:
    db.session.info.setdefault(DELETE_ON_COMMIT, []).append(str(path))


def _on_rollback_delete(path: Path) -> None:
    db.session.info.setdefault(DELETE_ON_ROLLBACK, []).append(str(path))


def _remove(paths: list[str]) -> None:
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


@event.listens_for(db.session, "after_commit")
def _after_commit(session):
    if session.in_nested_transaction():  # a SAVEPOINT was released: the real commit is to come
        return
    session.info.pop(DELETE_ON_ROLLBACK, None)
    _remove(session.info.pop(DELETE_ON_COMMIT, []))


@event.listens_for(db.session, "after_rollback")
def _after_rollback(session):
    if session.in_nested_transaction():
        return
    session.info.pop(DELETE_ON_COMMIT, None)
    _remove(session.info.pop(DELETE_ON_ROLLBACK, []))
