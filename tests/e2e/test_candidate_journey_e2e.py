"""A new candidate on a phone: the public edition page, sign-up, the confirmation link from
the mailbox, the profile, a CV, registration, and the candidate's home."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from jobday.extensions import db
from tests.factories import make_edition, make_pdf

pytestmark = pytest.mark.e2e

EMAIL = "lea.dubois@example.org"
PASSWORD = "violet tractor under moonlight"


def test_new_candidate_from_edition_page_to_home_on_a_phone(live_server, phone_page, mailbox):
    with live_server.app.app_context():
        edition = make_edition(year=2026, capacity=100, venue_address="Rue Adrienne Bolland, 6041 Gosselies")
        db.session.commit()
        year = edition.year
    page = phone_page
    base = live_server.url

    page.goto(f"{base}/editions/{year}")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator(f"a[href='/editions/{year}/signup']").click()

    page.fill("#first_name", "Léa")
    page.fill("#last_name", "Dubois-Ñúñez")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    page.locator("main form button[type=submit]").click()
    assert EMAIL in page.locator("main").inner_text()

    # The link opened in the browser that signed up logs in. Registration first needs the
    # short profile: we land on it, then come back.
    page.goto(base + mailbox.link(EMAIL, f"/editions/{year}/confirm/"))
    page.wait_for_url(re.compile(r"/candidate/profile\?next="))
    assert page.input_value("#first_name") == "Léa"
    page.locator("input[name=education_level][value=bachelor]").check()
    page.locator("input[name=job_areas][value=quality_control]").check()
    page.locator("input[name=job_areas][value=production]").check()
    page.locator(".profile-form summary").click()
    page.fill("#phone", "0470 12 34 56")
    page.fill("#postcode", "6041")
    page.locator(".profile-form button[type=submit]").click()
    page.wait_for_url(f"**/editions/{year}/register")

    page.goto(f"{base}/candidate/profile")
    page.set_input_files("#cv", files=[{"name": "CV Léa.pdf", "mimeType": "application/pdf",
                                         "buffer": make_pdf()}])
    page.locator("form[action='/candidate/cv'] button[type=submit]").click()
    page.wait_for_url("**/candidate/profile")
    assert page.locator("a[href='/candidate/cv']").inner_text() == "CV Léa.pdf"

    page.goto(f"{base}/candidate")
    page.locator(f"a[href='/editions/{year}/register']").click()
    assert "0470 12 34 56" in page.locator("main").inner_text()
    page.locator(f"form[action='/editions/{year}/register'] button[type=submit]").click()

    page.wait_for_url("**/candidate")
    assert page.locator(".home-card .pill-ok").count() == 1
    assert "Gosselies" in page.locator("main").inner_text()
    # Nothing sticks out of a phone screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with live_server.app.app_context():
        from jobday.accounts.models import User
        from jobday.candidates.models import Registration

        user = db.session.scalar(select(User).where(User.email == EMAIL))
        registration = db.session.scalar(select(Registration).where(Registration.user_id == user.id))
        assert registration.status == "registered"
    assert len(mailbox.to(EMAIL)) == 2  # the confirmation link, then the registration
