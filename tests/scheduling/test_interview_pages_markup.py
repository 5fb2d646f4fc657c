"""What the interview pages render only in some cases (their templates import the macros for
it only then): a company's logo, the day's held and no-show buttons on the fair day."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from jobday.db import utcnow
from jobday.scheduling import booking as bookings

EN = {"Accept-Language": "en"}


def test_the_company_page_shows_the_logo_when_there_is_one(client, db, fair, login_as):
    login_as(fair.alice)
    company = fair.acme.company
    page = client.get(f"/interviews/companies/{fair.acme.id}", headers=EN).get_data(as_text=True)
    assert "company-logo" not in page
    company.logo_filename = "acme.png"
    db.session.commit()
    page = client.get(f"/interviews/companies/{fair.acme.id}", headers=EN).get_data(as_text=True)
    assert f'<img class="company-logo" src="/companies/{company.id}/logo" alt="Logo of Acme Bio">' in page


def test_the_day_page_has_held_and_no_show_buttons_on_the_fair_day(client, db, fair, login_as):
    booking = bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    today = utcnow().astimezone(ZoneInfo(fair.edition.timezone)).date()
    fair.edition.starts_on, fair.edition.ends_on = today, today + timedelta(days=1)
    db.session.commit()
    login_as(fair.recruiter)
    page = client.get("/company/day", headers=EN).get_data(as_text=True)
    action = f'<form class="inline-form" method="post" action="/company/bookings/{booking.id}/outcome">'
    assert page.count(action) == 2
    assert '<input type="hidden" name="outcome" value="held">\n  <button type="submit" class="secondary">Held' in page
    assert ('<input type="hidden" name="outcome" value="no_show">\n  <button type="submit" class="secondary outline">'
            "No-show") in page
