"""The baseline of ``bench_badges``: the same A4 sheets of 8 credit-card badges drawn the way
Indico draws its badges, with ReportLab on a canvas and a ``qrcode`` PNG made for each badge
(automatic mask, as ``qrcode.make`` does), in one process.

The same page geometry as Jobday's (``jobday.badges.layouts``: slots and cut marks), the same
bundled fonts, the same boxes: the role's colour band, the first name (bold, shrunk to fit the
same width), the last name, the company or role with the stand, the code under the QR code, and
the logo with the edition's name and date at the foot. Bench code only: ReportLab is a test
dependency, never used by the application.
"""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from jobday.badges import layouts
from jobday.badges.codes import for_humans
from jobday.badges.faces import BadgeData, EditionData

ROOT = Path(__file__).resolve().parent.parent.parent
FONTS = ROOT / "static" / "fonts"
LOGO = ROOT / "static" / "badges" / "logo.png"
BANDS = {"candidate": "#1b7f4c", "recruiter": "#0b4a80", "staff": "#b3261e", "visitor": "#d97706"}
ROLE_LABELS = {"candidate": "Candidat·e", "recruiter": "Recruteur·euse", "staff": "Équipe Jobday",
               "visitor": "Visiteur·euse"}
NAME_WIDTH = 46.0 * mm


def _fonts() -> None:
    if "BadgeSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BadgeSans", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("BadgeSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))


def _fitted(text: str, font: str, largest: float, smallest: float) -> float:
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > NAME_WIDTH:
        size -= 0.5
    return size


def _qr_png(code: str) -> ImageReader:
    image = qrcode.make(code, box_size=4, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    return ImageReader(out)


def render(people: list[BadgeData], edition: EditionData) -> bytes:
    _fonts()
    layout = layouts.get_layout("a4-8")
    page_h = layout.page_height * mm
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(layout.page_width * mm, page_h))
    logo = ImageReader(str(LOGO))
    edition_line = f"{edition.name} · {edition.starts_on:%d/%m/%Y}"
    for plan in layouts.plan_pages(layout, len(people)):
        for slot in plan.slots:
            person = people[slot.index]
            left, top = slot.x * mm, page_h - slot.y * mm
            pdf.setFillColor(HexColor(BANDS.get(person.role, "#555555")))
            pdf.rect(left, top - 6 * mm, slot.width * mm, 6 * mm, stroke=0, fill=1)
            pdf.setFillColor(HexColor("#111111"))
            size = _fitted(person.first_name, "BadgeSans-Bold", 20, 11)
            pdf.setFont("BadgeSans-Bold", size)
            pdf.drawString(left + 4 * mm, top - 9 * mm - size, person.first_name)
            last = _fitted(person.last_name, "BadgeSans", 16, 9)
            pdf.setFont("BadgeSans", last)
            pdf.drawString(left + 4 * mm, top - 16 * mm - last, person.last_name)
            subtitle = person.company if person.role == "recruiter" and person.company else ROLE_LABELS[person.role]
            pdf.setFont("BadgeSans-Bold", 9)
            pdf.drawString(left + 4 * mm, top - 30 * mm, subtitle)
            if person.stand:
                pdf.drawString(left + 4 * mm, top - 34 * mm, f"Stand {person.stand}")
            pdf.drawImage(_qr_png(person.code), left + (slot.width - 32) * mm, top - 38 * mm, 29 * mm, 29 * mm)
            pdf.setFont("BadgeSans", 6)
            pdf.drawCentredString(left + (slot.width - 17.5) * mm, top - 41 * mm, for_humans(person.code))
            pdf.drawImage(logo, left + 4 * mm, top - 49.5 * mm, 4.5 * mm, 4.5 * mm, mask="auto")
            pdf.setFont("BadgeSans", 6.5)
            pdf.drawString(left + 10 * mm, top - 48.5 * mm, edition_line)
        pdf.setLineWidth(0.2 * mm)
        for mark in plan.marks:
            pdf.line(mark.x1 * mm, page_h - mark.y1 * mm, mark.x2 * mm, page_h - mark.y2 * mm)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def main() -> None:
    """``python -m tests.bench.reportlab_sheet``: one cold run in a fresh process, as Jobday's
    cold runs (``badges_run``) are; prints one JSON line."""
    import json
    import time

    from tests.bench.bench_badges import EDITION, persons

    people = persons()
    cpu, started = time.process_time(), time.perf_counter()
    pdf = render(people, EDITION)
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
                      "bytes": len(pdf)}))


if __name__ == "__main__":
    main()
