"""HTML to PDF with WeasyPrint: a URL fetcher that serves only the project's own files, one
renderer per process that keeps the parsed stylesheet and fonts, chunks rendered in
parallel processes, and the merge.

Nothing here needs Flask or the database: worker processes get HTML documents (sheets of
badges with their stamps, ``stamping``) and folder paths, and return PDF bytes.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree

import cssselect2
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from jobday.badges.qr import cached_qr
from jobday.badges.stamping import Sheet, Stamper
from jobday.pdf_lock import rendering

log = logging.getLogger(__name__)
STYLESHEET = "badges/print.css"  # under the static folder
CACHED_NAME = re.compile(r"marks-[a-z0-9-]{1,12}\.svg|strip-[0-9a-f]{16}\.png")
ALLOWED_SUFFIXES = {".ttf": "font/ttf", ".png": "image/png", ".svg": "image/svg+xml", ".css": "text/css"}


class RefusedURL(ValueError):
    """WeasyPrint catches it, logs a warning and renders without the resource."""


class StaticOnlyFetcher(URLFetcher):
    """Serves files under the static folder, and QR codes, cut marks and edition strips from
    the cache folder;
    refuses everything else:
    other schemes (http, https, ftp, data), other paths, '..' and symbolic links that lead
    out, and unknown file types. A missing QR image of a well-formed code is made on demand."""

    def __init__(self, static_folder: str | Path, qr_folder: str | Path) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False)
        self.static_folder = Path(static_folder).resolve()
        self.qr_folder = Path(qr_folder).resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self._allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"not one of the project's files: {url[:200]}")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": ALLOWED_SUFFIXES[path.suffix]})

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(unquote(parts.path)))
        if path.suffix not in ALLOWED_SUFFIXES:
            return None
        if path.parent.resolve() == self.qr_folder:
            if CACHED_NAME.fullmatch(path.name):  # cut marks, an edition strip
                return path.resolve() if path.is_file() else None
            try:  # a QR code, made on first use
                return cached_qr(path.stem, self.qr_folder) if path.suffix == ".png" else None
            except ValueError:
                return None
        resolved = path.resolve()
        if self.static_folder not in resolved.parents or not resolved.is_file():
            return None
        return resolved


# Our templates use a handful of elements: the full HTML user-agent stylesheet makes WeasyPrint
# compute six more styles per element (list markers, footnote and note calls) for nothing.
MINIMAL_UA_CSS = r"""
head, title, meta, style, script, link, template { display: none }
html, body, div, p, section { display: block }
br::before { content: "\A"; white-space: pre-line }
"""


class BadgeHTML(HTML):
    """An HTML document with the minimal user-agent stylesheet above (the sheet template is ours)."""

    _minimal_ua: CSS | None = None

    def _ua_stylesheets(self, forms=False):
        if BadgeHTML._minimal_ua is None:
            from weasyprint.html import UA_COUNTER_STYLE

            BadgeHTML._minimal_ua = CSS(string=MINIMAL_UA_CSS, counter_style=UA_COUNTER_STYLE)
        return [BadgeHTML._minimal_ua]

    @classmethod
    def from_xml(cls, string: str, *, base_url: str, url_fetcher: URLFetcher) -> BadgeHTML:
        """A sheet of badges: our template writes well-formed XML, which ElementTree parses in a
        fiftieth of the HTML parser's time (a tenth of a render). What is not well-formed (a
        character XML refuses in a title, say) goes through the HTML parser as before.
        Sets what ``HTML.__init__`` sets (WeasyPrint 70)."""
        try:
            root = ElementTree.fromstring(string)
        except ElementTree.ParseError:
            log.warning("a badge sheet is not well-formed XML: parsed as HTML")
            return cls(string=string, base_url=base_url, url_fetcher=url_fetcher)
        document = cls.__new__(cls)
        document.base_url, document.url_fetcher, document.media_type = base_url, url_fetcher, "print"
        document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        document.etree_element = document.wrapper_element.etree_element
        return document


@dataclass(frozen=True)
class RenderSettings:
    static_folder: str
    qr_folder: str


class Renderer:
    """One per process and settings: the stylesheet is parsed and the fonts loaded once."""

    def __init__(self, settings: RenderSettings) -> None:
        self.settings = settings
        self.fetcher = StaticOnlyFetcher(settings.static_folder, settings.qr_folder)
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(filename=str(Path(settings.static_folder) / STYLESHEET),
                              url_fetcher=self.fetcher, font_config=self.font_config)
        # Documents name the cache folder's files relatively (shorter HTML to parse).
        self.base_url = Path(settings.qr_folder).resolve().as_uri() + "/"

    def render(self, html: str | Sheet) -> bytes:
        """An HTML document, or a sheet of badges with its template pages stamped (``stamping``)."""
        sheet = html if isinstance(html, Sheet) else None
        # WeasyPrint makes hundreds of thousands of short-lived objects; the cyclic garbage
        # collector scanning them costs 10-25% of a render. Pause it for the render only.
        paused = gc.isenabled()
        gc.disable()
        try:
            with rendering():
                if sheet is None:
                    document = BadgeHTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
                else:
                    document = BadgeHTML.from_xml(sheet.html, base_url=self.base_url, url_fetcher=self.fetcher)
                return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config,
                                          finisher=Stamper(sheet) if sheet else None)
        finally:
            if paused:
                gc.enable()


_renderers: dict[RenderSettings, Renderer] = {}
_lock = threading.Lock()


def renderer(settings: RenderSettings) -> Renderer:
    with _lock:
        if settings not in _renderers:
            _renderers[settings] = Renderer(settings)
        return _renderers[settings]


def render_pdf(html: str | Sheet, settings: RenderSettings) -> bytes:
    return renderer(settings).render(html)


def _render_in_worker(html: str | Sheet, settings: RenderSettings) -> bytes:
    return render_pdf(html, settings)


RENDER_PARENT = "JOBDAY_RENDER_PARENT"  # the fork server's parent, for forkserver_guard
RENDER_FORK_SERVER = "JOBDAY_RENDER_FORK_SERVER"  # set in the fork server: the renderers' parent


def _die_with_parent(parent: int | None = None) -> None:
    """A render process must not outlive the process that started it: a job worker killed
    mid-print left its renderers working (Linux: the kernel kills us when our parent dies).
    ``parent``: the process that started us, when it may have died before this runs."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    parent = parent or os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start_worker(settings: RenderSettings) -> None:
    """Each worker dies with its parent, parses the stylesheet and loads the fonts once, then
    moves what it holds out of the garbage collector's sight (it lives as long as the process).

    The parent is named when a fork server forked us: a renderer forked just as the job worker
    was killed (and its fork server with it) would otherwise take its new parent, init, for the
    fork server, and wait on the pool's queue forever."""
    _die_with_parent(int(os.environ.get(RENDER_FORK_SERVER) or 0) or None)
    creator = multiprocessing.parent_process()  # the job worker (the fork server is only our parent)
    if creator is not None and not _alive(creator.pid):
        os._exit(1)
    # A first render loads the fonts and what WeasyPrint loads on first use, while the caller
    # still writes the first document (``render_chunks`` starts the workers first).
    renderer(settings).render(WARM_UP_HTML)
    gc.freeze()


WARM_UP_HTML = '<p>Jobday</p><p class="first">Jobday</p>'  # both faces of the badge font


def _started() -> None:
    """Submitted first, this empty task starts the workers at once."""


def _pool_context(start_method: str = "auto"):
    """``auto``: fork when this process runs a single thread (the CLI): the children start at
    once with WeasyPrint already imported. Otherwise (a web or job worker with threads, where
    a fork could copy a lock held by another thread) a fork server that imports WeasyPrint
    once and forks clean children from it."""
    if start_method == "auto":
        single = sys.platform.startswith("linux") and threading.active_count() == 1
        start_method = "fork" if single else "forkserver"
    context = multiprocessing.get_context(start_method)
    if start_method == "forkserver":
        os.environ[RENDER_PARENT] = str(os.getpid())  # inherited by the fork server
        context.set_forkserver_preload(["jobday.badges.forkserver_guard", "jobday.badges.pdf"])
    return context


def render_chunks(htmls: Iterable[str | Sheet], settings: RenderSettings, *, processes: int = 2,
                  progress: Callable[[int], None] | None = None, start_method: str = "auto") -> list[bytes]:
    """Render each HTML document to PDF, in order; over ``processes`` processes unless it is 1.
    ``htmls`` may be a generator: the workers start before the first document is asked for,
    and render the first ones while the next ones are written. ``progress(n)`` is called
    with the number of documents done."""
    results: list[bytes] = []
    if processes <= 1:
        # The application's own objects are not garbage: hide them from the collector's
        # full passes during the run (each would walk the whole heap), show them again after.
        gc.freeze()
        try:
            for html in htmls:
                results.append(render_pdf(html, settings))
                if progress:
                    progress(len(results))
        finally:
            gc.unfreeze()
        return results
    context = _pool_context(start_method)
    # Forked workers share this process's memory until they write to it; the garbage
    # collector writes to every object it visits, so hide them from it while forking
    # (the workers are started by the first submit, before the first document is written).
    forking = context.get_start_method() == "fork"
    if forking:
        gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_start_worker,
                                 initargs=(settings,)) as pool:
            pool.submit(_started)
            if forking:
                gc.unfreeze()
                forking = False
            futures = [pool.submit(_render_in_worker, html, settings) for html in htmls]
            results = _collect(futures, progress)
    finally:
        if forking:
            gc.unfreeze()
    return results


def _collect(futures, progress) -> list[bytes]:
    results = []
    for future in futures:
        results.append(future.result())
        if progress:
            progress(len(results))
    return results


_pdfium_lock = threading.Lock()


def merge(pdfs: Iterable[bytes]) -> bytes:
    """One PDF from several, pages in order, with PDFium (C++): ≈ 0.3 s for 1,000 badges
    where pypdf takes ≈ 3.5 s. PDFium is not thread-safe: one merge at a time."""
    import pypdfium2 as pdfium

    pdfs = list(pdfs)
    if len(pdfs) == 1:
        return pdfs[0]
    with _pdfium_lock:
        merged = pdfium.PdfDocument.new()
        try:
            for pdf in pdfs:
                source = pdfium.PdfDocument(pdf)
                try:
                    merged.import_pages(source)
                finally:
                    source.close()
            out = io.BytesIO()
            merged.save(out)
        finally:
            merged.close()
    return out.getvalue()

