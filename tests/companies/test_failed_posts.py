"""A failed post of a recruiter keeps what was typed (passwords excepted) under one error summary."""

from __future__ import annotations

import io
import re

from tests import factories
from tests.candidates.test_failed_posts import _summary, _value


def test_a_refused_company_sign_up_keeps_everything_but_the_passwords(client, db):
    response = client.post_form("/company/register", {
        "first_name": "Sophie", "last_name": "Lambert", "email": "sophie@vaxolis.example",
        "password": "purple elephant dances slowly", "password_confirm": "purple elephant dances slowly",
        "name": "", "enterprise_number": "0123.456.749", "sector": "biopharma",
        "website": "vaxolis.example", "contact_phone": "071 12 34 56"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _summary(html)
    for field_id, value in {"first_name": "Sophie", "email": "sophie@vaxolis.example",
                            "enterprise_number": "0123.456.749", "website": "vaxolis.example",
                            "contact_phone": "071 12 34 56"}.items():
        assert _value(html, field_id) == value, field_id
    assert _value(html, "password") in (None, "") and _value(html, "password_confirm") in (None, "")


def test_a_refused_logo_keeps_the_company_details(client, db, admin, company):
    company.website = "https://vaxolis.example"
    company.contact_phone = "+3271123456"
    db.session.commit()
    response = client.post_form("/company/logo", {"logo": (io.BytesIO(b"not an image"), "logo.png")},
                                content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _value(html, "name") == "Vaxolis"
    assert _value(html, "website") == "https://vaxolis.example"
    assert _value(html, "contact_phone") == "+32 71 12 34 56"


def test_a_refused_application_for_the_edition_keeps_what_was_typed(client, db, admin, company, edition):
    response = client.post_form("/company/apply", {"recruiters_coming": "3", "tables_wanted": "0",
                                                   "needs_other": "Une rallonge"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _summary(html)
    assert _value(html, "recruiters_coming") == "3" and _value(html, "needs_other") == "Une rallonge"


def test_bad_plan_hours_keep_the_hours_typed(client, db, admin, company, edition):
    factories.make_participation(company, edition, hours="09:30-10:30")
    db.session.commit()
    response = client.post_form("/company/plan/tables", {"new-name": "Table Zèbre", "new-hours-0": "9h30 à midi"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _summary(html)
    assert _value(html, "new-name") == "Table Zèbre"
    assert _value(html, "new-hours-0") == "9h30 à midi"
    assert re.search(r'<details[^>]*open', html) or "new-hours-0" in html
