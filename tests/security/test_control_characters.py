"""Control characters in text (issue 16, item 2): a NUL in a name, an offer title, a search or
a JSON body gave a 500 on PostgreSQL, and the error page then failed as well (it rendered
inside the aborted transaction). Every text input now refuses them with the usual field
error (text areas keep tab and line breaks), the address with a 400 that says why, the API
with ``invalid_input``; the 500 page rolls the transaction back first."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jobday.errors import DomainError
from tests import factories
from tests.security import fuzz_world

EN, FR = {"Accept-Language": "en"}, {"Accept-Language": "fr"}
OFFER = {"title": "Technicien QC", "contract_type": "permanent", "education_level": "bachelor",
         "job_areas": ["quality_control"], "location": "Gosselies", "description": "Analyses"}


def _profile_fields(candidate) -> dict:
    return {"first_name": candidate.first_name, "last_name": candidate.last_name, "education_level": "master",
            "job_areas": ["quality_control"]}


@pytest.mark.parametrize("value", ["Zo\x00ë", "\x00", "Zoë\x1b[31m", "Zoë\x7f", "Zoë\tMüller", "Zoë\nMüller"])
def test_a_name_with_a_control_character_is_a_field_error(backend, client, db, login_as, value):
    from jobday.accounts.models import User

    candidate = login_as(factories.make_candidate(first_name="Zoë", last_name="Müller"))
    before = fuzz_world.fingerprint(client.application)
    response = client.post_form("/candidate/profile", {**_profile_fields(candidate), "first_name": value},
                                headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This field contains characters that cannot be used (control characters)." in page
    assert "\x00" not in page
    assert fuzz_world.fingerprint(client.application) == before
    french = client.post_form("/candidate/profile", {**_profile_fields(candidate), "first_name": value},
                              headers=FR).get_data(as_text=True)
    assert "Ce champ contient des caractères qui ne peuvent pas être utilisés (caractères de contrôle)." in french
    # The same form with a plain name is saved.
    saved = client.post_form("/candidate/profile", {**_profile_fields(candidate), "first_name": "Zoé"}, headers=EN)
    assert saved.status_code in (302, 303)
    assert db.session.get(User, candidate.id).first_name == "Zoé"


def test_a_text_area_keeps_tabs_and_line_breaks_and_refuses_nul(backend, client, db, login_as):
    from jobday.companies.models import JobOffer

    company = factories.make_company(name="Vaxolis")
    db.session.commit()
    login_as(factories.company_admin(company))
    refused = client.post_form("/company/offers/new", {**OFFER, "description": "Analyses\x00HPLC"}, headers=EN)
    assert refused.status_code == 422 and "control characters" in refused.get_data(as_text=True)
    title = client.post_form("/company/offers/new", {**OFFER, "title": "Technicien\x00QC"}, headers=EN)
    assert title.status_code == 422 and "control characters" in title.get_data(as_text=True)
    assert db.session.scalar(select(func.count(JobOffer.id))) == 0
    accepted = client.post_form("/company/offers/new", {**OFFER, "description": "Analyses\r\n\tHPLC"}, headers=EN)
    assert accepted.status_code == 302
    assert db.session.scalar(select(JobOffer.description)) == "Analyses\r\n\tHPLC"


@pytest.mark.parametrize("url", ["/staff/badges/list?q={q}", "/door/search?q={q}", "/staff/people?q={q}",
                                 "/offers?q={q}"])
def test_a_search_with_a_control_character_is_refused_with_a_reason(backend, client, db, login_as, url):
    factories.make_edition()
    db.session.commit()
    login_as("admin")
    response = client.get(url.format(q="Zo%00e"), headers=EN)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "The address contains characters that cannot be used (control characters)." in body
    french = client.get(url.format(q="%1Bx"), headers=FR).get_data(as_text=True)
    assert "L’adresse contient des caractères qui ne peuvent pas être utilisés" in french
    assert client.get(url.format(q="Zoe"), headers=EN).status_code == 200


def test_a_path_with_nul_is_refused(backend, client):
    assert client.get("/door%00", headers=EN).status_code == 400
    assert client.get("/badges/mine.pdf?layout=a%00", headers=EN).status_code == 400


def test_a_json_field_with_a_control_character_is_invalid_input(backend, app, client, db):
    """The door's API refuses them in the fields it reads, but for the code: a scanner sends
    control characters around it, and the door strips them (see ``checkin.codes``)."""
    edition = factories.make_edition_today()
    candidate = factories.make_candidate()
    factories.make_registration(candidate, edition)
    badge = factories.make_badge(candidate, edition)
    _device, token = factories.make_gate_device(edition)
    db.session.commit()
    device = {"Authorization": f"Bearer {token}"}
    at = factories.earlier_today(minutes=1).isoformat()  # on the fair day, never in the future
    for field, value in (("gate", "A\x00"), ("mode", "entry\x00"), ("local_result", "ok\x00"),
                         ("client_time", at + "\x00")):
        scan = {"code": badge.code, "nonce": "nonce-nul-1", "client_time": at, field: value}
        response = client.post("/api/v1/checkin/sync", json={"scans": [scan]}, headers=device)
        assert response.get_json()["results"][0]["error"] == "invalid_input", field
    synced = client.post("/api/v1/checkin/sync", headers=device, json={"scans": [
        {"code": badge.code, "nonce": "nonce-nul-2", "client_time": at, "local_result": "ok\x1b"},
        {"code": "\x02" + badge.code + "\x00\r\n", "nonce": "nonce-ok-3", "client_time": at},
    ]})
    assert synced.status_code == 200
    first, second = synced.get_json()["results"]
    assert first["error"] == "invalid_input" and second["result"] == "ok"
    assert client.post("/api/v1/checkin", json={"code": "\ud800" + badge.code, "nonce": "nonce-nul-4"},
                       headers=device).get_json()["error"] == "invalid_input"  # not even JSON for msgspec


@pytest.fixture
def broken_route(app):
    """A page whose write fails in the database (a bug: the session needs a rollback)."""
    from flask_login import current_user

    from jobday.accounts.models import User
    from jobday.extensions import db

    def broken():
        db.session.add(User(email=current_user.email, first_name="Twin", last_name="Twin", password_hash="x"))
        db.session.flush()
        raise DomainError()

    app.add_url_rule("/broken-for-test", view_func=broken)
    return "/broken-for-test"


def test_the_500_page_renders_after_a_database_error(backend, client, login_as, broken_route):
    login_as("admin")
    response = client.get(broken_route, headers=EN)
    assert response.status_code == 500
    assert "An error occurred on our side." in response.get_data(as_text=True)
