"""Company registration, the company's home and profile, through HTTP."""

import re

from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.companies.models import Company, Participation
from jobday.security import Role
from tests import factories

SIGNUP = {
    "first_name": "Sophie", "last_name": "Lambert", "email": "sophie@vaxolis.example",
    "password": "purple elephant dances slowly", "password_confirm": "purple elephant dances slowly",
    "name": "Vaxolis", "enterprise_number": "0123.456.749", "sector": "biopharma",
    "description_fr": "Vaccins", "description_en": "Vaccines", "website": "vaxolis.example",
    "contact_name": "Sophie Lambert", "contact_phone": "071 12 34 56",
}
EN = {"Accept-Language": "en"}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_visitor_registers_the_company_with_a_recruiter_account(client, db, mailbox):
    response = client.post_form("/company/register", SIGNUP, headers=EN)
    assert response.status_code == 200
    assert "Check your mailbox" in response.get_data(as_text=True)
    company = db.session.scalar(select(Company))
    assert company.name == "Vaxolis" and company.enterprise_number == "0123456749"
    user = db.session.scalar(select(User).where(User.email == "sophie@vaxolis.example"))
    assert user.has_role(Role.RECRUITER) and not user.has_role(Role.CANDIDATE)
    assert company.members[0].user_id == user.id and company.members[0].is_admin
    assert mailbox.link("sophie@vaxolis.example", "/account/confirm/")


def test_registering_an_existing_company_names_a_colleague_and_creates_nothing(client, db, company):
    admin = factories.company_admin(company)
    db.session.commit()
    users = count(db, User)
    response = client.post_form("/company/register", {**SIGNUP, "name": "VAXOLIS", "enterprise_number": "",
                                                      "is_foreign": "y"}, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Ask your colleague {admin.first_name} for an invitation" in page
    assert admin.email not in page
    assert count(db, User) == users and count(db, Company) == 1


def test_a_bad_enterprise_number_is_refused_in_english_and_french(client, db):
    bad = {**SIGNUP, "enterprise_number": "0123.456.748"}
    response = client.post_form("/company/register", bad, headers=EN)
    assert response.status_code == 422
    assert "check digits do not match" in response.get_data(as_text=True)
    response = client.post_form("/company/register", {**SIGNUP, "enterprise_number": "0123.456.748"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and '<html lang="fr">' in page
    assert 'aria-invalid="true"' in page and 'id="enterprise_number-error"' in page
    assert count(db, Company) == 0 and count(db, User) == 0


def test_registration_without_csrf_token_is_refused(client, db):
    response = client.post("/company/register", data=SIGNUP)
    assert response.status_code == 400
    assert count(db, Company) == 0


def test_a_logged_in_user_without_company_registers_one(client, db, login_as):
    user = login_as("candidate")
    fields = {k: v for k, v in SIGNUP.items() if k not in ("first_name", "last_name", "email", "password",
                                                            "password_confirm")}
    response = client.post_form("/company/register", fields)
    assert response.status_code == 302 and response.headers["Location"].endswith("/company")
    db.session.refresh(user)
    assert user.has_role(Role.RECRUITER)
    assert client.get("/company").status_code == 200


def test_a_member_is_sent_from_the_registration_page_to_the_company(client, admin):
    assert client.get("/company/register").status_code == 302


def test_the_home_shows_the_company_its_status_team_and_offers(client, db, admin, company, edition):
    factories.make_participation(company, edition, status="approved", stand="B12")
    factories.make_offer(company, title="Analyste HPLC")
    db.session.commit()
    page = client.get("/company", headers=EN).get_data(as_text=True)
    assert "Vaxolis" in page and "Approved" in page and "B12" in page
    assert "Analyste HPLC" in page and admin.display_name in page
    assert "09:30" in page  # the generated slots of the table


def test_the_home_names_each_tables_recruiter_and_who_holds_each_slot(client, db, admin, company, edition):
    participation = factories.make_participation(company, edition, status="approved")
    table = participation.tables[0]
    table.recruiter_id = admin.id
    candidate = factories.make_candidate(first_name="Zoé", last_name="Müller")
    table.slots[0].held_by_candidate_id = candidate.id
    db.session.commit()
    page = client.get("/company", headers=EN).get_data(as_text=True)
    assert f"<strong>{table.name}</strong> · {admin.display_name}</header>" in page
    assert '<li class="slot slot-held">' in page and "Zoé Müller" in page


def test_the_home_offers_to_apply_and_the_application_is_saved(client, db, admin, company, edition):
    db.session.commit()
    assert "Apply" in client.get("/company", headers=EN).get_data(as_text=True)
    response = client.post_form("/company/apply", {"recruiters_coming": "3", "tables_wanted": "2",
                                                   "needs_power": "y"})
    assert response.status_code == 302
    participation = db.session.scalar(select(Participation))
    assert participation.status == "pending"
    assert (participation.tables_wanted, participation.needs_power) == (2, True)
    # Applying twice is refused; nothing changes.
    client.post_form("/company/apply", {"recruiters_coming": "1", "tables_wanted": "1"})
    assert count(db, Participation) == 1


def test_who_may_see_the_company_home(client, db, login_as, company):
    assert client.get("/company").status_code == 302  # anonymous: to the login page
    login_as("candidate")
    assert client.get("/company").status_code == 403  # wrong role
    login_as(factories.make_user(roles=(Role.RECRUITER,)))
    assert client.get("/company").status_code == 404  # a recruiter without a company


def test_the_profile_is_edited_by_a_member_with_checks(client, db, admin, company):
    db.session.commit()
    page = client.get("/company/profile").get_data(as_text=True)
    assert re.search(r'value="\d{4}\.\d{3}\.\d{3}"', page)
    response = client.post_form("/company/profile", {"name": "Vaxolis Belgium", "enterprise_number":
                                                     "BE0123456749", "sector": "cdmo"})
    assert response.status_code == 302
    db.session.refresh(company)
    assert (company.name, company.sector) == ("Vaxolis Belgium", "cdmo")
    response = client.post_form("/company/profile", {"name": "Vaxolis", "enterprise_number": "0123456749",
                                                     "sector": "cdmo", "website": "javascript:alert(1)"},
                                headers=EN)
    assert response.status_code == 422
    assert "http:// or https://" in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.name == "Vaxolis Belgium"


def test_navigation_shows_my_company_to_recruiters(client, admin):
    assert 'href="/company"' in client.get("/").get_data(as_text=True)


def test_kept_slot_lists_follow_the_slots_and_the_language(client, db, admin, company, edition):
    """The slot lists are kept once rendered for what they show: a slot taken or freed, or
    another language, is a list of its own; the pending invitations are counted."""
    participation = factories.make_participation(company, edition, status="approved")
    slot = participation.tables[0].slots[0]
    db.session.commit()
    for _ in range(2):
        page = client.get("/company", headers=EN).get_data(as_text=True)
        assert '<li class="slot slot-held">' not in page and "Slots of " in page
    candidate = factories.make_candidate(first_name="Zoé", last_name="Müller")
    slot.held_by_candidate_id = candidate.id
    db.session.commit()
    for headers, slots_of in ((EN, "Slots of "), ({"Accept-Language": "fr"}, "Créneaux de ")):
        for address in ("/company", "/company/plan"):
            page = client.get(address, headers=headers).get_data(as_text=True)
            assert '<li class="slot slot-held">' in page and "Zoé Müller" in page and slots_of in page
    slot.held_by_candidate_id = None
    db.session.commit()
    assert "Zoé Müller" not in client.get("/company", headers=EN).get_data(as_text=True)
    assert "invitation waiting" not in client.get("/company", headers=EN).get_data(as_text=True)
    assert client.post_form("/company/team/invite", {"email": "new@vaxolis.be"}).status_code == 302
    assert "1 invitation waiting for an answer." in client.get("/company", headers=EN).get_data(as_text=True)


def test_kept_forms_show_the_saved_values_and_a_sent_form_its_own(client, db, admin, company):
    """The profile and offer forms' fields are kept for the values they show: a saved change
    shows at once, a refused form shows what was sent with its errors, each in its language."""
    for _ in range(2):
        page = client.get("/company/profile", headers=EN).get_data(as_text=True)
        assert 'value="Vaxolis"' in page and "Company name" in page and 'name="csrf_token"' in page
    assert "Nom de l&#39;entreprise" in client.get("/company/profile", headers={"Accept-Language": "fr"}).get_data(
        as_text=True)
    company.name, company.description_fr = 'Vaxolis & "Fils"', "<b>Vaccins</b>"
    db.session.commit()
    page = client.get("/company/profile", headers=EN).get_data(as_text=True)
    assert 'value="Vaxolis &amp; &#34;Fils&#34;"' in page and "&lt;b&gt;Vaccins&lt;/b&gt;" in page
    refused = client.post_form("/company/profile", {"name": "", "sector": company.sector}, headers=EN)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and 'value="Vaxolis' not in page
    assert 'aria-invalid="true"' not in client.get("/company/profile", headers=EN).get_data(as_text=True)

    offer = factories.make_offer(company, title="Analyste HPLC")
    db.session.commit()
    assert 'value="Analyste HPLC"' in client.get(f"/company/offers/{offer.id}/edit", headers=EN).get_data(as_text=True)
    offer.title = "Analyste GC"
    db.session.commit()
    page = client.get(f"/company/offers/{offer.id}/edit", headers=EN).get_data(as_text=True)
    assert 'value="Analyste GC"' in page and "Analyste HPLC" not in page
    assert 'value=""' in client.get("/company/offers/new", headers=EN).get_data(as_text=True)


def test_the_kept_offer_list_carries_the_pages_csrf_token(client, db, admin, company, edition):
    """The company page's offers are kept with a hole for the CSRF token: each page fills in its own."""
    import re

    factories.make_offer(company, title="Analyste HPLC")
    db.session.commit()
    for _ in range(2):
        page = client.get("/company", headers=EN).get_data(as_text=True)
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
        assert len(tokens) == 1 and "kept" not in next(iter(tokens)) and "Analyste HPLC" in page
    close = re.search(r'action="(/company/offers/\d+/close)"', page)[1]
    assert client.post(close, data={"csrf_token": tokens.pop()}).status_code == 302
    page = client.get("/company", headers=EN).get_data(as_text=True)
    assert "/reopen" in page and "Reopen" in page
