"""CVs are read with a PDF parser (issue 16, item 6): the first and last bytes let through a
file with HTML inside, PDFs that run JavaScript or launch a program when opened, PDFs with
files attached, and the download kept the uploaded extension (``.html``)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from reportlab.pdfgen import canvas

from jobday.candidates import pdf_check
from jobday.candidates.services import get_profile
from tests.factories import make_candidate, make_pdf

EN = {"Accept-Language": "en"}


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def reportlab_cv() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, "Zoë Müller: technicienne QC")
    page.showPage()
    page.save()
    return out.getvalue()


def html_between() -> bytes:
    return b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def open_action_javascript() -> bytes:
    writer = _one_page()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    return _written(writer)


def document_javascript() -> bytes:
    writer = _one_page()
    action = writer._add_object(DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                                  NameObject("/JS"): TextStringObject("app.alert('opened');")}))
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("startup"), action])})})
    return _written(writer)


def launch_in_a_link() -> bytes:
    writer = _one_page()
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(100)]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                                            NameObject("/F"): TextStringObject("calc.exe")})})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return _written(writer)


def embedded_file() -> bytes:
    writer = _one_page()
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    return _written(writer)


def no_page() -> bytes:
    return _written(PdfWriter())


def encrypted() -> bytes:
    writer = _one_page()
    writer.encrypt("secret")
    return _written(writer)


@pytest.mark.parametrize("make, problem", [
    (html_between, pdf_check.Problem.NOT_PDF),
    (open_action_javascript, pdf_check.Problem.ACTIVE_CONTENT),
    (document_javascript, pdf_check.Problem.ACTIVE_CONTENT),
    (launch_in_a_link, pdf_check.Problem.ACTIVE_CONTENT),
    (embedded_file, pdf_check.Problem.ACTIVE_CONTENT),
    (no_page, pdf_check.Problem.NO_PAGE),
    (encrypted, pdf_check.Problem.ENCRYPTED),
    (make_pdf, None),
    (reportlab_cv, None),
    (lambda: _written(_one_page()), None),
], ids=lambda value: getattr(value, "__name__", str(value)))
def test_what_a_pdf_holds_is_read(make, problem):
    assert pdf_check.inspect_pdf(make()) == problem


@pytest.mark.parametrize("make, message", [
    (html_between, "This file is not a PDF document."),
    (open_action_javascript, "This PDF contains JavaScript, an action that opens a program, or attached files"),
    (launch_in_a_link, "This PDF contains JavaScript, an action that opens a program, or attached files"),
    (embedded_file, "This PDF contains JavaScript, an action that opens a program, or attached files"),
    (no_page, "This PDF has no page."),
    (encrypted, "This PDF is protected by a password."),
])
def test_a_hostile_pdf_is_refused_with_a_reason_and_nothing_stored(backend, client, db, login_as, upload_cv,
                                                                   make, message):
    user = login_as(make_candidate())
    response = upload_cv(make(), "cv.pdf", headers=EN)
    assert response.status_code in (200, 422)
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert not get_profile(user).has_cv


def test_a_cv_is_always_served_as_a_pdf_named_pdf(backend, client, db, login_as, upload_cv):
    user = login_as(make_candidate())
    assert upload_cv(reportlab_cv(), "mon cv.html", headers=EN).status_code == 302
    db.session.expire_all()
    assert get_profile(user).cv_original_name == "mon cv.pdf"
    response = client.get("/candidate/cv")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].replace('"', "") == "attachment; filename=mon cv.pdf"
    # A name stored before the rule is served as .pdf too.
    get_profile(user).cv_original_name = "ancien.html"
    db.session.commit()
    assert client.get("/candidate/cv").headers["Content-Disposition"].replace('"', "") == (
        "attachment; filename=ancien.pdf")
