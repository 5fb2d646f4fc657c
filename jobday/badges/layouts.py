"""Page and sheet geometry: where each badge and each cut mark goes, in millimetres.

A pure function of the layout, the number of badges and the calibration offset, free of
Flask, the database and the PDF engine, so that it is tested on its own.

Layouts:
  a6     one A6 badge per page (105 × 148 mm)
  card   one credit-card badge per page (85.6 × 54 mm)
  label  one credit-card badge per label of a label printer (101 × 54 mm, e.g. Dymo 99014), centred
  a4-4   A4 sheets of 4 A6 badges (2 × 2, edge to edge; crop lines on the cuts)
  a4-8   A4 sheets of 8 credit-card badges (2 × 4, centred; cut marks in the margins)

The calibration offset (x to the right, y downwards) moves everything on the page, badges
and marks alike, to make up for a printer that does not print where it is told.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_OFFSET_MM = 10.0
MARK_GAP_MM = 2.0  # between a badge and a cut mark in the margin
MARK_LENGTH_MM = 5.0
EDGE_MARK_FROM_MM = 4.0  # crop lines on the cut itself, inside the printable area
EDGE_MARK_TO_MM = 11.0
MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Layout:
    key: str
    page_width: float
    page_height: float
    face: str  # the badge design: "card" (landscape) or "a6" (portrait)
    columns: int = 1
    rows: int = 1

    @property
    def badge_width(self) -> float:
        return FACE_SIZES[self.face][0]

    @property
    def badge_height(self) -> float:
        return FACE_SIZES[self.face][1]

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def is_sheet(self) -> bool:
        return self.per_page > 1

    @property
    def margin_x(self) -> float:
        return (self.page_width - self.columns * self.badge_width) / 2

    @property
    def margin_y(self) -> float:
        return (self.page_height - self.rows * self.badge_height) / 2


FACE_SIZES = {"card": (85.6, 54.0), "a6": (105.0, 148.0)}

LAYOUTS: dict[str, Layout] = {
    "a6": Layout("a6", 105.0, 148.0, "a6"),
    "card": Layout("card", 85.6, 54.0, "card"),
    "label": Layout("label", 101.0, 54.0, "card"),
    "a4-4": Layout("a4-4", 210.0, 297.0, "a6", columns=2, rows=2),
    "a4-8": Layout("a4-8", 210.0, 297.0, "card", columns=2, rows=4),
}
SINGLE_LAYOUTS = tuple(key for key, layout in LAYOUTS.items() if not layout.is_sheet)


@dataclass(frozen=True)
class Slot:
    index: int  # position of the badge in the whole print run
    x: float  # top-left corner, from the page's top-left corner
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Mark:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class PagePlan:
    slots: tuple[Slot, ...]
    marks: tuple[Mark, ...]


def get_layout(key: str) -> Layout:
    try:
        return LAYOUTS[key]
    except KeyError:
        raise ValueError(f"unknown layout {key!r}") from None


def plan_pages(layout: Layout | str, count: int, offset: tuple[float, float] = (0.0, 0.0)) -> list[PagePlan]:
    """One PagePlan per page: full pages, then the last page with the rest."""
    layout = get_layout(layout) if isinstance(layout, str) else layout
    if count < 0:
        raise ValueError("count must not be negative")
    dx, dy = offset
    if abs(dx) > MAX_OFFSET_MM or abs(dy) > MAX_OFFSET_MM:
        raise ValueError(f"the calibration offset is limited to ±{MAX_OFFSET_MM:g} mm")
    marks = cut_marks(layout, offset) if layout.is_sheet else ()
    pages = []
    for first in range(0, count, layout.per_page):
        slots = []
        for index in range(first, min(first + layout.per_page, count)):
            column, row = (index - first) % layout.columns, (index - first) // layout.columns
            slots.append(Slot(index, _round(layout.margin_x + column * layout.badge_width + dx),
                              _round(layout.margin_y + row * layout.badge_height + dy),
                              layout.badge_width, layout.badge_height))
        pages.append(PagePlan(tuple(slots), marks))
    return pages


def page_count(layout: Layout | str, count: int) -> int:
    layout = get_layout(layout) if isinstance(layout, str) else layout
    return -(-count // layout.per_page)


def cut_marks(layout: Layout, offset: tuple[float, float] = (0.0, 0.0)) -> tuple[Mark, ...]:
    """Short lines that show where to cut.

    With margins wide enough, the marks prolong every cut line into the margins, leaving a
    small gap to the badges. Without (A6 badges tile an A4 page), crop lines are drawn on the
    inner cut lines themselves near the page edges, where the blade removes them.
    """
    dx, dy = offset
    xs = [layout.margin_x + c * layout.badge_width for c in range(layout.columns + 1)]
    ys = [layout.margin_y + r * layout.badge_height for r in range(layout.rows + 1)]
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    room = MARK_GAP_MM + MARK_LENGTH_MM
    marks: list[Mark] = []
    if min(layout.margin_x, layout.margin_y) >= room:
        for x in xs:
            marks.append(Mark(x, top - room, x, top - MARK_GAP_MM))
            marks.append(Mark(x, bottom + MARK_GAP_MM, x, bottom + room))
        for y in ys:
            marks.append(Mark(left - room, y, left - MARK_GAP_MM, y))
            marks.append(Mark(right + MARK_GAP_MM, y, right + room, y))
    else:
        width, height = layout.page_width, layout.page_height
        for x in xs[1:-1]:
            marks.append(Mark(x, EDGE_MARK_FROM_MM, x, EDGE_MARK_TO_MM))
            marks.append(Mark(x, height - EDGE_MARK_TO_MM, x, height - EDGE_MARK_FROM_MM))
        for y in ys[1:-1]:
            marks.append(Mark(EDGE_MARK_FROM_MM, y, EDGE_MARK_TO_MM, y))
            marks.append(Mark(width - EDGE_MARK_TO_MM, y, width - EDGE_MARK_FROM_MM, y))
    return tuple(Mark(_round(m.x1 + dx), _round(m.y1 + dy), _round(m.x2 + dx), _round(m.y2 + dy))
                 for m in marks)


def _round(value: float) -> float:
    return round(value, 3)
