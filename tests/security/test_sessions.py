"""Session lifetimes, re-authentication for sensitive actions, and cookie flags.

Time is frozen (freezegun) and moved by hand: the session's login and activity times, the
signed cookies and the rate limiter all read the same clock.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from jobday.accounts.models import User
from jobday.db import utcnow
from jobday.security import Role
from tests import factories
from tests.conftest import SECRET, JobdayClient, _config
from tests.factories import DEFAULT_PASSWORD

STRONG = "violet tractor under moonlight"


def log_in(client, email: str, *, remember: bool = False, password: str = DEFAULT_PASSWORD):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post_form("/account/login", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def logged_in(client) -> bool:
    response = client.get("/account/settings")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def sent_to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response.location).path == "/account/login"


def sent_to_confirm(response) -> str | None:
    """The ``next`` of a redirect to the confirm-password page, or None."""
    if response.status_code != 302 or urlsplit(response.location).path != "/account/confirm-password":
        return None
    return parse_qs(urlsplit(response.location).query).get("next", [""])[0]


@pytest.fixture
def clock():
    with freeze_time(utcnow()) as frozen:
        yield frozen


# --- organisers and door staff: 30 minutes idle, 12 hours at most ---------------------------

@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_session_survives_29_idle_minutes(client, db, clock, role):
    factories.make_user(email="staff@example.org", roles=(role,))
    log_in(client, "staff@example.org")
    clock.tick(timedelta(minutes=29))
    assert logged_in(client)
    clock.tick(timedelta(minutes=29))  # the last request counted as activity
    assert logged_in(client)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_session_ends_after_31_idle_minutes(client, db, clock, role):
    factories.make_user(email="staff@example.org", roles=(role,), locale="en")
    log_in(client, "staff@example.org")
    clock.tick(timedelta(minutes=31))
    response = client.get("/account/settings")
    assert sent_to_login(response)
    assert parse_qs(urlsplit(response.location).query)["next"] == ["/account/settings"]
    page = client.get(response.location).get_data(as_text=True)
    assert "You were logged out after 30 minutes without activity. Please log in again." in page
    assert not logged_in(client)
    log_in(client, "staff@example.org")  # logging in again works at once
    assert logged_in(client)


def test_staff_idle_message_is_french_by_default(client, db, clock):
    factories.make_user(email="staff@example.org", roles=(Role.STAFF,))
    log_in(client, "staff@example.org")
    clock.tick(timedelta(minutes=31))
    response = client.get("/account/settings")
    page = client.get(response.location).get_data(as_text=True)
    assert '<html lang="fr">' in page and 'class="flash flash-warning"' in page


def test_staff_session_ends_12_hours_after_login_however_active(client, db, clock):
    factories.make_user(email="staff@example.org", roles=(Role.ADMIN,))
    log_in(client, "staff@example.org")
    for _ in range(28):  # a request every 25 minutes: 11 h 40
        clock.tick(timedelta(minutes=25))
        assert logged_in(client)
    clock.tick(timedelta(minutes=19))  # 11 h 59
    assert logged_in(client)
    clock.tick(timedelta(minutes=2))  # 12 h 01
    response = client.get("/account/settings")
    assert sent_to_login(response)
    assert not logged_in(client)


def test_staff_gets_no_remember_me_cookie(client, db, clock):
    factories.make_user(email="staff@example.org", roles=(Role.STAFF,))
    log_in(client, "staff@example.org", remember=True)
    assert client.get_cookie("remember_token") is None
    clock.tick(timedelta(minutes=31))
    assert not logged_in(client)


def test_remember_cookie_issued_before_a_promotion_to_staff_does_not_log_in(app, client, db, clock):
    user = factories.make_user(email="ann@example.org", roles=(Role.CANDIDATE,))
    log_in(client, "ann@example.org", remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    user.add_role(Role.STAFF)
    db.session.commit()
    app.test_client_class = JobdayClient
    other_device = app.test_client()
    other_device.set_cookie("remember_token", remember.value)
    response = other_device.get("/account/settings")
    assert sent_to_login(response)
    assert other_device.get_cookie("remember_token") is None  # deleted
    assert not logged_in(other_device)


# --- candidates and recruiters: 12 hours unless remembered -----------------------------------

@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.RECRUITER])
def test_session_without_remember_me_ends_12_hours_after_login(client, db, clock, role):
    factories.make_user(email="ann@example.org", roles=(role,))
    log_in(client, "ann@example.org")
    clock.tick(timedelta(hours=6))  # no idle limit for them
    assert logged_in(client)
    clock.tick(timedelta(hours=5, minutes=59))  # 11 h 59
    assert logged_in(client)
    clock.tick(timedelta(minutes=2))  # 12 h 01
    assert sent_to_login(client.get("/account/settings"))
    assert not logged_in(client)


def test_remembered_candidate_stays_logged_in_after_12_hours(client, db, clock):
    factories.make_user(email="ann@example.org")
    log_in(client, "ann@example.org", remember=True)
    clock.tick(timedelta(hours=11, minutes=59))
    assert logged_in(client)
    clock.tick(timedelta(hours=2))  # 13 h 59 after login
    assert logged_in(client)
    clock.tick(timedelta(hours=20))  # the session cookie is too old: the remember-me cookie logs in again
    assert logged_in(client)


def test_a_remembered_session_in_constant_use_ends_when_the_remember_me_duration_is_over(client, db, clock):
    factories.make_user(email="ann@example.org")
    log_in(client, "ann@example.org", remember=True)
    for _ in range(65):  # a request every 11 hours keeps the session cookie itself alive
        clock.tick(timedelta(hours=11))
        assert logged_in(client)
    clock.tick(timedelta(days=30) - timedelta(hours=65 * 11) + timedelta(minutes=1))
    assert sent_to_login(client.get("/account/settings"))
    assert client.get_cookie("remember_token") is None
    assert not logged_in(client)


def _session_cookie_set(response) -> bool:
    return any(header.startswith("session=") for header in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.RECRUITER])
def test_pages_of_a_candidate_or_recruiter_sign_no_new_cookie_but_keep_it_fresh(client, db, clock, role):
    """Their sessions end on their login time only: a page leaves the cookie as it is, and a
    request a few minutes later signs it again (so a remembered session in use keeps it)."""
    factories.make_user(email="ann@example.org", roles=(role,))
    log_in(client, "ann@example.org")
    client.get("/account/settings")  # the first page after a login keeps a new CSRF token in the session
    clock.tick(timedelta(seconds=30))
    assert not _session_cookie_set(client.get("/account/settings"))
    clock.tick(timedelta(minutes=6))
    assert _session_cookie_set(client.get("/account/settings"))
    assert not _session_cookie_set(client.get("/account/settings"))


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_every_staff_page_notes_the_activity(client, db, clock, role):
    factories.make_user(email="staff@example.org", roles=(role,))
    log_in(client, "staff@example.org")
    clock.tick(timedelta(seconds=30))
    assert _session_cookie_set(client.get("/account/settings"))
    clock.tick(timedelta(seconds=1))
    assert _session_cookie_set(client.get("/account/settings"))


def test_a_session_restored_from_the_remember_cookie_must_confirm_the_password(client, db, clock):
    factories.make_candidate(email="ann@example.org")
    log_in(client, "ann@example.org", remember=True)
    clock.tick(timedelta(hours=13))  # session cookie expired; back through the remember-me cookie
    assert logged_in(client)
    response = client.post_form("/candidate/privacy/download", {"download-password": DEFAULT_PASSWORD},
                                headers={"Referer": "http://localhost/candidate/privacy"})
    assert sent_to_confirm(response) == "/candidate/privacy"


# --- background polls ---------------------------------------------------------------------

@pytest.fixture
def door_staff(client, db, clock):
    factories.make_edition()
    factories.make_user(email="door@example.org", roles=(Role.ADMIN,))
    db.session.commit()
    log_in(client, "door@example.org")
    return client


def test_background_polls_do_not_keep_a_staff_session_alive(door_staff, clock):
    clock.tick(timedelta(minutes=10))
    assert door_staff.get("/api/v1/checkin/snapshot").status_code == 200  # the door page's refresh
    clock.tick(timedelta(minutes=10))
    assert door_staff.get("/staff/arrivals").status_code == 200  # the board reloading itself
    clock.tick(timedelta(minutes=5))
    assert door_staff.get("/account/settings", headers={"X-Jobday-Background": "1"}).status_code == 200
    clock.tick(timedelta(minutes=6))  # 31 minutes after the last real activity
    assert not logged_in(door_staff)


def test_a_visit_to_the_arrivals_board_is_activity(door_staff, clock):
    clock.tick(timedelta(minutes=20))
    assert door_staff.get("/staff/arrivals", headers={"Sec-Fetch-User": "?1"}).status_code == 200
    clock.tick(timedelta(minutes=20))
    assert logged_in(door_staff)


def test_an_ended_session_answers_json_401_under_the_api(door_staff, clock):
    clock.tick(timedelta(minutes=31))
    response = door_staff.get("/api/v1/checkin/snapshot", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "session_expired"
    assert "Please log in again." in response.get_json()["message"]


# --- re-authentication before sensitive actions --------------------------------------------

def test_a_fresh_login_passes_sensitive_actions(app, client, db, clock):
    factories.make_candidate(email="ann@example.org")
    log_in(client, "ann@example.org")
    response = client.post_form("/candidate/privacy/download", {"download-password": DEFAULT_PASSWORD})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    clock.tick(timedelta(minutes=59))
    response = client.post_form("/account/password", {"current_password": DEFAULT_PASSWORD, "password": STRONG,
                                                       "password_confirm": STRONG})
    assert response.status_code == 302 and response.location.endswith("/account/settings")


CANDIDATE_ACTIONS = {
    "/account/password": {"current_password": DEFAULT_PASSWORD, "password": STRONG, "password_confirm": STRONG},
    "/account/email": {"new_email": "new@example.org", "current_password": DEFAULT_PASSWORD},
    "/candidate/privacy/download": {"download-password": DEFAULT_PASSWORD},
    "/candidate/privacy/delete": {"delete-password": DEFAULT_PASSWORD, "delete-understood": "y"},
}


@pytest.mark.parametrize("url", sorted(CANDIDATE_ACTIONS))
def test_a_61_minute_old_login_is_sent_to_confirm_the_password_and_nothing_changes(client, db, clock, mailbox,
                                                                                   url):
    user = factories.make_candidate(email="ann@example.org")
    log_in(client, "ann@example.org")
    password_hash = user.password_hash
    clock.tick(timedelta(minutes=61))
    origin = "/account/settings" if url.startswith("/account") else "/candidate/privacy"
    response = client.post_form(url, CANDIDATE_ACTIONS[url], headers={"Referer": f"http://localhost{origin}"})
    assert sent_to_confirm(response) == origin
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ann@example.org"))
    assert user is not None and user.password_hash == password_hash
    assert mailbox.messages == []
    assert logged_in(client)


def test_confirming_the_password_leads_back_and_opens_the_action(client, db, clock):
    factories.make_candidate(email="ann@example.org", locale="en")
    log_in(client, "ann@example.org")
    clock.tick(timedelta(minutes=61))
    response = client.post_form("/candidate/privacy/download", {"download-password": DEFAULT_PASSWORD},
                                headers={"Referer": "http://localhost/candidate/privacy"})
    page = client.get(response.location)
    assert page.status_code == 200
    assert "please enter your password again to continue" in page.get_data(as_text=True)

    wrong = client.post_form("/account/confirm-password", {"password": "not my password", "next": "/candidate/privacy"})
    assert wrong.status_code == 401 and "Your current password is not correct." in wrong.get_data(as_text=True)
    right = client.post_form("/account/confirm-password", {"password": DEFAULT_PASSWORD, "next": "/candidate/privacy"})
    assert right.status_code == 302 and right.location == "/candidate/privacy"
    response = client.post_form("/candidate/privacy/download", {"download-password": DEFAULT_PASSWORD})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    # An hour later, again.
    clock.tick(timedelta(minutes=61))
    response = client.post_form("/candidate/privacy/download", {"download-password": DEFAULT_PASSWORD})
    assert sent_to_confirm(response) == "/"  # no Referer: back to the home page


def test_wrong_passwords_on_the_confirm_page_count_as_failed_logins(app, client, db, clock):
    factories.make_candidate(email="ann@example.org")
    log_in(client, "ann@example.org")
    for _ in range(5):
        response = client.post_form("/account/confirm-password", {"password": "not my password"})
        assert response.status_code == 401
    assert client.post_form("/account/confirm-password", {"password": DEFAULT_PASSWORD}).status_code == 429
    # The same account cannot be tried on the login page from elsewhere either.
    app.test_client_class = JobdayClient
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.20.0.1"
    response = elsewhere.post_form("/account/login", {"email": "ann@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize("url", ["/account/password", "/account/email"])
def test_wrong_current_passwords_on_the_settings_forms_count_as_failed_logins(client, db, url):
    factories.make_candidate(email="ann@example.org")
    log_in(client, "ann@example.org")
    wrong = {**CANDIDATE_ACTIONS[url], "current_password": "not my password"}
    for _ in range(5):
        assert client.post_form(url, wrong).status_code == 422
    assert client.post_form(url, CANDIDATE_ACTIONS[url]).status_code == 429
    assert client.post_form("/account/confirm-password", {"password": DEFAULT_PASSWORD}).status_code == 429


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_confirm_password_does_not_follow_foreign_targets(client, db, target):
    factories.make_candidate(email="ann@example.org")
    log_in(client, "ann@example.org")
    response = client.post_form("/account/confirm-password", {"password": DEFAULT_PASSWORD, "next": target})
    assert response.status_code == 302 and response.location == "/account/settings"


def test_confirm_password_needs_a_login(client, db):
    response = client.get("/account/confirm-password")
    assert sent_to_login(response)


def test_staff_exports_and_role_changes_need_a_recent_password(client, db, clock):
    edition = factories.make_edition()
    admin = factories.make_user(email="boss@example.org", roles=(Role.ADMIN,))
    person = factories.make_candidate(email="ann@example.org")
    db.session.commit()
    log_in(client, "boss@example.org")
    export = f"/staff/exports/candidates.csv?year={edition.year}"
    assert client.get(export).status_code == 200
    roles_url = f"/staff/people/{person.id}/roles"
    assert client.post_form(roles_url, {"roles": ["candidate", "staff"]}).status_code == 303
    for _ in range(3):  # 60 minutes of activity, then one more
        clock.tick(timedelta(minutes=20))
        assert logged_in(client)
    clock.tick(timedelta(minutes=1))
    assert sent_to_confirm(client.get(export)) == export
    response = client.post_form(roles_url, {"roles": ["candidate"]},
                                headers={"Referer": f"http://localhost/staff/people/{person.id}"})
    assert sent_to_confirm(response) == f"/staff/people/{person.id}"
    db.session.expire_all()
    assert db.session.get(User, person.id).has_role(Role.STAFF)  # unchanged

    assert client.post_form("/account/confirm-password", {"password": DEFAULT_PASSWORD, "next": export}).location \
        == export
    assert client.get(export).status_code == 200
    assert client.post_form(roles_url, {"roles": ["candidate"]}).status_code == 303
    db.session.expire_all()
    assert not db.session.get(User, person.id).has_role(Role.STAFF)
    assert admin.id


def test_company_exports_need_a_recent_password(client, db, clock):
    edition = factories.make_edition()
    company = factories.make_company(name="Alpha Bio")
    factories.make_participation(company, edition)
    recruiter = factories.company_admin(company)
    db.session.commit()
    log_in(client, recruiter.email)
    assert client.get("/company/exports/interviews.csv").status_code == 200
    clock.tick(timedelta(minutes=61))
    assert sent_to_confirm(client.get("/company/exports/profiles.csv")) == "/company/exports/profiles.csv"


# --- cookie flags ----------------------------------------------------------------------------

def _cookie_headers(app, email: str) -> dict[str, str]:
    """The Set-Cookie headers of a login with "remember me", over HTTPS, by cookie name."""
    client = app.test_client()
    site = "https://jobday.test"
    with app.app_context():
        page = client.get("/account/login", base_url=site).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/account/login", base_url=site, headers={"Referer": f"{site}/account/login"},
                               data={"email": email, "password": DEFAULT_PASSWORD, "remember": "y",
                                     "csrf_token": token})
    assert response.status_code == 302
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


@pytest.mark.parametrize("debug", [False, True])
def test_session_and_remember_cookies_flags(app, db, tmp_path, smtp_server, debug):
    from jobday import create_app

    factories.make_candidate(email="ann@example.org")
    db.session.commit()
    config = _config(tmp_path, app.config["DATABASE_URL"], smtp_server[0])
    config.update(TESTING=False, DEBUG=debug, SECRET_KEY=SECRET)
    production = create_app(config)
    cookies = _cookie_headers(production, "ann@example.org")
    for name in ("session", "remember_token"):
        header = cookies[name]
        assert "HttpOnly" in header and "SameSite=Lax" in header
        assert ("Secure" in header) is (not debug)
