"""Badge documents: faces placed on pages by the layout geometry, written as HTML chunks
(Jinja, escaped) and rendered to one PDF, in parallel processes for large runs. Each chunk
lays out what its badges share once and stamps it on each of them (``stamping``).

Runs in an application context (templates, translations, configuration); the PDF workers
themselves only get the chunks (HTML and where to stamp what).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from jobday.badges import layouts, pdf, stamping
from jobday.badges import strips as strips_module
from jobday.badges.cachefiles import write_atomically
from jobday.badges.design import DESIGNS, text_tops
from jobday.badges.faces import BadgeData, EditionData, Face, build_faces, overflow_report

# Per PDF chunk, rounded down to whole pages. Each chunk lays out its template pages again
# (``stamping``): 1,000 badges in 6 chunks took 7% less CPU than in 10, for the same peak memory.
CHUNK_BADGES = 170
MARK_THICKNESS_MM = 0.2


@dataclass
class RenderedRun:
    pdf: bytes
    count: int
    pages: int
    overflow: list[str]
    seconds: float


def settings() -> pdf.RenderSettings:
    app = current_app
    return pdf.RenderSettings(static_folder=str(Path(app.static_folder).resolve()),
                              qr_folder=str(qr_folder()))


def qr_folder() -> Path:
    return Path(current_app.config.get("BADGE_QR_FOLDER") or Path(current_app.instance_path) / "qr").resolve()


def marks_overlay(layout: layouts.Layout) -> Path | None:
    """The cut marks of a sheet as one SVG image per page (drawing 16 boxes per page costs
    more than the marks are worth). Made once per layout in the cache folder; the page
    places it with the calibration offset, like the badges."""
    marks = layouts.cut_marks(layout)
    if not marks:
        return None
    path = qr_folder() / f"marks-{layout.key}.svg"
    if not path.exists():
        lines = "".join(f'<line x1="{m.x1:g}" y1="{m.y1:g}" x2="{m.x2:g}" y2="{m.y2:g}"/>' for m in marks)
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.page_width:g}mm" '
               f'height="{layout.page_height:g}mm" '
               f'viewBox="0 0 {layout.page_width:g} {layout.page_height:g}">'
               f'<g stroke="#000" stroke-width="{MARK_THICKNESS_MM}">{lines}</g></svg>')
        write_atomically(path, svg.encode())
    return path


def chunk_sizes(pages: int, per_page: int, chunk_badges: int = CHUNK_BADGES, workers: int = 1) -> list[int]:
    """Pages per chunk: about ``chunk_badges`` badges each, as many chunks as a multiple of
    ``workers`` and sizes within one page of each other, so no worker is left with the tail.
    Up to ``chunk_badges`` badges make one chunk: starting workers would cost more."""
    if pages <= 0:
        return []
    chunks = max(1, -(-pages * per_page // chunk_badges))
    if chunks > 1:
        chunks = min(pages, -(-chunks // workers) * workers)
    return [pages // chunks + (1 if n < pages % chunks else 0) for n in range(chunks)]


@dataclass(frozen=True)
class Placed:
    """One badge on a page: its face and the classes that place and size its own texts."""

    face: Face
    first: str
    last: str
    subtitle: str | None  # None: a subtitle shared by several badges, stamped
    code: str


class Declarations:
    """One CSS class per distinct declaration of a sheet (a position, a font size): the sheet's
    stylesheet parses each once, where inline styles would be parsed again on every box (a
    tenth of a render). Positions repeat from page to page, sizes go by half points."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def __call__(self, **values: float) -> str:
        """``left=23.4, top=40.5, font_size=20`` (mm, mm, pt): the classes that set them."""
        classes = []
        for prop, value in values.items():
            unit = "pt" if prop == "font_size" else "mm"
            declaration = f"{prop.replace('_', '-')}:{round(value, 3):g}{unit}"
            if declaration not in self.names:
                self.names[declaration] = f"d{len(self.names)}"
            classes.append(self.names[declaration])
        return " ".join(classes)

    def css(self) -> str:
        return "".join(f".{name}{{{declaration}}}" for declaration, name in self.names.items())


def _sheet(plans: list[layouts.PagePlan], faces: list[Face], layout: layouts.Layout, *, overlay: bool,
           **context) -> stamping.Sheet:
    """One document: the pages of ``plans`` with each badge's own text, then the template pages
    of what the badges share, and where to stamp them (``stamping``)."""
    design = DESIGNS[layout.face]
    chunk = [faces[slot.index] for plan in plans for slot in plan.slots]
    shared = Counter(_subtitle_key(face) for face in chunk)
    templates: list[tuple[str, object]] = []
    forms: dict[tuple, int] = {}
    css = Declarations()

    def form(key: tuple, kind: str, item: object) -> int:
        if key not in forms:
            forms[key] = len(templates)
            templates.append((kind, item))
        return forms[key]

    overlay_form = form(("overlay",), "overlay", plans[0]) if overlay else None
    pages, stamps = [], []
    for plan in plans:
        placed, page_stamps = [], []
        for slot in plan.slots:
            face = faces[slot.index]
            tops = text_tops(design, face.first, face.last)
            left = slot.x + design.text_left
            subtitle = _subtitle_key(face)
            stamped = bool(face.subtitle.lines) and shared[subtitle] > 1
            placed.append(Placed(
                face, first=css(left=left, top=slot.y + tops.first, font_size=face.first.size_pt),
                last=css(left=left, top=slot.y + tops.last, font_size=face.last.size_pt),
                subtitle=None if stamped else css(left=left, top=slot.y + tops.subtitle,
                                                  font_size=face.subtitle.size_pt),
                code=css(left=slot.x + design.code[0], top=slot.y + design.code[1])))
            badge = form(("badge", face.role, face.lang, face.edition_line, face.note), "badge", face)
            page_stamps.append(stamping.FormStamp(badge, slot.x, slot.y))
            if stamped:
                shared_subtitle = (face, css(left=0, top=0, font_size=face.subtitle.size_pt))
                page_stamps.append(stamping.FormStamp(form(subtitle, "subtitle", shared_subtitle), left,
                                                      slot.y + tops.subtitle))
            x, y, side = design.qr
            page_stamps.append(stamping.QRStamp(face.code, slot.x + x, slot.y + y, side))
        if overlay_form is not None:
            page_stamps.append(stamping.FormStamp(overlay_form, 0.0, 0.0))
        pages.append((plan, placed))
        stamps.append(tuple(page_stamps))
    # The overlay is the first template page but is stamped last on each page, above the badges.
    html = context.pop("template").render(pages=pages, templates=templates, declarations=css.css(),
                                          layout=layout, **context)
    return stamping.Sheet(html=html, stamps=tuple(stamps), templates=len(templates))


def _subtitle_key(face: Face) -> tuple:
    return ("subtitle", face.subtitle, face.stand, face.lang)


def iter_chunk_html(faces: list[Face], layout: layouts.Layout, *, offset=(0.0, 0.0),
                    chunk_badges: int = CHUNK_BADGES, workers: int = 1, title: str = "Jobday",
                    test_lines: list[str] | None = None) -> Iterator[stamping.Sheet]:
    """The documents of the run, each holding whole pages (see ``chunk_sizes``)."""
    plans = layouts.plan_pages(layout, len(faces), offset)
    overlay = marks_overlay(layout)
    render_settings = settings()
    strips = {line: strips_module.cached_strip(layout.face, line, render_settings.qr_folder).name
              for line in {face.edition_line for face in faces}}
    lang = faces[0].lang if faces else current_app.config["BABEL_DEFAULT_LOCALE"]
    # The template alone, without the context processors of web pages (no request here).
    template = current_app.jinja_env.get_template("badges/sheet.html")
    first = 0
    for size in chunk_sizes(len(plans), layout.per_page, chunk_badges, workers):
        chunk = plans[first:first + size]
        first += size
        yield _sheet(chunk, faces, layout, overlay=overlay is not None or test_lines is not None,
                     template=template, strips=strips, offset=offset,
                     marks=overlay.name if overlay else None, title=title, lang=lang,
                     test_lines=test_lines or [])


def chunk_html(faces: list[Face], layout: layouts.Layout, **options) -> list[stamping.Sheet]:
    return list(iter_chunk_html(faces, layout, **options))


def render_run(items: list[BadgeData], edition: EditionData, layout_key: str, *, offset=(0.0, 0.0),
               processes: int | None = None, progress: Callable[[int, int], None] | None = None,
               chunk_badges: int = CHUNK_BADGES, title: str = "Jobday") -> RenderedRun:
    """The whole run as one PDF. ``progress(done, total)`` counts badges. The HTML of later
    chunks is written while the workers render the first ones."""
    started = time.perf_counter()
    layout = layouts.get_layout(layout_key)
    if processes is None:
        processes = current_app.config.get("BADGE_PDF_PROCESSES", 2)
    pages = layouts.page_count(layout, len(items))
    sizes = chunk_sizes(pages, layout.per_page, chunk_badges, processes)
    done_after = [min(len(items), sum(sizes[:n + 1]) * layout.per_page) for n in range(len(sizes))]
    faces: list[Face] = []

    def chunk_done(chunks: int) -> None:
        if progress:
            progress(done_after[chunks - 1], len(items))

    def documents() -> Iterator[stamping.Sheet]:
        # Asked for once the render workers have started: they get ready meanwhile.
        faces.extend(build_faces(items, edition, layout.face))
        yield from iter_chunk_html(faces, layout, offset=offset, chunk_badges=chunk_badges, workers=processes,
                                   title=title)

    pdfs = pdf.render_chunks(documents(), settings(), processes=processes if len(sizes) > 1 else 1,
                             progress=chunk_done,
                             start_method=current_app.config.get("BADGE_PDF_START_METHOD", "auto"))
    return RenderedRun(pdf=pdf.merge(pdfs), count=len(faces), pages=pages, overflow=overflow_report(faces),
                       seconds=time.perf_counter() - started)


def render_one(item: BadgeData, edition: EditionData, layout_key: str = "a6") -> bytes:
    """A single badge, rendered in this process (a person's own download)."""
    return render_run([item], edition, layout_key, processes=1).pdf


def render_test_page(layout_key: str, offset: tuple[float, float], sample: list[BadgeData],
                     edition: EditionData, test_lines: list[str]) -> bytes:
    """One page of sample badges with the outline of each slot, to calibrate a printer."""
    layout = layouts.get_layout(layout_key)
    faces = build_faces(sample[:layout.per_page], edition, layout.face)
    documents = chunk_html(faces, layout, offset=offset, test_lines=test_lines)
    return pdf.render_pdf(documents[0], settings())
