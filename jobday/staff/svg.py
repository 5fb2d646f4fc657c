"""Small server-side SVG charts (no JavaScript): horizontal bars and cumulative lines.

Every label is escaped; colours come from classes styled in static/css/staff.css (the CSP
forbids inline styles). The numbers are always shown in a table beside the chart too.
"""

from __future__ import annotations

from flask_babel import gettext
from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 18, 6, 160, 480


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(rows: list[tuple[str, int]], *, title: str, unit: str = "", top: int | None = None) -> Markup:
    """One bar per (label, value); labels shortened to fit, full text in <title>. ``unit``
    follows each value ("%"); ``top``: the value of a full bar (100 for a rate)."""
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    top = top or max((value for _label, value in rows), default=0) or 1
    suffix = f"\u202f{unit}" if unit else ""
    room = WIDTH - LABEL_WIDTH - 50
    parts = [(f'<svg class="chart chart-bars" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>')]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        text = str(label)
        short = text if len(text) <= 24 else text[:23] + "…"
        width = room * value / top
        hint = gettext("%(label)s: %(value)s", label=text, value=f"{value}{suffix}")
        parts.append(
            f'<g><title>{escape(hint)}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end" class="chart-label">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{_num(width)}" height="{BAR_HEIGHT}" class="chart-bar"/>'
            f'<text x="{_num(LABEL_WIDTH + width + 4)}" y="{y + 13}" class="chart-value">{value}{suffix}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(series: list[tuple[str, list[tuple[int, int]]]], *, title: str, x_label: str) -> Markup:
    """Lines of (x, y) points, e.g. days before the fair → cumulative registrations."""
    width, height, left, bottom, top_pad = WIDTH, 240, 50, 30, 10
    points = [point for _name, data in series for point in data]
    if not points:
        points = [(0, 0)]
    min_x, max_x = min(x for x, _y in points), max(x for x, _y in points)
    max_y = max(y for _x, y in points) or 1
    span_x = (max_x - min_x) or 1

    def sx(x: int) -> float:
        return left + (width - left - 10) * (x - min_x) / span_x

    def sy(y: int) -> float:
        return top_pad + (height - bottom - top_pad) * (1 - y / max_y)

    parts = [(f'<svg class="chart chart-lines" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'),
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" class="chart-axis"/>',
             f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{height - bottom}" class="chart-axis"/>',
             f'<text x="{left - 4}" y="{top_pad + 8}" text-anchor="end" class="chart-label">{max_y}</text>',
             f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" class="chart-label">0</text>',
             f'<text x="{left}" y="{height - 8}" class="chart-label">{min_x}</text>',
             f'<text x="{width - 10}" y="{height - 8}" text-anchor="end" class="chart-label">{max_x}</text>',
             (f'<text x="{(width + left) // 2}" y="{height - 8}" text-anchor="middle" class="chart-label">'
             f'{escape(x_label)}</text>')]
    for index, (name, data) in enumerate(series):
        if not data:
            continue
        path = " ".join(f"{_num(sx(x))},{_num(sy(y))}" for x, y in data)
        parts.append(f'<polyline points="{path}" class="chart-line chart-line-{index}" fill="none">'
                     f'<title>{escape(name)}</title></polyline>')
        parts.append(f'<text x="{left + 6}" y="{top_pad + 14 + 14 * index}" class="chart-legend chart-line-{index}">'
                     f'{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
