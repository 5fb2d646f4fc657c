"""A new candidate on a phone: the public edition page, sign-up, the confirmation link from
the mailbox, the profile (a refused post first), a CV, registration, the candidate's home, then
an interview booked, moved and cancelled, and the badge. Every page is checked at 390 px
(``phone_checks``: no sideways scroll, a short header, named controls, a focused error summary)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from jobday.extensions import db
from tests import factories
from tests.e2e.phone_checks import check_page
from tests.factories import make_edition, make_pdf

pytestmark = pytest.mark.e2e

EMAIL = "lea.dubois@example.org"
PASSWORD = "violet tractor under moonlight"


def test_new_candidate_from_edition_page_to_home_on_a_phone(live_server, phone_page, mailbox):
    with live_server.app.app_context():
        edition = make_edition(year=2026, capacity=100, venue_address="Rue Adrienne Bolland, 6041 Gosselies")
        autolia = factories.make_participation(factories.make_company(
            name="Autolia", description_fr="Laboratoire de contrôle qualité", website="https://autolia.example"),
            edition, stand="A3")
        factories.make_offer(autolia.company, title="Technicienne QC", description="Analyses microbiologiques")
        factories.make_participation(factories.make_company(name="Aérofret"), edition, stand="B1")
        db.session.commit()
        year, autolia_id = edition.year, autolia.id
    page = phone_page
    base = live_server.url

    page.goto(f"{base}/editions/{year}")
    assert page.locator("html").get_attribute("lang") == "fr"
    check_page(page, "edition page")
    page.locator(f"a[href='/editions/{year}/signup']").click()
    check_page(page, "sign-up")

    page.fill("#first_name", "Léa")
    page.fill("#last_name", "Dubois-Ñúñez")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    page.locator("main form button[type=submit]").click()
    assert EMAIL in page.locator("main").inner_text()
    check_page(page, "check your mailbox")

    # The link opened in the browser that signed up logs in. Registration first needs the
    # short profile: we land on it, then come back.
    page.goto(base + mailbox.link(EMAIL, f"/editions/{year}/confirm/"))
    page.wait_for_url(re.compile(r"/candidate/profile\?next="))
    assert page.input_value("#first_name") == "Léa"
    check_page(page, "profile")
    # A refused post (no education level) keeps what was typed and focuses the summary.
    page.locator("input[name=job_areas][value=quality_control]").check()
    page.locator(".profile-form button[type=submit]").click()
    page.wait_for_load_state()
    check_page(page, "profile refused")
    assert page.locator("input[name=job_areas][value=quality_control]").is_checked()
    assert page.evaluate("document.activeElement.className") == "form-errors"
    page.locator("input[name=education_level][value=bachelor]").check()
    page.locator("input[name=job_areas][value=production]").check()
    assert page.locator(".profile-form details").get_attribute("open") is not None  # opened by the error
    page.fill("#phone", "0470 12 34 56")
    page.fill("#postcode", "6041")
    page.locator(".profile-form button[type=submit]").click()
    page.wait_for_url(f"**/editions/{year}/register")

    check_page(page, "register")
    # The CV, on the way to the registration: the next step is kept.
    page.goto(f"{base}/candidate/profile?next=/editions/{year}/register")
    page.set_input_files("#cv", files=[{"name": "CV Léa.pdf", "mimeType": "application/pdf",
                                         "buffer": make_pdf()}])
    page.locator("form[action='/candidate/cv'] button[type=submit]").click()
    page.wait_for_url(f"**/candidate/profile?next=/editions/{year}/register")
    assert page.locator("a[href='/candidate/cv']").inner_text() == "CV Léa.pdf"
    check_page(page, "profile with a CV")

    page.goto(f"{base}/candidate")
    page.locator(f"a[href='/editions/{year}/register']").click()
    assert "0470 12 34 56" in page.locator("main").inner_text()
    page.locator(f"form[action='/editions/{year}/register'] button[type=submit]").click()

    page.wait_for_url("**/candidate")
    assert page.locator(".home-card .pill-ok").count() == 1
    assert "Gosselies" in page.locator("main").inner_text()
    check_page(page, "home, registered")

    # The companies, searched without accents, in the reader's order; one company's page.
    page.locator("nav.role-nav a[href='/interviews']").click()
    check_page(page, "companies")
    names = page.locator(".company-list strong").all_inner_texts()
    assert names == ["Aérofret", "Autolia"]
    page.fill("#q", "aero")
    page.locator("form.filters button[type=submit]").click()
    assert page.locator(".company-list strong").all_inner_texts() == ["Aérofret"]
    assert "1 entreprise" in page.locator(".result-count").inner_text()
    page.goto(f"{base}/interviews/companies/{autolia_id}")
    check_page(page, "a company")
    assert "Laboratoire de contrôle qualité" in page.locator("main").inner_text()
    page.locator("main a", has_text="Technicienne QC").click()
    check_page(page, "an offer")
    page.locator("main a[role=button]", has_text="Réserver un entretien").click()
    page.wait_for_url(f"**/interviews/companies/{autolia_id}")

    # Book, move, cancel.
    page.locator(".slot-free button").first.click()
    page.wait_for_url("**/interviews/agenda**")
    check_page(page, "agenda")
    assert "Autolia" in page.locator("main").inner_text()
    page.locator("a[href$='/move']").first.click()
    check_page(page, "move")
    page.locator("main button[name=slot_id]", has_text="11:00").first.click()
    page.wait_for_url("**/interviews/agenda")
    assert "11:00" in page.locator("main").inner_text()
    page.goto(f"{base}/candidate")
    check_page(page, "home with an interview")
    assert "Autolia" in page.locator("#interviews-heading + ul").inner_text()
    page.goto(f"{base}/interviews/agenda")
    page.locator("main details summary", has_text="Annuler").first.click()
    page.locator("main details button", has_text="Annuler").first.click()
    page.wait_for_load_state()
    check_page(page, "agenda after cancelling")

    # The other pages of a candidate's menu and home.
    for path in ("/interviews/waitlists", "/interviews/applications", "/interviews/wishes", "/candidate/consents",
                 "/candidate/privacy", f"/editions/{year}/withdraw", "/account/settings", "/offers", "/exhibitors"):
        page.goto(base + path)
        check_page(page, path)

    # The badge.
    page.goto(f"{base}/candidate")
    badge = page.locator(".badge-card a[role=button]")
    response = page.request.get(base + badge.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")

    with live_server.app.app_context():
        from jobday.accounts.models import User
        from jobday.candidates.models import Registration

        user = db.session.scalar(select(User).where(User.email == EMAIL))
        registration = db.session.scalar(select(Registration).where(Registration.user_id == user.id))
        assert registration.status == "registered"
    # The confirmation link, the registration, then the booking, its move and its cancellation.
    assert len(mailbox.to(EMAIL)) == 5
