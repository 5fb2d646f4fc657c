"""What is the same on many badges is laid out once and drawn many times.

A sheet document (``Sheet``) holds the pages of badges, with only each person's own text,
followed by *template pages*: the static design of each kind of badge (band, edition strip,
note), each subtitle shared by several badges (a role, a company with its stand), the cut
marks. WeasyPrint lays out and paints them all in one document (one font subset); then,
before the PDF is written (WeasyPrint's ``finisher``), each template page becomes a PDF form
XObject, is taken out of the page tree and drawn ("stamped") where the ``stamps`` say, and
each badge's QR code is drawn as a small 1-bit image made from the code. Text stays text.

Coordinates are millimetres from the page's top-left corner; stamps are drawn after the page's
own content, in order (the persons' names first, as text extraction reads them).
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from typing import NamedTuple

import pydyf

from jobday.badges.codes import is_well_formed
from jobday.badges.qr import fast_matrix

log = logging.getLogger(__name__)
PT_PER_MM = 72 / 25.4


class FormStamp(NamedTuple):
    form: int  # the index of a template page
    x: float  # where the template page's top-left corner goes
    y: float


class QRStamp(NamedTuple):
    code: str
    x: float  # top-left corner of the image, its quiet zone included
    y: float
    size: float


@dataclass(frozen=True)
class Sheet:
    html: str
    stamps: tuple[tuple[FormStamp | QRStamp, ...], ...]  # for each page of badges
    templates: int  # the last pages of the document


def qr_image(code: str) -> tuple[int, bytes]:
    """The QR code as rows of 1-bit grey pixels (1 = white), one pixel per module."""
    matrix = fast_matrix(code)
    size = len(matrix)
    pad = -size % 8
    data = bytearray()
    for row in matrix:
        bits = 0
        for dark in row:
            bits = bits << 1 | (not dark)
        data += (bits << pad).to_bytes((size + pad) // 8, "big")
    return size, bytes(data)


def _number(reference: bytes | str) -> int:
    return int(reference.split()[0])


class Stamper:
    """WeasyPrint's finisher for one ``Sheet``."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        sheet = self.sheet
        numbers = list(pdf.pages["Kids"][::3])
        if len(numbers) != len(sheet.stamps) + sheet.templates:
            raise RuntimeError(f"the sheet laid out {len(numbers)} pages, expected "
                               f"{len(sheet.stamps)} and {sheet.templates} templates")
        pages = [pdf.objects[number] for number in numbers]
        resources = pdf.objects[_number(pages[0]["Resources"])]
        xobjects = resources["XObject"]
        forms = []
        for n, page in enumerate(pages[len(sheet.stamps):]):
            form = pdf.objects[_number(page["Contents"])]
            form.extra.update({"Type": "/XObject", "Subtype": "/Form", "BBox": page["MediaBox"],
                               "Resources": page["Resources"]})
            xobjects[f"jt{n}"] = form.reference
            forms.append(float(page["MediaBox"][3]))  # its height: the form draws from the top down
            page.clear()  # no longer a page: an empty dictionary, referenced by nothing
        del pdf.pages["Kids"][len(sheet.stamps) * 3:]
        pdf.pages["Count"] = len(sheet.stamps)
        images: dict[str, str] = {}
        for page, stamps in zip(pages[:len(sheet.stamps)], sheet.stamps, strict=True):
            stream = pdf.objects[_number(page["Contents"])]
            for stamp in stamps:  # the page's own state after WeasyPrint: points, y downwards
                x, y = stamp.x * PT_PER_MM, stamp.y * PT_PER_MM
                if isinstance(stamp, FormStamp):
                    stream.push_state()
                    stream.transform(1, 0, 0, -1, x, y + forms[stamp.form])
                    stream.draw_x_object(f"jt{stamp.form}")
                    stream.pop_state()
                    continue
                name = images.get(stamp.code) or self._add_qr(pdf, xobjects, stamp.code, len(images))
                if name is None:
                    continue
                images[stamp.code] = name
                side = stamp.size * PT_PER_MM
                stream.push_state()
                stream.transform(side, 0, 0, -side, x, y + side)
                stream.draw_x_object(name)
                stream.pop_state()

    @staticmethod
    def _add_qr(pdf: pydyf.PDF, xobjects, code: str, n: int) -> str | None:
        if not is_well_formed(code):
            log.warning("badge without a QR code: not a badge code: %r", code[:40])
            return None
        size, pixels = qr_image(code)
        image = pydyf.Stream([zlib.compress(pixels)], pydyf.Dictionary({
            "Type": "/XObject", "Subtype": "/Image", "Width": size, "Height": size,
            "ColorSpace": "/DeviceGray", "BitsPerComponent": 1, "Interpolate": "false",
            "Filter": "/FlateDecode"}))
        pdf.add_object(image)
        name = f"jq{n}"
        xobjects[name] = image.reference
        return name
