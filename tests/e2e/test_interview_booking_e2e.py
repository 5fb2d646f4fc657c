"""A registered candidate on a phone books an interview, sees it in the agenda, moves it,
downloads the calendar file, and a second candidate is told the slot is taken."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jobday.extensions import db
from jobday.scheduling.models import Booking
from tests import factories
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.e2e


def _login(page, base, email):
    page.goto(f"{base}/account/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_booking_moving_and_a_lost_race_on_a_phone(live_server, phone_page, browser, mailbox):
    with live_server.app.app_context():
        edition = factories.make_edition()
        participation = factories.make_participation(
            factories.make_company(name="Vaxolis"), edition, stand="A3"
        )
        for email in ("ines@example.org", "noah@example.org"):
            factories.make_registration(factories.make_candidate(email=email), edition)
        db.session.commit()
        participation_id, edition_id = participation.id, edition.id
    base, page = live_server.url, phone_page

    _login(page, base, "ines@example.org")
    page.goto(f"{base}/interviews")
    page.locator(".company-list a", has_text="Vaxolis").click()
    page.wait_for_url(f"**/interviews/companies/{participation_id}")
    page.locator(".slot-free button").first.click()
    page.wait_for_url("**/interviews/agenda**")
    agenda = page.locator("main").inner_text()
    assert "Vaxolis" in agenda and "A3" in agenda and "09:30" in agenda
    assert mailbox.to("ines@example.org")

    # Noah opens the page; someone else takes the first free slot before he taps it.
    other = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", extra_http_headers={"Accept-Language": "en"}
    )
    second = other.new_page()
    _login(second, base, "noah@example.org")
    second.goto(f"{base}/interviews/companies/{participation_id}")
    button = second.locator(".slot-free form").first
    slot_id = int(button.get_attribute("action").split("/")[-2])
    with live_server.app.app_context():
        from jobday.scheduling.booking import book_slot

        rival = factories.make_candidate(email="rival@example.org")
        from jobday.editions.models import Edition

        factories.make_registration(rival, db.session.get(Edition, edition_id))
        book_slot(rival, slot_id, actor=rival)
        db.session.commit()
    button.locator("button").click()
    second.wait_for_load_state()
    assert "this slot has just been taken" in second.locator("main").inner_text()
    other.close()

    # Inès moves her interview to 11:00.
    page.locator("a[href$='/move']").first.click()
    page.locator("main button[name=slot_id]", has_text="11:00").first.click()
    page.wait_for_url("**/interviews/agenda")
    assert "11:00" in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.locator("a[href='/interviews/agenda.ics']").click()
    with open(download.value.path(), "rb") as calendar:
        assert b"BEGIN:VEVENT" in calendar.read()
    with live_server.app.app_context():
        assert db.session.scalar(select(func.count(Booking.id)).where(Booking.active)) == 2  # Inès, the rival
