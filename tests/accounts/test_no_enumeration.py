"""Login, sign-up and password reset answer the same whether or not an account exists, so
nobody can learn which addresses have an account (the e-mails go to the owner instead)."""

from __future__ import annotations

import re

import pytest
import werkzeug.security

from jobday.accounts import passwords
from tests.conftest import JobdayClient
from tests.factories import enterprise_number, make_edition, make_user

STRONG = "violet tractor under moonlight"


def main_part(response, *swaps: tuple[str, str]) -> str:
    """The page's <main>, without the CSRF token, with the given addresses swapped."""
    html = response.get_data(as_text=True)
    html = html[html.index("<main"):html.index("</main>")]
    html = re.sub(r'(<input[^>]*csrf_token[^>]*value=")[^"]*"', r'\1"', html)
    for old, new in swaps:
        html = html.replace(old, new)
    return html


def client_from(app, address: str) -> JobdayClient:
    app.test_client_class = JobdayClient
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# --- login -------------------------------------------------------------------------------

@pytest.fixture
def hash_checks(monkeypatch):
    """Every password-hash check made, as (method and cost parameters) of the hash checked."""
    seen = []
    real = werkzeug.security.check_password_hash

    def spy(pwhash, password):
        seen.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(passwords, "check_password_hash", spy)
    return seen


def test_login_does_the_same_work_and_answers_the_same_for_unknown_addresses(app, db, hash_checks):
    make_user(email="ann@example.org")
    db.session.commit()
    known = client_from(app, "10.5.0.1").post_form("/account/login", {"email": "ann@example.org",
                                                                      "password": "wrong password here"})
    known_checks = list(hash_checks)
    hash_checks.clear()
    unknown = client_from(app, "10.5.0.2").post_form("/account/login", {"email": "nobody@example.org",
                                                                        "password": "wrong password here"})
    assert known.status_code == unknown.status_code == 401
    assert main_part(known) == main_part(unknown, ("nobody@example.org", "ann@example.org"))
    # One scrypt check each, with the same cost parameters: the timing does not tell them apart.
    assert len(known_checks) == len(hash_checks) == 1
    assert known_checks == hash_checks and hash_checks[0].startswith("scrypt:")


def test_a_disabled_account_gets_the_wrong_password_answer(app, db):
    make_user(email="gone@example.org").is_disabled = True
    db.session.commit()
    disabled = client_from(app, "10.5.0.3").post_form("/account/login", {"email": "gone@example.org",
                                                                         "password": "correct horse battery staple"})
    unknown = client_from(app, "10.5.0.4").post_form("/account/login", {"email": "nobody@example.org",
                                                                        "password": "correct horse battery staple"})
    assert disabled.status_code == unknown.status_code == 401
    assert main_part(disabled) == main_part(unknown, ("nobody@example.org", "gone@example.org"))


def test_failed_login_limit_counts_unknown_addresses_like_real_accounts(app, db):
    make_user(email="ann@example.org")
    db.session.commit()
    for email in ("ann@example.org", "nobody@example.org"):
        for n in range(5):
            client = client_from(app, f"10.6.{len(email)}.{n}")
            assert client.post_form("/account/login", {"email": email, "password": "wrong"}).status_code == 401
        last = client_from(app, f"10.7.{len(email)}.1").post_form("/account/login", {"email": email, "password": "x"})
        assert last.status_code == 429


# --- sign-up -------------------------------------------------------------------------------

def _person(email: str) -> dict:
    return {"first_name": "Zoë", "last_name": "Müller", "email": email, "password": STRONG, "password_confirm": STRONG}


def _company(email: str) -> dict:
    return {**_person(email), "name": "Vaxolis", "enterprise_number": enterprise_number(77), "sector": "biopharma",
            "contact_name": "Zoë Müller", "contact_phone": "+32 71 12 34 56"}


@pytest.mark.parametrize("form", ["account", "edition", "company"])
def test_signup_with_a_taken_address_looks_the_same_and_mails_the_owner(app, db, mailbox, form):
    edition = make_edition()
    make_user(email="owner@example.org")
    db.session.commit()
    url = {"account": "/account/signup", "edition": f"/editions/{edition.year}/signup",
           "company": "/company/register"}[form]
    data = _company if form == "company" else _person
    fresh = client_from(app, "10.8.0.1").post_form(url, data("fresh@example.org"))
    taken = client_from(app, "10.8.0.2").post_form(url, data("owner@example.org"))
    assert fresh.status_code == taken.status_code == 200
    assert main_part(fresh) == main_part(taken, ("owner@example.org", "fresh@example.org"))
    [confirmation] = mailbox.to("fresh@example.org")
    [warning] = mailbox.to("owner@example.org")
    assert "/confirm/" in mailbox.text(confirmation)
    assert "/confirm/" not in mailbox.text(warning)


def test_a_weak_password_gets_the_same_refusal_for_a_taken_address(app, db, mailbox):
    make_user(email="owner@example.org")
    db.session.commit()
    weak = {"password": "password1234", "password_confirm": "password1234"}
    fresh = client_from(app, "10.8.1.1").post_form("/account/signup", {**_person("fresh@example.org"), **weak})
    taken = client_from(app, "10.8.1.2").post_form("/account/signup", {**_person("owner@example.org"), **weak})
    assert fresh.status_code == taken.status_code == 422
    assert main_part(fresh) == main_part(taken, ("owner@example.org", "fresh@example.org"))
    assert mailbox.messages == []


# --- password reset ----------------------------------------------------------------------

def test_reset_answers_the_same_for_unknown_accounts_first_and_second_time(app, db, mailbox):
    make_user(email="ann@example.org")
    db.session.commit()
    answers = {}
    for email in ("ann@example.org", "zed@example.org"):
        answers[email] = [client_from(app, f"10.9.{n}.1").post_form("/account/reset", {"email": email})
                          for n in range(2)]
    pages = [main_part(r, ("zed@example.org", "ann@example.org")) for r in answers["ann@example.org"]
             + answers["zed@example.org"]]
    assert {r.status_code for rs in answers.values() for r in rs} == {200}
    assert len(set(pages)) == 1
    assert len(mailbox.to("ann@example.org")) == 1  # the second request within the hour sends nothing
    assert mailbox.to("zed@example.org") == []


def test_reset_address_limit_refuses_unknown_and_known_addresses_alike(app, db):
    app.config["PASSWORD_RESET_ADDRESS_LIMIT"] = "1 per hour"
    make_user(email="ann@example.org")
    db.session.commit()
    for n, email in enumerate(("ann@example.org", "zed@example.org")):
        client = client_from(app, f"10.10.0.{n}")
        assert client.post_form("/account/reset", {"email": email}).status_code == 200
        assert client.post_form("/account/reset", {"email": email}).status_code == 429
