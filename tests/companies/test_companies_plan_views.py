"""The plan page and the organiser pages over HTTP."""

import re
from html import unescape

from sqlalchemy import func, select

from jobday.companies.models import InterviewSlot, Participation
from jobday.security import Role
from tests import factories

EN = {"Accept-Language": "en"}


def slots(db) -> int:
    return db.session.scalar(select(func.count(InterviewSlot.id)))


def test_the_plan_page_lists_tables_and_generated_slots(client, db, admin, company, edition):
    factories.make_participation(company, edition, hours="09:30-10:30")
    db.session.commit()
    page = client.get("/company/plan", headers=EN).get_data(as_text=True)
    assert "Table 1" in page and "09:30" in page and "10:00" in page and "Slots (2)" in page


def test_no_participation_no_plan_page(client, admin, edition):
    assert client.get("/company/plan").status_code == 404


def test_settings_change_regenerates_the_slots(client, db, admin, company, edition):
    participation = factories.make_participation(company, edition, hours="09:30-10:30")
    db.session.commit()
    response = client.post_form(
        "/company/plan/settings", {"slot_minutes": "30", "pause_minutes": "0", "booking_mode": "apply"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    participation = db.session.get(Participation, participation.id)
    assert (participation.slot_minutes, participation.booking_mode) == (30, "apply") and slots(db) == 2
    response = client.post_form(
        "/company/plan/settings",
        {"slot_minutes": "5", "pause_minutes": "0", "booking_mode": "open"},
        headers=EN,
    )
    assert response.status_code == 422 and "Number must be between 10 and 60" in response.get_data(
        as_text=True
    )


def test_a_change_dropping_a_booking_is_refused_with_the_list_then_confirmed(
    client, db, admin, company, edition, mailbox
):
    participation = factories.make_participation(company, edition, hours="09:30-10:30")
    table = participation.tables[0]
    candidate = factories.make_user(first_name="Inès", last_name="Ben Salah", email="ines@example.org")
    factories.hold_slot(table.slots[1], candidate)
    db.session.commit()
    data = {
        f"t{table.id}-name": "Table 1",
        f"t{table.id}-recruiter_id": "",
        f"t{table.id}-hours-0": "09:30-10:00",
    }
    response = client.post_form(f"/company/plan/tables/{table.id}", data, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Inès Ben Salah" in page and "Nothing was changed" in page
    assert slots(db) == 2 and mailbox.messages == []
    response = client.post_form(
        f"/company/plan/tables/{table.id}", {**data, f"t{table.id}-confirm_cancel": "y"}
    )
    assert response.status_code == 302
    assert slots(db) == 1
    assert mailbox.to("ines@example.org")


def test_bad_hours_show_on_the_table_form(client, db, admin, company, edition):
    participation = factories.make_participation(company, edition, hours="09:30-10:30")
    table = participation.tables[0]
    db.session.commit()
    response = client.post_form(
        f"/company/plan/tables/{table.id}",
        {f"t{table.id}-name": "Table 1", f"t{table.id}-hours-0": "9h30 à midi"},
        headers=EN,
    )
    assert response.status_code == 422 and "ranges such as" in response.get_data(as_text=True)
    assert slots(db) == 2


def test_adding_and_deleting_tables(client, db, admin, company, edition):
    factories.make_participation(company, edition, hours="09:30-10:30")
    db.session.commit()
    response = client.post_form(
        "/company/plan/tables",
        {"new-name": "Table 2", "new-recruiter_id": str(admin.id), "new-hours-0": "13:30-14:30"},
    )
    assert response.status_code == 302 and slots(db) == 4
    participation = db.session.scalar(select(Participation))
    table2 = [t for t in participation.tables if t.name == "Table 2"][0]
    assert table2.recruiter_id == admin.id
    assert client.post_form(f"/company/plan/tables/{table2.id}/delete").status_code == 302
    assert slots(db) == 2


def test_organiser_lists_filters_and_approves_with_a_stand(client, db, login_as, edition, mailbox):
    pending = factories.make_participation(factories.make_company(name="Vaxolis"), edition, status="pending")
    factories.make_participation(
        factories.make_company(name="Mosanis"), edition, status="approved", stand="A1"
    )
    login_as("admin")
    page = client.get("/staff/companies?status=pending").get_data(as_text=True)
    assert "Vaxolis" in page and "Mosanis" not in page
    assert "Mosanis" in client.get("/staff/companies?status=approved").get_data(as_text=True)
    assert "Table 1" in client.get(f"/staff/companies/{pending.id}").get_data(as_text=True)
    response = client.post_form(
        f"/staff/companies/{pending.id}/decide", {"stand": "A1", "approve": "y"}, headers=EN
    )
    assert response.status_code == 422 and "Stand A1 is already assigned" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participation, pending.id).status == "pending" and mailbox.messages == []
    response = client.post_form(
        f"/staff/companies/{pending.id}/decide", {"stand": "A2", "message": "Welcome", "approve": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participation, pending.id).stand == "A2"
    assert len(mailbox.messages) == 1
    response = client.post_form(f"/staff/companies/{pending.id}/stand", {"stand": "A1"}, headers=EN)
    assert response.status_code == 422


def test_organiser_declines_with_a_message(client, db, login_as, edition, mailbox):
    participation = factories.make_participation(factories.make_company(), edition, status="pending")
    login_as("admin")
    response = client.post_form(
        f"/staff/companies/{participation.id}/decide", {"message": "Plus de place", "decline": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participation, participation.id).status == "declined"
    assert "Plus de place" in mailbox.text(mailbox.messages[0])


def test_organiser_pages_refuse_other_roles(client, db, login_as, edition):
    participation = factories.make_participation(factories.make_company(), edition, status="pending")
    for role in (Role.RECRUITER, Role.STAFF, Role.CANDIDATE):
        login_as(role)
        assert client.get("/staff/companies").status_code == 403
        assert (
            client.post_form(f"/staff/companies/{participation.id}/decide", {"approve": "y"}).status_code
            == 403
        )
    db.session.expire_all()
    assert db.session.get(Participation, participation.id).status == "pending"
    login_as("admin")
    assert client.get("/staff/companies/999999").status_code == 404


def test_the_saved_plan_says_what_changed_in_good_french(client, db, admin, company, edition):
    factories.make_participation(company, edition, hours="09:30-10:30", slot_minutes=30, pause_minutes=0)
    db.session.commit()
    FR = {"Accept-Language": "fr"}
    same = {"slot_minutes": "30", "pause_minutes": "0", "booking_mode": "apply"}  # only the mode changes
    page = unescape(client.post_form("/company/plan/settings", same, headers=FR,
                                     follow_redirects=True).get_data(as_text=True))
    assert "les créneaux n'ont pas changé" in page and "0 créneaux" not in page
    shorter = {"slot_minutes": "20", "pause_minutes": "0", "booking_mode": "apply"}  # 09:30, 09:50, 10:10
    page = client.post_form("/company/plan/settings", shorter, headers=FR, follow_redirects=True).get_data(as_text=True)
    assert re.search(r"Le planning est enregistré\s: \d+ créneaux? ajoutés?, \d+ supprimés?\.", page)
    assert not re.search(r"\b[01] créneaux|\b[01] supprimés", page)
