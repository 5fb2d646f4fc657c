"""A failed post keeps what was typed (passwords excepted), says what went wrong in one summary
at the top that takes the focus, and a CV upload keeps the registration's next step."""

from __future__ import annotations

import io
import re

from tests.factories import make_candidate, make_edition, make_pdf

NEXT = "/editions/2031/register"


def _value(html: str, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', html)
    assert match, f"no input #{field_id}"
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return value.group(1) if value else None


def _summary(html: str) -> str:
    match = re.search(r'<div class="form-errors"[^>]*>', html)
    assert match, "no error summary"
    return match.group(0)


def test_error_summary_takes_the_focus(client, login_as, db):
    login_as(make_candidate())
    response = client.post_form("/candidate/profile", {"first_name": "", "last_name": "Dubois"})
    assert response.status_code == 422
    summary = _summary(response.get_data(as_text=True))
    assert 'tabindex="-1"' in summary and "autofocus" in summary and 'role="alert"' in summary


def test_a_refused_cv_keeps_the_saved_profile_and_the_next_step(client, login_as, db):
    candidate = make_candidate(first_name="Léa", last_name="Dubois")
    login_as(candidate)
    client.post_form("/candidate/profile", {
        "first_name": "Léa", "last_name": "Dubois", "education_level": "master",
        "job_areas": "quality_control", "phone": "0470 12 34 56", "postcode": "6041"})
    response = client.post_form("/candidate/cv", {"cv": (io.BytesIO(b"not a pdf"), "cv.pdf"), "next": NEXT},
                                content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # The profile form shows what is saved, not the CV post's empty fields.
    assert _value(html, "first_name") == "Léa"
    assert _value(html, "phone") == "0470 12 34 56"
    assert _value(html, "postcode") == "6041"
    assert 'value="master" checked' in html
    # Both forms of the page still go on to the registration.
    assert html.count(f'name="next" type="hidden" value="{NEXT}"') == 2
    assert "form-errors" in html


def test_a_cv_upload_goes_back_to_the_profile_on_its_way_to_the_registration(client, login_as, db):
    login_as(make_candidate())
    page = client.get(f"/candidate/profile?next={NEXT}").get_data(as_text=True)
    assert page.count(f'name="next" type="hidden" value="{NEXT}"') == 2  # profile and CV forms
    response = client.post_form("/candidate/cv", {"cv": (io.BytesIO(make_pdf()), "cv.pdf"), "next": NEXT},
                                content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/candidate/profile?next={NEXT}"


def test_a_cv_upload_never_goes_elsewhere(client, login_as, db):
    login_as(make_candidate())
    response = client.post_form("/candidate/cv", {"cv": (io.BytesIO(make_pdf()), "cv.pdf"),
                                                  "next": "https://evil.example/"},
                                content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()
    assert response.headers["Location"] == "/candidate/profile"


def test_a_profile_with_a_missing_field_keeps_every_value_typed(client, login_as, db):
    login_as(make_candidate(profile=False))
    response = client.post_form("/candidate/profile", {
        "first_name": "Léa", "last_name": "Dubois", "job_areas": ["quality_control", "production"],
        "phone": "0470 12 34 56", "postcode": "6041", "field_of_study": "Biochimie",
        "years_experience": "3", "about": "Technicienne de laboratoire", "next": NEXT})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _summary(html)
    for field_id, value in {"first_name": "Léa", "last_name": "Dubois", "phone": "0470 12 34 56",
                            "postcode": "6041", "field_of_study": "Biochimie", "years_experience": "3"}.items():
        assert _value(html, field_id) == value, field_id
    assert 'value="quality_control" checked' in html and 'value="production" checked' in html
    assert "Technicienne de laboratoire</textarea>" in html
    assert f'value="{NEXT}"' in html


def test_a_refused_sign_up_keeps_everything_but_the_passwords(client, db):
    make_edition(year=2031)
    response = client.post_form("/editions/2031/signup", {
        "first_name": "Léa", "last_name": "Dubois", "email": "lea@example.org",
        "password": "short", "password_confirm": "short"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _summary(html)
    assert _value(html, "first_name") == "Léa"
    assert _value(html, "email") == "lea@example.org"
    assert _value(html, "password") in (None, "")
    assert _value(html, "password_confirm") in (None, "")
