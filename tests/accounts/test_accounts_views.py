"""Sign-up, confirmation, login, logout, reset and settings, through HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from jobday.accounts.models import User
from jobday.db import utcnow
from tests.factories import DEFAULT_PASSWORD, make_user

STRONG = "violet tractor under moonlight"


def count_users(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def login(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post_form("/account/login", {"email": email, "password": password, **extra})


def test_signup_confirm_login_logout(client, db, mailbox):
    response = client.post_form("/account/signup", {
        "first_name": "Łukasz", "last_name": "Wiśniewski", "email": "Lukasz@Example.org",
        "password": STRONG, "password_confirm": STRONG,
    })
    assert response.status_code == 200
    assert "lukasz@example.org" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "lukasz@example.org"))
    assert user is not None and not user.email_confirmed and user.has_role("candidate")
    assert user.password_hash.startswith("scrypt:")

    link = mailbox.link("lukasz@example.org", "/account/confirm/")
    response = client.get(link)  # in the browser that signed up: logged in, at home
    assert response.status_code == 302 and response.location.endswith("/candidate")
    db.session.refresh(user)
    assert user.email_confirmed
    assert client.get("/account/settings").status_code == 200
    client.post_form("/account/logout")

    response = login(client, "LUKASZ@example.org ", STRONG)
    assert response.status_code == 302 and response.location.endswith("/candidate")
    assert client.get("/account/settings").status_code == 200

    client.post_form("/account/logout")
    response = client.get("/account/settings")
    assert response.status_code == 302 and "/account/login" in response.location


def test_signup_refuses_weak_passwords_and_changes_nothing(client, db, mailbox):
    before = count_users(db)
    for password, message_fr in (
        ("short pass", "Utilisez au moins 12 caractères."),
        ("password1234", "trop courant"),
        ("aaaaaaaaaaaaaaaa", "trop courant"),
    ):
        response = client.post_form("/account/signup", {
            "first_name": "Zoë", "last_name": "Müller", "email": "zoe@example.org",
            "password": password, "password_confirm": password,
        })
        assert response.status_code == 422
        assert message_fr in response.get_data(as_text=True)
    assert count_users(db) == before
    assert mailbox.messages == []


def test_signup_form_errors_in_english(client, db):
    response = client.post_form("/account/signup", {"email": "not-an-address", "password": "x"},
                                headers={"Accept-Language": "en"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a valid e-mail address." in body
    assert "This field is required." in body
    assert count_users(db) == 0


def test_signup_with_taken_address_looks_the_same_and_warns_the_owner(client, db, mailbox):
    make_user(email="owner@example.org")
    db.session.commit()
    before = count_users(db)
    response = client.post_form("/account/signup", {
        "first_name": "X", "last_name": "Y", "email": "Owner@example.org",
        "password": STRONG, "password_confirm": STRONG,
    })
    assert response.status_code == 200
    assert "owner@example.org" in response.get_data(as_text=True)
    assert count_users(db) == before
    [warning] = mailbox.to("owner@example.org")
    assert "/account/confirm/" not in mailbox.text(warning)


def test_forged_or_tampered_confirmation_link_is_refused(client, db, mailbox):
    user = make_user(confirmed=False)
    db.session.commit()
    response = client.get("/account/confirm/not-a-token", follow_redirects=True)
    assert "invalide" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert not user.email_confirmed


def test_login_with_wrong_password_is_refused(client, db):
    make_user(email="ann@example.org")
    db.session.commit()
    response = login(client, "ann@example.org", "wrong password here")
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    assert client.get("/account/settings").status_code == 302


def test_unknown_account_gets_the_same_answer_as_a_wrong_password(client, db):
    make_user(email="ann@example.org")
    db.session.commit()
    known = login(client, "ann@example.org", "wrong password here")
    unknown = login(client, "nobody@example.org", "wrong password here")
    assert known.status_code == unknown.status_code == 401
    strip = lambda r: r.get_data(as_text=True).replace("nobody@example.org", "ann@example.org")  # noqa: E731
    assert _main(strip(known)) == _main(strip(unknown))


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")].split('name="csrf_token"')[0]


def test_replayed_session_cookie_after_logout_is_refused(app, client, db):
    make_user(email="ann@example.org")
    db.session.commit()
    login(client, "ann@example.org")
    captured = client.get_cookie("session").value
    assert client.get("/account/settings").status_code == 200

    client.post_form("/account/logout")
    attacker = app.test_client()
    attacker.set_cookie("session", captured)
    response = attacker.get("/account/settings")
    assert response.status_code == 302 and "/account/login" in response.location


def test_remember_cookie_is_set_only_when_asked_and_dies_with_logout(app, client, db):
    make_user(email="ann@example.org")
    db.session.commit()
    login(client, "ann@example.org")
    assert client.get_cookie("remember_token") is None

    other = app.test_client(); other.__class__ = type(client)  # noqa: E702
    login(other, "ann@example.org", remember="y")
    remember = other.get_cookie("remember_token")
    assert remember is not None and remember.http_only

    other.post_form("/account/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert replay.get("/account/settings").status_code == 302


def test_logout_without_csrf_token_does_not_log_out(client, db):
    make_user(email="ann@example.org")
    db.session.commit()
    login(client, "ann@example.org")
    response = client.post("/account/logout")
    assert response.status_code == 400
    assert client.get("/account/settings").status_code == 200


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, db):
    response = client.post("/account/signup", data={
        "first_name": "A", "last_name": "B", "email": "csrf@example.org",
        "password": STRONG, "password_confirm": STRONG,
    })
    assert response.status_code == 400
    assert "Veuillez recharger la page" in response.get_data(as_text=True)
    assert count_users(db) == 0


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "\\\\evil.example",
])
def test_login_ignores_foreign_next_targets(client, db, target):
    make_user(email="ann@example.org")
    db.session.commit()
    response = login(client, "ann@example.org", next=target)
    assert response.status_code == 302
    assert response.location == "/candidate"  # the role's home, not the foreign target


def test_login_follows_a_local_next_target(client, db):
    make_user(email="ann@example.org")
    db.session.commit()
    response = login(client, "ann@example.org", next="/account/settings")
    assert response.location == "/account/settings"


def test_sixth_failed_login_from_one_address_is_rate_limited(client, db):
    make_user(email="ann@example.org")
    db.session.commit()
    for n in range(5):
        assert login(client, f"user{n}@example.org", "wrong password here").status_code == 401
    response = login(client, "ann@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_failed_logins_on_one_account_are_limited_across_addresses(app, db):
    make_user(email="ann@example.org")
    db.session.commit()
    from tests.conftest import JobdayClient

    app.test_client_class = JobdayClient
    for n in range(5):
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"10.0.0.{n}"
        assert login(attacker, "ann@example.org", "wrong password here").status_code == 401
    fresh = app.test_client()
    fresh.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    assert login(fresh, "ann@example.org", DEFAULT_PASSWORD).status_code == 429
    other_account = app.test_client()
    other_account.environ_base["REMOTE_ADDR"] = "10.0.1.2"
    assert login(other_account, "bob@example.org", "wrong password here").status_code == 401


def test_successful_logins_are_not_counted(client, db):
    make_user(email="ann@example.org")
    db.session.commit()
    for _ in range(7):
        assert login(client, "ann@example.org").status_code == 302
        client.post_form("/account/logout")


def test_password_reset_round_trip_ends_old_sessions(app, client, db, mailbox):
    user = make_user(email="ann@example.org")
    db.session.commit()
    old_device = app.test_client(); old_device.__class__ = type(client)  # noqa: E702
    login(old_device, "ann@example.org")
    assert old_device.get("/account/settings").status_code == 200

    response = client.post_form("/account/reset", {"email": "ann@example.org"})
    assert response.status_code == 200
    link = mailbox.link("ann@example.org", "/account/reset/")
    response = client.post_form(link, {"password": STRONG, "password_confirm": STRONG})
    assert response.status_code == 302 and response.location.endswith("/account/login")

    assert old_device.get("/account/settings").status_code == 302
    assert login(client, "ann@example.org", DEFAULT_PASSWORD).status_code == 401
    assert login(client, "ann@example.org", STRONG).status_code == 302
    # The link is single-use.
    again = client.post_form(link, {"password": "another fine long phrase", "password_confirm":
                                    "another fine long phrase"})
    assert again.status_code == 302 and again.location.endswith("/account/reset")
    db.session.refresh(user)
    assert user.password_changed_at is not None


def test_reset_answers_the_same_for_unknown_addresses_and_sends_nothing(client, db, mailbox):
    make_user(email="ann@example.org")
    db.session.commit()
    known = client.post_form("/account/reset", {"email": "ann@example.org"}).get_data(as_text=True)
    unknown = client.post_form("/account/reset", {"email": "zed@example.org"}).get_data(as_text=True)
    assert _main(known.replace("ann@", "zed@")) == _main(unknown)
    assert len(mailbox.to("ann@example.org")) == 1
    assert mailbox.to("zed@example.org") == []


def test_reset_link_expires_after_an_hour(client, db, mailbox):
    make_user(email="ann@example.org")
    db.session.commit()
    client.post_form("/account/reset", {"email": "ann@example.org"})
    link = mailbox.link("ann@example.org", "/account/reset/")
    with freeze_time(utcnow() + timedelta(minutes=61)):
        response = client.post_form(link, {"password": STRONG, "password_confirm": STRONG})
    assert response.status_code == 302 and response.location.endswith("/account/reset")
    assert login(client, "ann@example.org", STRONG).status_code == 401


def test_change_password_needs_the_current_one_and_logs_out_other_devices(app, client, db, login_as):
    user = login_as(make_user(email="ann@example.org"))
    other = app.test_client(); other.__class__ = type(client)  # noqa: E702
    login(other, "ann@example.org")

    wrong = client.post_form("/account/password", {
        "current_password": "not my password", "password": STRONG, "password_confirm": STRONG})
    assert wrong.status_code == 422
    assert other.get("/account/settings").status_code == 200

    ok = client.post_form("/account/password", {
        "current_password": DEFAULT_PASSWORD, "password": STRONG, "password_confirm": STRONG})
    assert ok.status_code == 302
    assert client.get("/account/settings").status_code == 200  # this device stays in
    assert other.get("/account/settings").status_code == 302  # the other one is out
    db.session.refresh(user)
    assert user.password_changed_at is not None


def test_change_email_takes_effect_when_the_new_address_confirms(client, db, mailbox, login_as):
    user = login_as(make_user(email="ann@example.org"))
    response = client.post_form("/account/email", {"new_email": "Ann.New@example.org",
                                                    "current_password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email == "ann@example.org"
    assert mailbox.to("ann@example.org")  # the old address is told
    link = mailbox.link("ann.new@example.org", "/account/email/confirm/")
    assert client.get(link).status_code == 302
    db.session.refresh(user)
    assert user.email == "ann.new@example.org"
    assert client.get(link).status_code == 302
    assert login(client, "ann.new@example.org").status_code == 302


def test_change_email_to_a_taken_address_is_refused(client, db, login_as):
    make_user(email="taken@example.org")
    user = login_as(make_user(email="ann@example.org"))
    response = client.post_form("/account/email", {"new_email": "taken@example.org",
                                                    "current_password": DEFAULT_PASSWORD})
    assert response.status_code == 422
    db.session.refresh(user)
    assert user.email == "ann@example.org"


def test_email_uniqueness_is_case_insensitive_in_the_database(db):
    from sqlalchemy.exc import IntegrityError

    from jobday.accounts.services import register_user

    make_user(email="ann@example.org")
    with pytest.raises(Exception) as error:
        register_user(email="ANN@example.org", password=STRONG)
    assert getattr(error.value, "code", None) == "email_taken" or isinstance(error.value, IntegrityError)
