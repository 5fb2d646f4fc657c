"""CV files: content checks, and storage (jobday.storage) under random keys.

The file is stored in the caller's transaction: a failed request never loses the previous CV,
and a committed replacement or deletion never leaves the old one behind.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import lru_cache
from typing import BinaryIO

from flask import current_app
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from jobday import storage
from jobday.candidates import pdf_check
from jobday.candidates.models import CandidateProfile
from jobday.db import utcnow
from jobday.errors import DomainError
from jobday.extensions import db

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


class CvWithoutPage(CvRefused):
    code = "cv_no_page"
    message = _l("This PDF has no page. Save or export your CV as PDF again and try again.")


class CvEncrypted(CvRefused):
    code = "cv_encrypted"
    message = _l("This PDF is protected by a password. Save your CV as a PDF without a password and try again.")


class CvActiveContent(CvRefused):
    code = "cv_active_content"
    message = _l("This PDF contains JavaScript, an action that opens a program, or attached files, which a CV "
                 "may not hold. Print or export your CV again as a plain PDF and try again.")


_PROBLEMS = {pdf_check.Problem.NOT_PDF: CvNotPdf, pdf_check.Problem.NO_PAGE: CvWithoutPage,
             pdf_check.Problem.ENCRYPTED: CvEncrypted, pdf_check.Problem.ACTIVE_CONTENT: CvActiveContent}


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
    problem = pdf_check.inspect_pdf(data)
    if problem is not None:
        raise _PROBLEMS[problem]()


def max_megabytes() -> str:
    """The largest CV allowed, in megabytes in the reader's locale (the profile page's hint)."""
    return _megabytes_in(str(get_locale()), max_bytes())


@lru_cache(maxsize=64)
def _megabytes_in(language: str, size: int) -> str:
    """``_megabytes(size)`` in ``language`` (the request's)."""
    return _megabytes(size)


def _megabytes(size: int) -> str:
    """In the reader's locale: "5", "0,5" in French, "0.5" in English."""
    return format_decimal(size / (1024 * 1024), format="#,##0.#")


def display_name(filename: str | None) -> str:
    """The uploaded name as display text only: last path part, no control characters, and
    ending in ``.pdf`` whatever it ended with (the file is a PDF, and is served as one)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch)[0] != "C").strip(" .")
    stem, dot, _extension = name.rpartition(".")
    stem = (stem if dot else name).strip(" .")[:190]
    return f"{stem}.pdf" if stem else "cv.pdf"


def store_cv(profile: CandidateProfile, data: bytes, original_name: str | None, *,
             now: datetime | None = None) -> None:
    """Check the file, store it and point the profile at it, in the caller's transaction (the old
    file goes with the same commit)."""
    check_pdf(data)
    old = profile.cv_stored_name
    profile.cv_stored_name = storage.put(data, kind="cv", content_type="application/pdf",
                                         key=storage.new_key(".pdf"))
    storage.remove(old)
    profile.cv_original_name = display_name(original_name)
    profile.cv_size = len(data)
    profile.cv_uploaded_at = now or utcnow()
    db.session.flush()


def delete_cv(profile: CandidateProfile) -> None:
    storage.remove(profile.cv_stored_name)
    profile.cv_stored_name = profile.cv_original_name = None
    profile.cv_size = None
    profile.cv_uploaded_at = None
    db.session.flush()


def read_cv(profile: CandidateProfile) -> bytes | None:
    stored = storage.read(profile.cv_stored_name) if profile is not None else None
    return stored.data if stored is not None else None
