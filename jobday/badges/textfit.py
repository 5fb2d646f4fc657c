"""Names on a badge: cleaned for print, then sized to fit, in Python, before rendering.

Widths are estimated from the bundled font's own metrics (advance widths read with
fontTools, which WeasyPrint depends on). A name first shrinks down to a minimum size on one
line, then wraps to two lines at a break point (space or hyphen); a name that still does
not fit is reported as an overflow and printed at the minimum size, clipped with an ellipsis.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONT_FOLDER = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
MM_PER_PT = 25.4 / 72
# Kerning is ignored by the estimate; keep a little room for it and for rounding.
SAFETY = 0.97
STEP_PT = 0.5
MAX_NAME_CHARS = 120
# Characters never printed: controls, format characters (bidi overrides and marks,
# zero-width joiners, soft hyphens), surrogates, private use and unassigned code points.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
# Emoji presentation selectors and the keycap mark: parts of emoji, never of a name.
_DROPPED_CHARACTERS = {"\ufe0e", "\ufe0f", "\u20e3"}


@dataclass(frozen=True)
class Fit:
    lines: tuple[str, ...]
    size_pt: float
    fits: bool


@dataclass(frozen=True)
class FontMetrics:
    units_per_em: int
    advances: dict[int, int]  # code point → advance width in font units

    def width_em(self, text: str) -> float:
        """Width in ems; a character the font lacks counts as one em (a wide fallback glyph)."""
        upm = self.units_per_em
        return sum(self.advances.get(ord(ch), upm) for ch in text) / upm


@cache
def metrics(weight: str = "bold") -> FontMetrics:
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_FOLDER / FONT_FILES[weight]), lazy=True)
    try:
        hmtx = font["hmtx"].metrics
        advances = {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}
        return FontMetrics(font["head"].unitsPerEm, advances)
    finally:
        font.close()


def clean(text: str | None) -> str:
    """A name as it can be printed: NFC, invisible and direction-changing characters removed,
    symbols (emoji) the bundled fonts cannot draw removed, white space collapsed."""
    text = unicodedata.normalize("NFC", text or "")
    known = metrics("regular").advances
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in _DROPPED_CATEGORIES or ch in _DROPPED_CHARACTERS:
            kept.append(" " if category == "Cc" else "")
        elif (category == "So" and ord(ch) not in known) or "\U0001f000" <= ch <= "\U0001faff":
            continue  # emoji and pictographs: not in the bundled font, not part of a name
        else:
            kept.append(" " if category.startswith("Z") else ch)
    return " ".join("".join(kept).split())[:MAX_NAME_CHARS]


def text_width_mm(text: str, size_pt: float, weight: str = "bold") -> float:
    return metrics(weight).width_em(text) * size_pt * MM_PER_PT


def _largest_size(width_em: float, width_mm: float, max_pt: float) -> float:
    if width_em <= 0:
        return max_pt
    size = width_mm * SAFETY / (width_em * MM_PER_PT)
    return min(max_pt, int(size / STEP_PT) * STEP_PT)


def _break_points(text: str) -> list[int]:
    """Indices where a line may end: before a space (dropped) or after a hyphen (kept)."""
    points = []
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1:
            points.append(i)
        elif ch in "-\u2010" and 0 < i < len(text) - 1:
            points.append(i + 1)
    return points


def _split(text: str, at: int) -> tuple[str, str]:
    return text[:at].rstrip(), text[at:].lstrip()


def fit(text: str, *, width_mm: float, max_pt: float, min_pt: float, two_line_max_pt: float | None = None,
        weight: str = "bold", wrap: bool = True) -> Fit:
    """Largest size at which ``text`` fits ``width_mm`` on one line (not below ``min_pt``),
    else on two lines (not above ``two_line_max_pt``), else an overflow at ``min_pt``."""
    font = metrics(weight)
    if not text:
        return Fit((), max_pt, True)
    one_line = _largest_size(font.width_em(text), width_mm, max_pt)
    if one_line >= min_pt:
        return Fit((text,), one_line, True)
    if not wrap:
        return Fit((text,), min_pt, False)
    best: tuple[float, tuple[str, str]] | None = None
    for at in _break_points(text):
        lines = _split(text, at)
        widest = max(font.width_em(line) for line in lines)
        size = _largest_size(widest, width_mm, two_line_max_pt or max_pt)
        if best is None or size > best[0]:
            best = (size, lines)
    if best is not None and best[0] >= min_pt:
        return Fit(best[1], best[0], True)
    return Fit(best[1] if best else (text,), min_pt, False)
