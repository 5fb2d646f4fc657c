"""Hostile uploads: CVs (candidates/cv.py) and company logos (companies/logos.py), plus badge
names that try to make the PDF renderer fetch something.

What the code promises, and what is tested here beyond tests/candidates and tests/companies:

- a CV is a PDF by content (starts with ``%PDF-``, ends with ``%%EOF``), at most CV_MAX_BYTES;
  anything else is a form error that writes nothing (no row, no file). A file that passes (a
  PDF/HTML polyglot) is only ever served as a PDF attachment, ``nosniff``, ``sandbox``;
- a body over MAX_CONTENT_LENGTH is a 413 page and writes nothing;
- the uploaded file name is display text only: the file lands in ``uploads/cv/`` under a random
  name whatever the name says (paths, NUL, line breaks, 300 characters, bidi marks);
- a logo is PNG, JPEG or SVG by content; a decompression bomb is a clear form error; an SVG is
  rebuilt from an allowlist (no script, handler, external reference, DTD, entity, processing
  instruction), whatever the trick (hypothesis builds hostile SVG trees too);
- a badge name holding HTML or CSS makes the renderer ask for no file outside static/ and the
  badge cache, and opens no connection.
"""

from __future__ import annotations

import io
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from jobday import storage
from jobday.candidates.services import get_profile
from jobday.companies.errors import LogoRejected
from jobday.companies.logos import SVG_ATTRIBUTES, SVG_ELEMENTS, SVG_NS, process_logo, sanitise_svg
from jobday.extensions import db
from tests import factories
from tests.security import fuzz_world

EN = {"Accept-Language": "en"}
LIMITS = {"max_bytes": 1024 * 1024, "max_pixels": 16_000_000}
EXAMPLES = int(os.environ.get("JOBDAY_FUZZ_EXAMPLES", "5")) * 20


@pytest.fixture
def candidate(db, login_as):
    user = factories.make_candidate()
    db.session.commit()
    return login_as(user)


@pytest.fixture
def company(db, login_as):
    company = factories.make_company(name="Vaxolis")
    factories.make_participation(company, factories.make_edition())
    db.session.commit()
    login_as(factories.company_admin(company))
    return company


def post_file(client, url: str, field: str, data: bytes, filename: str):
    response = client.post_form(url, {field: (io.BytesIO(data), filename)}, content_type="multipart/form-data",
                                headers=EN)
    response.request.environ["wsgi.input"].close()  # the test client spools big bodies to a file
    return response


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ZIP_BOMB = zip_bytes({"cv.pdf": b"\0" * (20 * 1024 * 1024)})  # 20 MB of zeros in about 20 KB


# --- CVs -------------------------------------------------------------------------------

@pytest.mark.parametrize("data, filename", [
    (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 4000 + b"This program cannot be run in DOS mode", "setup.pdf"),
    (b"<!doctype html><html><script>alert(document.cookie)</script></html>", "cv.pdf"),
    (DOCX, "cv.pdf"),
    (ZIP_BOMB, "cv.pdf"),
    (b"%PDF-1.7\n" + os.urandom(4000), "cv.pdf"),  # a PDF header, then junk with no end
    (factories.make_pdf() + b"\n" + b"\0" * 2000, "cv.pdf"),  # %%EOF buried far from the end
    (b"  \n" + factories.make_pdf(), "cv.pdf"),  # bytes before the header
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "cv.pdf"),
], ids=["exe", "html", "docx", "zip-bomb", "pdf-header-then-junk", "eof-buried", "bytes-before-header", "svg"])
def test_files_that_are_not_pdfs_are_refused_and_nothing_is_written(client, candidate, app, data, filename):
    before = fuzz_world.fingerprint(app)
    response = post_file(client, "/candidate/cv", "cv", data, filename)
    assert response.status_code == 422
    assert "This file is not a PDF document." in response.get_data(as_text=True)
    assert fuzz_world.fingerprint(app) == before


def test_a_pdf_html_polyglot_is_refused_and_a_cv_only_ever_served_as_a_pdf_attachment(client, candidate, app,
                                                                                       login_as):
    """The CV is parsed as a PDF (``candidates.pdf_check``): a header, HTML and an end marker
    are no PDF. What passes is served as ``<name>.pdf``, an attachment that never runs in a browser."""
    polyglot = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
    assert post_file(client, "/candidate/cv", "cv", polyglot, "cv.html").status_code == 422
    pdf = factories.make_pdf(b"% <html><script>alert(1)</script></html>\n")  # HTML in a PDF comment
    assert post_file(client, "/candidate/cv", "cv", pdf, "cv.html").status_code == 302
    admin = factories.make_user(roles=("admin",))
    db.session.commit()
    for url in ("/candidate/cv", f"/candidates/{candidate.id}/cv"):
        if url.startswith("/candidates/"):
            login_as(admin)
        response = client.get(url)
        assert response.status_code == 200 and response.data == pdf
        assert response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"] == "attachment; filename=cv.pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("url, field, filename", [("/candidate/cv", "cv", "cv.pdf"),
                                                  ("/company/logo", "logo", "logo.png")])
def test_a_body_over_the_request_limit_is_a_413_page_and_writes_nothing(client, app, db, login_as, url, field,
                                                                        filename):
    user = factories.make_candidate()
    company = factories.make_company(admin=user)  # one user may post both forms
    db.session.commit()
    login_as(user)
    before = fuzz_world.fingerprint(app)
    data = factories.make_pdf(b"%" + b"x" * app.config["MAX_CONTENT_LENGTH"] + b"\n")
    response = post_file(client, url, field, data, filename)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "File too large" in page and "What you sent is larger than allowed." in page
    assert fuzz_world.fingerprint(app) == before
    assert company.logo_filename is None


HOSTILE_NAMES = [
    "../../etc/passwd.pdf", "/etc/passwd.pdf", "C:\\Windows\\System32\\evil.pdf", "..\\..\\boot.ini.pdf",
    "a\x00b.pdf", "cv.pdf\r\nX-Injected: 1", "é" * 300 + ".pdf", "\u202efdp.exe", "..", ".", "", " ",
    '<script>alert(1)</script>".pdf', "%2e%2e%2fetc%2fpasswd.pdf", "CON.pdf", "cv.pdf;.exe",
]


# Names a multipart body cannot carry as a file: Werkzeug sees no file, the form asks for one.
NOT_A_FILE = {"", "cv.pdf\r\nX-Injected: 1"}


@pytest.mark.parametrize("filename", HOSTILE_NAMES)
def test_an_uploaded_file_name_never_reaches_the_file_system(client, candidate, app, filename):
    before = set(fuzz_world.instance_files(app))
    fingerprint = fuzz_world.fingerprint(app)
    response = post_file(client, "/candidate/cv", "cv", factories.make_pdf(), filename)
    if filename in NOT_A_FILE:
        assert response.status_code == 422 and "Choose" in response.get_data(as_text=True)
        assert fuzz_world.fingerprint(app) == fingerprint
        return
    assert response.status_code == 302
    assert set(fuzz_world.instance_files(app)) == before  # the name reaches no file system: the CV is in the database
    profile = get_profile(candidate)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", profile.cv_stored_name)
    shown = profile.cv_original_name
    assert shown and len(shown) <= 200 and "/" not in shown and "\\" not in shown
    assert not any(unicodedata.category(ch).startswith("C") for ch in shown)  # no NUL, CR, LF, bidi marks
    response = client.get("/candidate/cv")
    assert response.status_code == 200 and response.data == factories.make_pdf()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "\r" not in disposition and "\n" not in disposition
    page = client.get("/candidate/profile").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


# --- logos: raster bombs -----------------------------------------------------------------

def png_bomb(width: int, height: int) -> bytes:
    """A real 1-bit PNG of width x height zero pixels: tens of kilobytes, hundreds of megabytes decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims width x height."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16)).save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize("data", [png_bomb(20_000, 20_000), png_bomb(10_000, 10_000),
                                  jpeg_claiming(60_000, 60_000), jpeg_claiming(12_000, 9_000)],
                         ids=["png-400M-pixels", "png-100M-pixels", "jpeg-3600M-pixels", "jpeg-108M-pixels"])
def test_a_decompression_bomb_is_a_clear_form_error(client, company, app, data):
    assert len(data) < LIMITS["max_bytes"]
    with pytest.raises(LogoRejected) as error:
        process_logo(data, **LIMITS)
    assert "trop grande" in str(error.value.message)  # French, the default language
    # Pillow's own guard too, when the configured limit is above it.
    with pytest.raises(LogoRejected) as error:
        process_logo(data, max_bytes=LIMITS["max_bytes"], max_pixels=10**12)
    assert "trop grande" in str(error.value.message)  # French, the default language
    before = fuzz_world.fingerprint(app)
    response = post_file(client, "/company/logo", "logo", data, "logo.png")
    assert response.status_code == 422 and "The image is too large" in response.get_data(as_text=True)
    assert fuzz_world.fingerprint(app) == before


@pytest.mark.parametrize("data, filename", [(DOCX, "logo.png"), (ZIP_BOMB, "logo.png"),
                                            (factories.make_pdf(), "logo.jpg"),
                                            (b"MZ\x90\x00" + b"\x00" * 200, "logo.svg")],
                         ids=["docx-as-png", "zip-bomb-as-png", "pdf-as-jpg", "exe-as-svg"])
def test_archives_and_programs_renamed_as_images_are_refused(client, company, app, data, filename):
    before = fuzz_world.fingerprint(app)
    response = post_file(client, "/company/logo", "logo", data, filename)
    assert response.status_code == 422 and "Send a PNG, JPEG or SVG image." in response.get_data(as_text=True)
    assert fuzz_world.fingerprint(app) == before


# --- logos: SVG --------------------------------------------------------------------------

def assert_inert(svg: bytes) -> None:
    """Only allowlisted SVG elements and attributes, no handler, no reference outside the file."""
    text = svg.decode()
    assert "<!" not in text and "<?" not in text  # no DOCTYPE, ENTITY, CDATA or processing instruction
    root = ElementTree.fromstring(svg)
    for element in root.iter():
        assert element.tag.startswith(f"{{{SVG_NS}}}"), element.tag
        assert element.tag.split("}")[1] in SVG_ELEMENTS, element.tag
        for key, value in element.attrib.items():
            assert key in SVG_ATTRIBUTES and not key.lower().startswith("on"), key
            lowered = value.lower()
            assert "javascript" not in lowered and "expression" not in lowered and "@import" not in lowered
            if key == "href":
                assert re.fullmatch(r"#[\w.:-]+", value), value
            for target in re.findall(r"url\s*\(\s*['\"]?\s*([^)'\"\s]*)", value, re.IGNORECASE):
                assert target.startswith("#"), value


TRICKS = {
    "xxe-file": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    "external-dtd": b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                    b'"http://127.0.0.1:1/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg"/>',
    "quadratic-blowup": b'<!DOCTYPE svg [<!ENTITY a "' + b"a" * 5000 + b'">]><svg xmlns="http://www.w3.org/2000/svg">'
                        + b"<text>" + b"&a;" * 100 + b"</text></svg>",
    "deep-nesting": b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 3000 + b"</g>" * 3000 + b"</svg>",
    "no-svg-namespace": b"<svg><script>alert(1)</script></svg>",
}


@pytest.mark.parametrize("data", TRICKS.values(), ids=TRICKS.keys())
def test_svgs_with_dtds_entities_or_absurd_nesting_are_refused(client, company, app, data):
    with pytest.raises(LogoRejected):
        process_logo(data, **LIMITS)
    before = fuzz_world.fingerprint(app)
    response = post_file(client, "/company/logo", "logo", data, "logo.svg")
    page = response.get_data(as_text=True)
    # An SVG that opens with its DOCTYPE is not recognised as SVG at all: refused as "not an image".
    assert response.status_code == 422 and ("This SVG file could not be read." in page
                                            or "Send a PNG, JPEG or SVG image." in page)
    assert fuzz_world.fingerprint(app) == before


CLEANED = b"""<?xml version="1.0"?>
<?xml-stylesheet href="http://127.0.0.1:1/x.css"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:ev="http://www.w3.org/2001/xml-events"
     ONLOAD="alert(0)" ev:event="load" viewBox="0 0 10 10">
  <xi:include href="file:///etc/passwd" parse="text"/>
  <animate attributeName="href" values="javascript:alert(1)"/>
  <set attributeName="onmouseover" to="alert(2)"/>
  <use href="data:image/svg+xml;base64,PHN2Zy8+"/>
  <use xlink:href="http://127.0.0.1:1/sprite.svg#a"/>
  <image href="file:///etc/passwd"/>
  <rect id="r" width="5" height="5" fill="u&#x72;l(http://127.0.0.1:1/a)"/>
  <rect width="5" height="5" fill="URL( 'javascript:alert(3)' )"/>
  <rect width="5" height="5" style="fill:red;background:url(//127.0.0.1:1/b)"/>
  <rect width="5" height="5" style="fill:u\\72l(http://127.0.0.1:1/c)"/>
  <rect width="5" height="5" style="width:expression(alert(4))"/>
  <circle cx="5" cy="5" r="2" fill="url(#g)" stroke="#0a6"/>
  <text x="1" y="9"><![CDATA[<script>alert(5)</script>]]>Vaxolis</text>
  <SCRIPT>alert(6)</SCRIPT>
  <g><title>Logo<script>alert(7)</script></title><use href="#r"/></g>
</svg>"""


def test_svg_tricks_are_cleaned_and_the_drawing_stays(client, company, app):
    clean = sanitise_svg(CLEANED)
    assert_inert(clean)
    text = clean.decode()
    for gone in ("127.0.0.1", "passwd", "xml-stylesheet", "data:", "expression", "<SCRIPT", "<script", "onload",
                 "alert(0)", "alert(1)", "alert(2)", "alert(3)", "alert(4)", "alert(6)", "alert(7)"):
        assert gone not in text, gone
    assert 'fill="url(#g)"' in text and 'href="#r"' in text and "Vaxolis" in text
    assert "&lt;script&gt;alert(5)" in text  # the CDATA is text in a <text>: kept, escaped
    assert post_file(client, "/company/logo", "logo", CLEANED, "logo.svg").status_code == 302
    db.session.refresh(company)
    stored = storage.read(company.logo_filename).data
    assert stored == clean and company.logo_content_type == "image/svg+xml"
    response = client.get(f"/companies/{company.id}/logo")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml" and response.data == clean
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


NAMES = sorted(SVG_ELEMENTS) + ["script", "foreignObject", "image", "a", "style", "iframe", "animate", "set",
                                "handler", "listener", "feImage"]
ATTRIBUTES = sorted(SVG_ATTRIBUTES) + ["onload", "onclick", "OnMouseOver", "src", "xlink:href", "begin",
                                       "attributeName", "values", "to", "formaction"]
VALUES = st.one_of(
    st.sampled_from(["#a", "#b", "url(#a)", "red", "10", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
                     "url(http://127.0.0.1:1/)", "url( 'https://evil.example/x' )", "url(data:,x)",
                     "u\\rl(http://x)", "expression(alert(1))", "@import 'x.css'", "&#106;avascript:alert(1)",
                     "#a\" onload=\"alert(1)", "http://127.0.0.1:1/x.svg#a", "//evil.example/#a", "data:text/html,x",
                     "fill:url(#a);stroke:url(http://x/)"]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=20))


@st.composite
def svg_trees(draw, depth: int = 0) -> str:
    name = "svg" if depth == 0 else draw(st.sampled_from(NAMES))
    attributes = draw(st.dictionaries(st.sampled_from(ATTRIBUTES), VALUES, max_size=4))
    rendered = "".join(f' {key}="{_escape(value)}"' for key, value in attributes.items())
    children = draw(st.lists(svg_trees(depth + 1), max_size=3)) if depth < 3 else []
    text = _escape(draw(st.sampled_from(["", "Vaxolis", "<script>alert(1)</script>", "]]>"])))
    if depth == 0:
        rendered += ' xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    return f"<{name}{rendered}>{text}{''.join(children)}</{name}>"


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(svg_trees())
def test_any_svg_that_is_accepted_comes_out_inert(svg):
    try:
        clean = sanitise_svg(svg.encode())
    except LogoRejected:
        return
    assert_inert(clean)
    assert sanitise_svg(clean) == clean  # cleaning is stable: nothing left to remove


# --- badge PDFs: names that try to fetch ---------------------------------------------------


def test_badge_names_with_html_or_css_make_the_renderer_fetch_only_project_files(app, listener, tmp_path):
    """tests/badges covers <img>, <script> and <link> in names; here CSS-ish text, inline
    styles, SVG and frames, and every URL the fetcher is asked for is listed, allowed or not."""
    from jobday.badges import documents, layouts, pdf
    from jobday.badges.codes import new_code
    from jobday.badges.faces import BadgeData, EditionData, build_faces

    local = f"http://127.0.0.1:{listener.port}"
    names = [f"url({local}/a)", f"x\" style=\"background:url({local}/b)", f"@import url({local}/c.css);",
             f"</div><style>*{{background:url({local}/d)}}</style>", f'<svg><image href="{local}/e"/></svg>',
             f'<iframe src="{local}/f"></iframe>', '<object data="file:///etc/passwd"></object>',
             "<img src=\"file:///etc/shadow\">", f'<base href="{local}/">', "url(file:///etc/passwd)"]
    items = [BadgeData(new_code(), "recruiter", name, name, company=name, stand=name[:20], locale="en")
             for name in names]
    layout = layouts.get_layout("a4-8")
    faces = build_faces(items, EditionData("Jobdays 2031", date(2031, 3, 20), date(2031, 3, 20)), layout.face)
    settings_ = documents.settings()
    asked: list[str] = []

    class ListingFetcher(pdf.StaticOnlyFetcher):
        def fetch(self, url, headers=None):
            asked.append(url)
            return super().fetch(url, headers)

    renderer = pdf.Renderer(settings_)
    renderer.fetcher = ListingFetcher(settings_.static_folder, settings_.qr_folder)
    result = b"".join(renderer.render(html) for html in documents.chunk_html(faces, layout))
    assert result.startswith(b"%PDF")
    assert asked, "the badges load their QR codes and fonts through the fetcher"
    roots = (Path(settings_.static_folder).resolve(), Path(settings_.qr_folder).resolve())
    for url in asked:
        assert url.startswith("file://"), url
        path = Path(url[len("file://"):]).resolve()
        assert any(root in path.parents for root in roots), url
    assert renderer.fetcher.refused == [] and listener.connections == 0
