"""What a CV's PDF may hold, read with a real PDF parser (pypdf).

Checking the first and last bytes let through a file that started with ``%PDF-``, held HTML
and ended with ``%%EOF``, and PDFs that run JavaScript when opened or carry other files. A CV
must open as a PDF with at least one page, and hold no JavaScript, no action that launches a
program, and no embedded file: the whole object graph from the trailer is walked for them
(an action can hide in a page, an annotation or a form field, not only in ``/OpenAction``).
"""

from __future__ import annotations

import io
import logging
from enum import StrEnum

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

log = logging.getLogger(__name__)

MAX_OBJECTS = 200_000  # a CV has a few thousand; beyond this the file is refused, not walked for ever


class Problem(StrEnum):
    NOT_PDF = "not_pdf"
    NO_PAGE = "no_page"
    ENCRYPTED = "encrypted"
    ACTIVE_CONTENT = "active_content"  # JavaScript, a launch action or an embedded file


# Keys and names that mean "runs something" or "carries another file".
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMedia"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"}


def inspect_pdf(data: bytes) -> Problem | None:
    """None when ``data`` is a PDF a CV may be, else what is wrong with it."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return Problem.ENCRYPTED
        if len(reader.pages) < 1:
            return Problem.NO_PAGE
        return Problem.ACTIVE_CONTENT if _has_active_content(reader.trailer) else None
    except RecursionError:
        return Problem.NOT_PDF
    except Exception:  # pypdf raises many kinds on broken files; all mean "not a PDF we can read"
        log.info("CV refused: not readable as a PDF", exc_info=True)
        return Problem.NOT_PDF


def _has_active_content(root) -> bool:
    seen: set[tuple[int, int]] = set()
    stack = [root]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            if any(key in _ACTIVE_KEYS for key in item):
                return True
            action = item.get("/S")
            if isinstance(action, NameObject) and action in _ACTIVE_ACTIONS:
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False
