"""The one tabular writer: CSV that Belgian Excel opens in columns (UTF-8 BOM, ";"), XLSX with
a frozen header row and filters, headers and codes in the reader's language, phone numbers
without an apostrophe, and nothing a person typed ever run as a formula."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from jobday import tabular
from jobday.candidates.models import RegistrationStatus
from jobday.vocabulary import JobArea

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ("Nom", "Statut", "Domaines", "Téléphone", "Partage", "Début", "Nombre")
ROW = ("=HYPERLINK(\"http://evil\",\"x\")", RegistrationStatus.WAITLISTED,
       [JobArea.QUALITY_CONTROL, JobArea.RND], tabular.table_phone("+32470123456"), True,
       datetime(2027, 3, 18, 9, 20, tzinfo=UTC), 3)


def test_csv_for_french_readers(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        data = tabular.csv_text(HEADERS, [ROW]).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the accents
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(HEADERS)
    assert rows[1] == ["'=HYPERLINK(\"http://evil\",\"x\")", "Sur la liste d'attente",
                       "Contrôle qualité, R&D", "0470 12 34 56", "oui", "18/03/2027 10:20", "3"]


def test_csv_for_english_readers_uses_commas(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        data = tabular.csv_text(("Name", "Status"), [("Zoë", RegistrationStatus.REGISTERED)])
    assert data == "\ufeffName,Status\r\nZoë,Registered\r\n"


@pytest.mark.parametrize("dangerous", ["=1+2", "+32 470", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_start_is_neutralised_in_csv(app, dangerous):
    with force_locale("fr"):
        cell = list(csv.reader(io.StringIO(tabular.csv_text(("a",), [(dangerous,)]).lstrip("\ufeff")),
                               delimiter=";"))[1][0]
    assert cell == "'" + dangerous


def test_phone_numbers_never_start_with_a_formula_character():
    assert tabular.table_phone("+32470123456") == "0470 12 34 56"
    assert tabular.table_phone("+33612345678") == "0033 6 12 34 56 78"
    assert tabular.table_phone("") == "" and tabular.table_phone(None) == ""
    assert not tabular.table_phone("+4915112345678").startswith(tabular.FORMULA_STARTS)


def test_xlsx_has_a_frozen_header_filters_and_string_cells(app):
    with force_locale("fr"):
        content = tabular.xlsx_bytes(HEADERS, [ROW, ROW], title="Candidat·es: 2027/liste")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Candidat·es  2027 liste"  # Excel refuses : and / in sheet names
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    assert [cell.value for cell in sheet[1]] == list(HEADERS) and sheet["A1"].font.bold
    name, status, areas, phone, shares, start, number = sheet[2]
    assert name.value == "=HYPERLINK(\"http://evil\",\"x\")" and name.data_type == "s"  # text, not a formula
    assert (status.value, areas.value, phone.value, shares.value) == (
        "Sur la liste d'attente", "Contrôle qualité, R&D", "0470 12 34 56", "oui")
    assert phone.data_type == "s" and not phone.value.startswith("'")
    assert start.value == datetime(2027, 3, 18, 10, 20) and start.number_format == "dd/mm/yyyy hh:mm"
    assert number.value == 3 and number.data_type == "n"


def test_every_table_of_the_project_goes_through_the_one_writer():
    pattern = re.compile(r"^\s*(import csv|from csv |import openpyxl|from openpyxl)")
    found = [str(path.relative_to(ROOT)) for path in (ROOT / "jobday").rglob("*.py")
             if path.name != "tabular.py" and any(pattern.match(line) for line in path.read_text().splitlines())]
    assert found == []
