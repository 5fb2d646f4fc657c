"""Badge test helpers: people who take part in an edition, and reading PDFs back (pages,
sizes, text, QR codes decoded by an independent decoder from a 150 dpi raster)."""

from __future__ import annotations

import io

import pytest

from jobday.candidates.models import Registration
from jobday.db import utcnow
from jobday.extensions import db as _db
from jobday.security import Role
from tests import factories

MM_PER_PT = 25.4 / 72


def register(user, edition, status: str = "registered"):
    registration = Registration(user_id=user.id, edition_id=edition.id, status=status,
                                registered_at=utcnow() if status == "registered" else None,
                                waitlisted_at=utcnow() if status == "waitlisted" else None)
    _db.session.add(registration)
    _db.session.flush()
    return registration


def candidate(edition, status: str = "registered", **user_fields):
    user = factories.make_user(roles=(Role.CANDIDATE,), **user_fields)
    register(user, edition, status)
    return user


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [(float(page.mediabox.width) * MM_PER_PT, float(page.mediabox.height) * MM_PER_PT)
            for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def decoded_pages(pdf: bytes, dpi: int = 150) -> list[list]:
    """Per page, the QR codes zxing-cpp finds on the page rasterised at ``dpi``."""
    import pypdfium2 as pdfium
    import zxingcpp

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            image = page.render(scale=dpi / 72).to_pil()
            page.close()
            pages.append([result for result in zxingcpp.read_barcodes(image)
                          if result.format == zxingcpp.BarcodeFormat.QRCode])
        return pages
    finally:
        document.close()


def decoded_codes(pdf: bytes) -> list[list[str]]:
    return [[result.text for result in page] for page in decoded_pages(pdf)]


@pytest.fixture
def edition(db):
    return factories.make_edition(year=2031, name="Jobdays 2031")


@pytest.fixture
def organiser(db):
    return factories.make_user(roles=(Role.ADMIN,), first_name="Olga", last_name="Organiser", locale="en")
