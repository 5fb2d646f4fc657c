"""Exports respect consent, and a company's export holds only its own data."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from jobday.security import Role
from jobday.staff.models import AuditEntry
from tests import factories


def _csv(response) -> list[dict]:
    """Rows of a CSV download as Belgian Excel reads it: BOM first, columns separated by ";"."""
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_candidates_export_hides_contact_details_without_consent(app, db, client, login_as, fair):
    login_as(Role.ADMIN)
    response = client.get(f"/staff/exports/candidates.csv?year={fair.edition.year}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = {row["Nom de famille"]: row for row in _csv(response)}
    assert rows["Sharer"]["E-mail"] == "ana@example.org" and rows["Sharer"]["Partage son profil"] == "oui"
    assert rows["Sharer"]["Statut d’inscription"] == "Inscrit·e"
    assert rows["Sharer"]["Niveau d'études"] == "Master" and rows["Sharer"]["Domaines"] == "Contrôle qualité"
    private = rows["Private"]
    assert private["E-mail"] == "" and private["Téléphone"] == "" and private["CV"] == ""
    assert "bob@example.org" not in response.get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.detail == "kind=candidates;format=csv" and entry.object_id == fair.edition.id


def test_interviews_and_companies_exports(app, client, login_as, fair):
    login_as(Role.ADMIN)
    rows = _csv(client.get(f"/staff/exports/interviews.csv?year={fair.edition.year}"))
    assert {(row["Entreprise"], row["Nom de famille"], row["E-mail"]) for row in rows} == {
        ("Alpha Bio", "Sharer", "ana@example.org"), ("Beta Pharma", "Private", "")}
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row["Début"]) for row in rows)
    companies = _csv(client.get(f"/staff/exports/companies.csv?year={fair.edition.year}"))
    assert {(row["Entreprise"], row["Statut"]) for row in companies} == {("Alpha Bio", "Approuvée"),
                                                                       ("Beta Pharma", "Approuvée")}
    assert client.get(f"/staff/exports/nope.csv?year={fair.edition.year}").status_code == 404


def test_excel_export_runs_as_a_job(app, client, login_as, fair):
    from openpyxl import load_workbook

    login_as(Role.ADMIN)
    response = client.post_form(f"/staff/exports/candidates.xlsx?year={fair.edition.year}")
    assert response.status_code == 303
    job_url = response.headers["Location"]
    download = client.get(job_url + "/download")
    assert download.status_code == 200
    content = download.data
    download.close()
    sheet = load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["N°", "Prénom", "Nom de famille"] and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{len(values)}"
    assert "ana@example.org" in values[1] + values[2]
    assert "bob@example.org" not in [v for row in values for v in row]


def test_excel_export_needs_csrf(client, login_as, fair):
    login_as(Role.ADMIN)
    assert client.post(f"/staff/exports/candidates.xlsx?year={fair.edition.year}").status_code == 400


def test_a_typed_formula_is_shown_not_run_in_every_export(app, db, client, login_as, fair):
    """A name is what a person typed: "=HYPERLINK(...)" must reach the spreadsheet as text (it
    went out raw in the organiser's interview list)."""
    fair.sharing.first_name = '=HYPERLINK("http://evil.example","Cliquez")'
    db.session.commit()
    login_as(Role.ADMIN)
    for url in (f"/staff/exports/candidates.csv?year={fair.edition.year}",
                f"/staff/exports/interviews.csv?year={fair.edition.year}", "/organiser/interviews.csv"):
        cells = [cell for row in _csv(client.get(url)) for cell in row.values() if "HYPERLINK" in cell]
        assert cells and all(cell.startswith("'=HYPERLINK(") for cell in cells), url


def test_the_organisers_interview_list_is_in_french_for_belgian_excel(app, client, login_as, fair):
    login_as(Role.ADMIN)
    rows = _csv(client.get("/organiser/interviews.csv"))
    assert {(row["Entreprise"], row["Origine"]) for row in rows} >= {("Alpha Bio", "Réservé par le ou la candidat·e")}
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row["Début"]) for row in rows)


def test_door_list_pdf_sorted_by_family_name(app, client, login_as, fair):
    from jobday.staff.exports import door_list_entries

    factories.make_badge(fair.sharing, fair.edition)
    factories.make_badge(fair.private, fair.edition)
    assert [entry[0] for entry in door_list_entries(fair.edition)] == ["Private", "Sharer"]
    login_as(Role.ADMIN)
    # A job makes it (seconds for a thousand names): the request only starts it.
    response = client.post_form(f"/staff/exports/door-list.pdf?year={fair.edition.year}")
    assert response.status_code == 303 and "/jobs/" in response.headers["Location"]
    job_page = response.headers["Location"]
    download = client.get(f"{job_page}/download")
    body, disposition = download.data, download.headers["Content-Disposition"]
    download.close()
    assert download.status_code == 200 and body.startswith(b"%PDF")
    assert f"door-list-{fair.edition.year}.pdf" in disposition
    assert client.get(f"/staff/exports/door-list.pdf?year={fair.edition.year}").status_code == 405


def test_a_company_exports_only_its_own_interviews_and_shared_profiles(app, db, client, login_as, fair):
    # Bob (who shares with no one) also booked Alpha: Alpha sees the interview, not his e-mail.
    from jobday.companies.models import InterviewSlot, InterviewTable
    from jobday.scheduling.models import Booking

    slot = db.session.scalars(select(InterviewSlot).join(InterviewTable)
                              .where(InterviewTable.participation_id == fair.part_a.id)
                              .order_by(InterviewSlot.starts_at.desc())).first()
    factories.hold_slot(slot, fair.private)
    db.session.add(Booking(edition_id=fair.edition.id, participation_id=fair.part_a.id, slot_id=slot.id,
                           candidate_id=fair.private.id, starts_at=slot.starts_at, ends_at=slot.ends_at))
    db.session.commit()
    login_as(factories.company_admin(fair.company_a))
    interviews = _csv(client.get("/company/exports/interviews.csv"))
    assert {row["Entreprise"] for row in interviews} == {"Alpha Bio"}
    assert {row["Nom de famille"]: row["E-mail"] for row in interviews} == {"Sharer": "ana@example.org",
                                                                            "Private": ""}
    profiles = _csv(client.get("/company/exports/profiles.csv"))
    assert [row["Nom de famille"] for row in profiles] == ["Sharer"]
    assert _xlsx_rows(client.get("/company/exports/profiles.xlsx"))[1][2] == "Sharer"
    # Beta sees neither Ana's profile (she never met Beta) nor Alpha's interviews.
    login_as(factories.company_admin(fair.company_b))
    interviews = _csv(client.get("/company/exports/interviews.csv"))
    assert {row["Entreprise"] for row in interviews} == {"Beta Pharma"}
    assert "ana@example.org" not in str(interviews)
    assert _csv(client.get("/company/exports/profiles.csv")) == []
    assert "ana@example.org" not in str(_xlsx_rows(client.get("/company/exports/interviews.xlsx")))
    assert len(_xlsx_rows(client.get("/company/exports/profiles.xlsx"))) == 1  # the header only


def _xlsx_rows(response) -> list[list]:
    from openpyxl import load_workbook

    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_a_company_finds_its_exports_on_its_pages_in_excel_and_csv(app, client, login_as, fair):
    login_as(factories.company_admin(fair.company_a))
    home = client.get("/company").get_data(as_text=True)
    for link in ("/company/exports/interviews.xlsx", "/company/exports/interviews.csv",
                 "/company/exports/profiles.xlsx", "/company/exports/profiles.csv"):
        assert f'href="{link}"' in home
    assert 'href="/company/exports/interviews.xlsx"' in client.get("/company/day").get_data(as_text=True)
    assert 'href="/company/exports/profiles.xlsx"' in client.get("/company/applicants").get_data(as_text=True)
    rows = _xlsx_rows(client.get("/company/exports/interviews.xlsx"))
    assert rows[0][:3] == ["Entreprise", "Table", "Début"]
    assert rows[1][0] == "Alpha Bio" and rows[1][2].year >= 2000  # a real date, not text
