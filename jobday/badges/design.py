"""Where the per-person parts of a badge go, in millimetres from the badge's top-left corner.

The static design (the role's colour band, the logo with the edition's line, the candidates'
note) is laid out by ``static/badges/print.css`` once per run and stamped on every badge
(``stamping``); the names, the subtitle, the code and the QR code are placed here, each an
absolutely positioned box, so that a badge costs a few text boxes and no container. The
figures follow the design's boxes in ``print.css`` (band, padding, margins): change both.

Names stack as blocks in normal flow would: each below the previous one, with its top margin;
an empty block takes no room and its margin collapses with the next one (CSS margin
collapsing), as it did when the names were laid out in a container.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobday.badges.textfit import Fit

LINE_HEIGHT = 1.12  # print.css: html { line-height }
MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Design:
    band: float  # the role's colour band at the top
    text_left: float  # the text column: names, subtitle
    text_top: float  # under the band and the padding
    last_gap: float  # margin above the family name
    subtitle_gap: float  # margin above the company or role
    qr: tuple[float, float, float]  # left, top, side of the QR image (its quiet zone included)
    code: tuple[float, float]  # left, top of the code printed for humans (width: print.css)


DESIGNS = {
    # 85.6 × 54 mm: band 6 mm, padding 3 mm 35.6 mm 0 4 mm; QR 29 mm, 3 mm from the right.
    "card": Design(band=6.0, text_left=4.0, text_top=9.0, last_gap=0.5, subtitle_gap=2.0,
                   qr=(53.6, 9.0, 29.0), code=(53.6, 38.6)),
    # 105 × 148 mm: band 16 mm, padding 8 mm; QR 45 mm centred, 62 mm below the band.
    "a6": Design(band=16.0, text_left=8.0, text_top=24.0, last_gap=1.0, subtitle_gap=3.0,
                 qr=(30.0, 78.0, 45.0), code=(0.0, 124.5)),
}


def block_height(fit: Fit) -> float:
    return len(fit.lines) * fit.size_pt * LINE_HEIGHT * MM_PER_PT


@dataclass(frozen=True)
class TextTops:
    first: float
    last: float
    subtitle: float


def text_tops(design: Design, first: Fit, last: Fit) -> TextTops:
    """The tops of the first name, the family name and the subtitle, stacked."""
    tops = []
    y, margin = design.text_top, 0.0
    for gap, fit in ((0.0, first), (design.last_gap, last), (design.subtitle_gap, None)):
        margin = max(margin, gap)
        tops.append(round(y + margin, 3))
        if fit is not None and fit.lines:
            y += margin + block_height(fit)
            margin = 0.0
    return TextTops(*tops)
