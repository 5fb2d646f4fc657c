"""Every page of the access matrix, in French, as each role allowed to see it, on demo-like
data in which every status appears (``every_status``). The visible text (and the text of the
PDFs, CSV and Excel files people download) must hold no raw code of a vocabulary, no English
sentence of the catalogue, no time with seconds, and French punctuation: a non-breaking space
before : ; ! ? (not checked in CSV, whose columns ";" separates).
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.security import matrix_world as mw
from tests.security.access_matrix import ADMIN, ANONYMOUS, CANDIDATE, COMPANY_ADMIN, MATRIX, RECRUITER, STAFF
from tests.security.every_status import add_every_status

WALK_ROLES = (ANONYMOUS, CANDIDATE, RECRUITER, COMPANY_ADMIN, STAFF, ADMIN)
PAGES = [(access, role) for access in MATRIX if access.method == "GET" and not access.api
         for role in WALK_ROLES if role in access.allow]
FRENCH = {"Accept-Language": "fr"}
CATALOGUE = Path(__file__).resolve().parents[2] / "jobday/translations/fr/LC_MESSAGES/messages.po"
SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")
# A colon, semicolon, exclamation or question mark ending a word without the non-breaking space
# French puts before it ("Statut : approuvé"); "10:20" and "https://" are not punctuation.
BAD_PUNCTUATION = re.compile(r"(?:[^\s\u00a0\u202f(]|[ \t])[:;!?](?=\s|$)")
VISIBLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Visible(HTMLParser):
    """The text a person sees or hears: text outside scripts and styles, and the labels
    screen readers read (alt, title, placeholder, aria-label)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    # Only ASCII white space is folded: a no-break space is part of what the page says.
    parts = (re.sub(r"[ \t\r\n\f\v]+", " ", part).strip(" ") for part in parser.parts)
    return "\n".join(part for part in parts if part)


@cache
def _catalogue():
    from babel.messages.pofile import read_po

    with open(CATALOGUE, "rb") as po:
        return [m for m in read_po(po) if m.id]


@cache
def _french_words() -> frozenset[str]:
    words = set()
    for message in _catalogue():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            words.update(re.findall(r"\w+", string or ""))
    return frozenset(words)


@cache
def raw_codes() -> frozenset[str]:
    """Every code of every vocabulary, but those that are also French words ("badge", "scan")."""
    from jobday.vocabulary import REGISTRY

    codes = {code for vocabulary in REGISTRY.values() for code in vocabulary.codes() if len(code) > 1}
    return frozenset(codes - _french_words())


@cache
def english_sentences() -> tuple[str, ...]:
    """Pieces of at least two words of the catalogue's English that its French does not keep."""
    pieces = set()
    for message in _catalogue():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        french = " ".join(message.string if isinstance(message.string, tuple) else (message.string or "",))
        for msgid in ids:
            for piece in re.split(r"%\(\w+\)[sd]|%[sd]|[.:;!?()]", msgid):
                piece = " ".join(piece.split())
                if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2 and piece not in french:
                    pieces.add(piece)
    return tuple(sorted(pieces, key=len, reverse=True))


def problems(text: str, *, punctuation: bool = True) -> list[str]:
    found = []
    codes = raw_codes()
    found += [f"raw code {token!r}" for token in sorted(set(re.findall(r"[a-z][a-z0-9_-]*[a-z0-9]", text)))
              if token in codes and re.search(rf"(?<![\w@./-]){re.escape(token)}(?![\w@/-]|\.\w)", text)]
    found += [f"English {piece!r}" for piece in english_sentences() if re.search(
        rf"(?<!\w){re.escape(piece)}(?!\w)", text)]
    found += [f"time with seconds {match!r}" for match in SECONDS.findall(text)]
    if punctuation:  # (a CSV separates its columns with ";")
        found += [f"punctuation without a non-breaking space: {text[max(0, m.start() - 25):m.end()]!r}"
                  for m in BAD_PUNCTUATION.finditer(text)]
    return found


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active

    def shown(cell) -> str:  # dates as the cell's number format shows them (dd/mm/yyyy hh:mm)
        if isinstance(cell.value, datetime):
            assert cell.number_format == "dd/mm/yyyy hh:mm"
            return f"{cell.value:%d/%m/%Y %H:%M}"
        return str(cell.value)

    return "\n".join(" | ".join(shown(cell) for cell in row if cell.value is not None) for row in sheet.iter_rows())


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def world(request, tmp_path_factory, smtp_server):
    for world in mw.module_world(request, tmp_path_factory, smtp_server, "french"):
        add_every_status(world.ids)
        yield world


@pytest.mark.parametrize(("access", "role"), PAGES, ids=[f"{a.endpoint}-{r}" for a, r in PAGES])
def test_the_page_reads_in_french(world, access, role):
    client = mw.client_for(world, role)
    response = client.get(world.url(access), headers=FRENCH, follow_redirects=True)
    assert response.status_code < 500, f"{access.key} as {role}: {response.status_code}"
    data = response.get_data()
    response.close()  # a streamed download ends its request here
    tables = {"text/csv": lambda: data.decode("utf-8-sig"), XLSX: lambda: xlsx_text(data)}
    if response.mimetype == "text/html":
        found = problems(visible_text(data.decode("utf-8")))
    elif response.mimetype == "application/pdf":
        found = problems(pdf_text(data))
    elif response.mimetype in tables:
        found = problems(tables[response.mimetype](), punctuation=False)
    else:
        pytest.skip(f"{response.mimetype}: not a page")
    assert not found, f"{access.key} as {role}: " + "; ".join(found)


def test_the_walk_covers_every_page_and_sees_what_it_checks(world):
    assert len(PAGES) > 100
    assert problems("Statut\u00a0: pending") == ["raw code 'pending'"]
    assert problems("Statut: approuvé") and problems("Statut : approuvé") and problems("10:20:30")
    assert problems("Vous êtes déconnecté·e. Log out") == ["English 'Log out'"]
    assert problems("Statut\u00a0: approuvé, à 10:20, https://jobday.example\u202f; voilà\u202f!") == []
