"""Exports respect consent, and a company's export holds only its own data."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from jobday.security import Role
from jobday.staff.models import AuditEntry
from tests import factories


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_candidates_export_hides_contact_details_without_consent(app, db, client, login_as, fair):
    login_as(Role.ADMIN)
    response = client.get(f"/staff/exports/candidates.csv?year={fair.edition.year}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = {row["last_name"]: row for row in _csv(response)}
    assert rows["Sharer"]["email"] == "ana@example.org"
    assert rows["Private"]["email"] == "" and rows["Private"]["phone"] == "" and rows["Private"]["cv"] == ""
    assert "bob@example.org" not in response.get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.detail == "kind=candidates;format=csv" and entry.object_id == fair.edition.id


def test_interviews_and_companies_exports(app, client, login_as, fair):
    login_as(Role.ADMIN)
    rows = _csv(client.get(f"/staff/exports/interviews.csv?year={fair.edition.year}"))
    assert {(row["company"], row["last_name"], row["email"]) for row in rows} == {
        ("Alpha Bio", "Sharer", "ana@example.org"), ("Beta Pharma", "Private", "")}
    companies = _csv(client.get(f"/staff/exports/companies.csv?year={fair.edition.year}"))
    assert {row["name"] for row in companies} == {"Alpha Bio", "Beta Pharma"}
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
    assert "ana@example.org" in values[1] + values[2]
    assert "bob@example.org" not in [v for row in values for v in row]


def test_excel_export_needs_csrf(client, login_as, fair):
    login_as(Role.ADMIN)
    assert client.post(f"/staff/exports/candidates.xlsx?year={fair.edition.year}").status_code == 400


def test_formulas_are_neutralised():
    from jobday.staff.exports import csv_stream

    text = "".join(csv_stream(("a",), [("=HYPERLINK(1)",)]))
    assert "'=HYPERLINK" in text


def test_door_list_pdf_sorted_by_family_name(app, client, login_as, fair):
    from jobday.staff.exports import door_list_entries

    factories.make_badge(fair.sharing, fair.edition)
    factories.make_badge(fair.private, fair.edition)
    assert [entry[0] for entry in door_list_entries(fair.edition)] == ["Private", "Sharer"]
    login_as(Role.ADMIN)
    response = client.get(f"/staff/exports/door-list.pdf?year={fair.edition.year}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


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
    assert {row["company"] for row in interviews} == {"Alpha Bio"}
    assert {row["last_name"]: row["email"] for row in interviews} == {"Sharer": "ana@example.org", "Private": ""}
    profiles = _csv(client.get("/company/exports/profiles.csv"))
    assert [row["last_name"] for row in profiles] == ["Sharer"]
    # Beta sees neither Ana's profile (she never met Beta) nor Alpha's interviews.
    login_as(factories.company_admin(fair.company_b))
    interviews = _csv(client.get("/company/exports/interviews.csv"))
    assert {row["company"] for row in interviews} == {"Beta Pharma"}
    assert "ana@example.org" not in str(interviews)
    assert _csv(client.get("/company/exports/profiles.csv")) == []
