"""Sheets of badges: what badges share is laid out once and stamped on each of them, each
badge's own text is placed where the design says, and the QR codes drawn from the codes."""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from datetime import date

import pytest

from jobday.badges import documents, layouts, pdf
from jobday.badges.codes import new_code
from jobday.badges.design import DESIGNS, LINE_HEIGHT, MM_PER_PT, text_tops
from jobday.badges.faces import BadgeData, EditionData, build_faces
from jobday.badges.textfit import Fit
from tests.badges.conftest import decoded_codes, pdf_text

EDITION = EditionData("Jobdays 2031", date(2031, 3, 20), date(2031, 3, 20))
NOTE = "ce badge partage votre profil avec cette entreprise (pas votre CV)"


def _stamped_forms(pdf_bytes: bytes) -> int:
    """The template pages turned into forms (WeasyPrint makes forms of its own, e.g. for SVG)."""
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf_bytes)).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    return sum(1 for name, ref in xobjects.items()
               if name.startswith("/jt") and ref.get_object()["/Subtype"] == "/Form")


def _sheet(app, items, key="a4-8"):
    layout = layouts.get_layout(key)
    faces = build_faces(items, EDITION, layout.face)
    [sheet] = documents.chunk_html(faces, layout)
    return sheet


def test_what_the_badges_share_is_laid_out_once_and_drawn_on_each(app):
    items = [BadgeData(new_code(), "candidate", "Zoë", f"Müller {n}", locale="fr") for n in range(8)]
    sheet = _sheet(app, items)
    assert sheet.templates == 3  # the cut marks, the candidates' design, their role label
    assert sheet.html.count("Candidat·e") == 1 and sheet.html.count("badge partage") == 1
    run = documents.render_run(items, EDITION, "a4-8", processes=1)
    assert run.pages == 1 and _stamped_forms(run.pdf) == 3
    text = " ".join(pdf_text(run.pdf).split())
    assert text.count("Candidat·e") == 8 and text.count(NOTE) == 8
    assert all(f"Müller {n}" in text for n in range(8))
    assert sorted(decoded_codes(run.pdf)[0]) == sorted(item.code for item in items)


def test_a_subtitle_of_one_badge_is_its_own_text_and_a_shared_one_a_stamp(app):
    items = [BadgeData(new_code(), "recruiter", "Ann", "Lee", company="Acme", stand="A1", locale="en"),
             BadgeData(new_code(), "recruiter", "Bob", "Ray", company="Acme", stand="A1", locale="en"),
             BadgeData(new_code(), "recruiter", "Eve", "Kim", company="Zenith", stand="B2", locale="en")]
    sheet = _sheet(app, items)
    assert sheet.html.count("Acme") == 1  # one template page, stamped twice
    assert sheet.html.count("Zenith") == 1 and "Stand B2" in sheet.html  # in the badge's own text
    assert sheet.templates == 3  # the cut marks, the recruiters' design, Acme's subtitle
    text = pdf_text(documents.render_run(items, EDITION, "a4-8", processes=1).pdf)
    assert text.count("Acme") == 2 and text.count("Stand A1") == 2 and text.count("Zenith") == 1


def test_each_kind_of_badge_has_its_own_design(app):
    items = [BadgeData(new_code(), "candidate", "Zoë", "Müller", locale="fr"),
             BadgeData(new_code(), "candidate", "Ann", "Lee", locale="en"),
             BadgeData(new_code(), "staff", "Olga", "Orr", locale="fr")]
    sheet = _sheet(app, items)
    # The cut marks, and for each badge its design (role and language); no subtitle is shared.
    assert sheet.templates == 4
    text = " ".join(pdf_text(documents.render_run(items, EDITION, "a4-8", processes=1).pdf).split())
    assert "Candidate" in text and "Candidat·e" in text and "Équipe" in text
    assert text.count(NOTE) == 1 and text.count("badge shares your profile") == 1


def test_single_badge_layouts_have_no_cut_marks_to_stamp(app):
    items = [BadgeData(new_code(), "visitor", "Iñaki", "García Márquez", locale="en")]
    assert _sheet(app, items, "a6").templates == 1  # the visitors' design only


def test_names_stack_as_they_would_flow():
    card = DESIGNS["card"]
    first, last = Fit(("Jean-Christophe", "Alexandre"), 14.0, True), Fit(("Dupont",), 13.0, True)
    tops = text_tops(card, first, last)
    assert tops.first == card.text_top
    assert tops.last == pytest.approx(card.text_top + 2 * 14.0 * LINE_HEIGHT * MM_PER_PT + card.last_gap, abs=1e-3)
    assert tops.subtitle == pytest.approx(tops.last + 13.0 * LINE_HEIGHT * MM_PER_PT + card.subtitle_gap, abs=1e-3)
    # An empty family name takes no room: its margin and the subtitle's collapse into the larger.
    empty = text_tops(card, first, Fit((), 13.0, True))
    assert empty.subtitle == pytest.approx(tops.last - card.last_gap + card.subtitle_gap, abs=1e-3)
    assert text_tops(card, Fit((), 20.0, True), Fit((), 13.0, True)).subtitle == card.text_top + card.subtitle_gap


def test_a_sheet_that_lays_out_other_pages_than_planned_is_refused(app):
    sheet = _sheet(app, [BadgeData(new_code(), "candidate", "Zoë", "Müller", locale="fr")])
    with pytest.raises(RuntimeError, match="expected"):
        pdf.render_pdf(replace(sheet, templates=sheet.templates + 1), documents.settings())


def test_a_badge_whose_code_is_not_a_code_prints_without_a_qr_code(app, caplog):
    good = BadgeData(new_code(), "candidate", "Zoë", "Müller", locale="fr")
    sheet = _sheet(app, [good, replace(good, code="NOTACODE")])
    with caplog.at_level(logging.WARNING, logger="jobday.badges.stamping"):
        result = pdf.render_pdf(sheet, documents.settings())
    assert decoded_codes(result) == [[good.code]]
    assert "not a badge code" in caplog.text


def test_a_sheet_is_well_formed_xml_even_with_hostile_names(app, caplog):
    from xml.etree import ElementTree

    from tests.badges.test_badges_pdf import HOSTILE

    items = [BadgeData(new_code(), "recruiter", name, name, company=name, stand=name[:9], locale="en")
             for name in HOSTILE + ["]]> & <!-- \x00\x1f\ufffe", 'a"b\'c']]
    sheet = _sheet(app, items)
    ElementTree.fromstring(sheet.html)  # the fast parser takes it
    with caplog.at_level(logging.WARNING, logger="jobday.badges.pdf"):
        result = pdf.render_pdf(sheet, documents.settings())
    assert "not well-formed" not in caplog.text
    assert "]]> & <!--" in pdf_text(result)


def test_a_sheet_that_is_not_xml_is_parsed_as_html(app, caplog):
    layout = layouts.get_layout("card")
    faces = build_faces([BadgeData(new_code(), "candidate", "Zoë", "Müller", locale="fr")], EDITION, layout.face)
    [sheet] = documents.chunk_html(faces, layout, title="Jobdays\x01 2031")
    with caplog.at_level(logging.WARNING, logger="jobday.badges.pdf"):
        result = pdf.render_pdf(sheet, documents.settings())
    assert "not well-formed" in caplog.text
    assert "Müller" in pdf_text(result) and len(decoded_codes(result)[0]) == 1
