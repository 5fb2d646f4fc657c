"""Abuse limits, each from both sides: under the limit the request passes, over it the answer
is 429 with ``Retry-After`` and a page (or JSON) in the user's language.

The limits are lowered through the configuration keys they read at request time, so a test
needs a few requests, not hundreds. Counters live in the limiter's memory storage here; the
last tests run two workers on one Redis.
"""

from __future__ import annotations

import re
import socket
import uuid
from datetime import timedelta

import pytest
from freezegun import freeze_time

from jobday.db import utcnow
from jobday.extensions import limiter
from jobday.security import Role
from tests import factories
from tests.conftest import REQUIRE_ALL, JobdayClient, _config

STRONG = "violet tractor under moonlight"


def new_client(app, address: str) -> JobdayClient:
    app.test_client_class = JobdayClient
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def log_in(client, user) -> None:
    """What ``login_as`` does, for a second client."""
    from jobday.accounts import session_policy
    from jobday.extensions import db

    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session.update(session_policy.login_stamps(remembered=False))


def assert_rate_limited(response, *, lang: str = "fr", when: str | None = None) -> int:
    """429, a positive Retry-After, the page in ``lang`` (saying when, if ``when`` is given)."""
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert wait > 0
    body = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in body
    assert ("Trop de tentatives" if lang == "fr" else "Too many attempts") in body
    if when:
        assert when in body
    return wait


def signup_data(email: str) -> dict:
    return {"first_name": "Zoë", "last_name": "Müller", "email": email, "password": STRONG,
            "password_confirm": STRONG}


def company_signup_data(email: str, n: int) -> dict:
    return {**signup_data(email), "name": f"Acme {n}", "enterprise_number": factories.enterprise_number(900 + n),
            "sector": "biopharma", "contact_name": "Zoë Müller", "contact_phone": "+32 71 12 34 56"}


# --- failed logins: the page says when, in the visitor's language -------------------------

def test_failed_login_limit_page_is_in_english_for_an_english_visitor(app, db):
    factories.make_user(email="ann@example.org")
    db.session.commit()
    client = new_client(app, "10.1.0.1")
    client.set_cookie("lang", "en")
    for _ in range(5):
        assert client.post_form("/account/login", {"email": "ann@example.org",
                                                   "password": "wrong password here"}).status_code == 401
    response = client.post_form("/account/login", {"email": "ann@example.org", "password": "x"})
    wait = assert_rate_limited(response, lang="en", when="You can try again in 15 minutes.")
    assert 14 * 60 < wait <= 15 * 60


def test_failed_login_limit_page_is_in_french_by_default(app, db):
    client = new_client(app, "10.1.0.2")
    for n in range(5):
        client.post_form("/account/login", {"email": f"x{n}@example.org", "password": "wrong password here"})
    assert_rate_limited(client.post_form("/account/login", {"email": "y@example.org", "password": "x"}),
                        when="dans 15 minutes")


# --- sign-ups per address -------------------------------------------------------------------

def test_signups_from_one_address_are_limited_across_the_three_forms(app, db, mailbox):
    app.config["SIGNUP_LIMIT"] = "3 per hour"
    edition = factories.make_edition()
    factories.make_user(email="taken@example.org")
    db.session.commit()
    client = new_client(app, "10.2.0.1")
    assert client.post_form("/account/signup", signup_data("new1@example.org")).status_code == 200
    # An address that already has an account counts the same: the limit reveals nothing.
    assert client.post_form(f"/editions/{edition.year}/signup", signup_data("taken@example.org")).status_code == 200
    response = client.post_form("/company/register", company_signup_data("new2@example.org", 1))
    assert response.status_code == 200, response.get_data(as_text=True)
    response = client.post_form("/account/signup", signup_data("new3@example.org"))
    assert_rate_limited(response, when="dans 1 heure")
    assert mailbox.to("new3@example.org") == []
    # Another address is not held back.
    other = new_client(app, "10.2.0.2")
    assert other.post_form("/account/signup", signup_data("new3@example.org")).status_code == 200
    assert len(mailbox.to("new3@example.org")) == 1


def test_signup_limit_page_in_english(app, db):
    app.config["SIGNUP_LIMIT"] = "1 per hour"
    client = new_client(app, "10.2.0.3")
    headers = {"Accept-Language": "en"}
    assert client.post_form("/account/signup", signup_data("a@example.org"), headers=headers).status_code == 200
    response = client.post_form("/account/signup", signup_data("b@example.org"), headers=headers)
    assert_rate_limited(response, lang="en", when="You can try again in 1 hour.")


# --- password-reset requests and e-mails ---------------------------------------------------

def test_reset_requests_from_one_address_are_limited(app, db, mailbox):
    app.config["PASSWORD_RESET_ADDRESS_LIMIT"] = "3 per hour"
    factories.make_user(email="ann@example.org")
    db.session.commit()
    client = new_client(app, "10.3.0.1")
    for email in ("ann@example.org", "zed@example.org", "bob@example.org"):
        assert client.post_form("/account/reset", {"email": email}).status_code == 200
    assert_rate_limited(client.post_form("/account/reset", {"email": "cat@example.org"}))
    assert new_client(app, "10.3.0.2").post_form("/account/reset", {"email": "cat@example.org"}).status_code == 200


def test_one_reset_email_per_account_per_hour_and_the_same_answer_every_time(app, db, mailbox):
    factories.make_user(email="ann@example.org")
    db.session.commit()
    start = utcnow()
    pages = []
    with freeze_time(start) as clock:
        for n in range(3):
            client = new_client(app, f"10.3.1.{n}")  # from several addresses: the account decides
            response = client.post_form("/account/reset", {"email": "Ann@example.org"})
            assert response.status_code == 200
            pages.append(_main(response))
            clock.tick(timedelta(minutes=20))
        assert len(mailbox.to("ann@example.org")) == 1
        assert pages[0] == pages[1] == pages[2]
        clock.move_to(start + timedelta(minutes=61))
        assert new_client(app, "10.3.1.9").post_form("/account/reset", {"email": "ann@example.org"}).status_code == 200
    assert len(mailbox.to("ann@example.org")) == 2


def _main(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r'(<input[^>]*csrf_token[^>]*value=")[^"]*"', r'\1"', html[html.index("<main"):html.index("</main>")])


# --- downloads per user ---------------------------------------------------------------------

def test_staff_exports_are_limited_per_organiser(app, db, client, login_as):
    app.config["EXPORT_LIMIT"] = "3 per hour"
    edition = factories.make_edition()
    db.session.commit()
    login_as(Role.ADMIN)
    year = edition.year
    assert client.get(f"/staff/exports/candidates.csv?year={year}").status_code == 200
    assert client.get(f"/staff/exports/companies.csv?year={year}").status_code == 200
    assert client.post_form(f"/staff/exports/door-list.pdf?year={year}").status_code == 303
    assert_rate_limited(client.get(f"/staff/exports/interviews.csv?year={year}"))
    assert_rate_limited(client.post_form(f"/staff/exports/candidates.xlsx?year={year}"))
    # Another organiser has their own budget.
    other = new_client(app, "127.0.0.1")
    log_in(other, factories.make_user(roles=(Role.ADMIN,)))
    assert other.get(f"/staff/exports/interviews.csv?year={year}").status_code == 200


def test_company_exports_are_limited_per_recruiter_in_english(app, db, client, login_as):
    app.config["EXPORT_LIMIT"] = "2 per hour"
    edition = factories.make_edition()
    company = factories.make_company(name="Alpha Bio")
    factories.make_participation(company, edition)
    recruiter = factories.company_admin(company)
    recruiter.locale = "en"
    db.session.commit()
    login_as(recruiter)
    assert client.get("/company/exports/interviews.csv").status_code == 200
    assert client.get("/company/exports/profiles.csv").status_code == 200
    assert_rate_limited(client.get("/company/exports/interviews.csv"), lang="en",
                        when="You can try again in 1 hour.")


def test_candidate_data_download_is_limited(app, db, client, login_as):
    app.config["EXPORT_LIMIT"] = "2 per hour"
    login_as(factories.make_candidate(email="me@example.org"))
    for _ in range(2):
        response = client.post_form("/candidate/privacy/download", {"download-password": factories.DEFAULT_PASSWORD})
        assert response.status_code == 200 and response.mimetype == "application/zip"
    response = client.post_form("/candidate/privacy/download", {"download-password": factories.DEFAULT_PASSWORD})
    assert_rate_limited(response)
    assert response.mimetype == "text/html"


# --- the door: unknown badge codes per device --------------------------------------------

def test_guessing_badge_codes_gets_429_with_retry_after_in_json(app, db, client):
    app.config["CHECKIN_UNKNOWN_LIMIT"] = "3 per minute"
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    edition = factories.make_edition(starts_on=today, registration_opens_at=utcnow() - timedelta(days=30),
                                     registration_closes_at=utcnow() - timedelta(days=2),
                                     booking_opens_at=utcnow() - timedelta(days=20),
                                     booking_closes_at=utcnow() - timedelta(days=1))
    _device, token = factories.make_gate_device(edition, gate="A")
    db.session.commit()

    def scan(n):
        return client.post("/api/v1/checkin", json={"code": f"GUESS{n:04d}", "nonce": f"nonce-limit-{n:04d}"},
                           headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})

    for n in range(3):
        response = scan(n)
        assert response.status_code == 200 and response.get_json()["result"] == "unknown"
    response = scan(3)
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= 60
    body = response.get_json()
    assert body["error"] == "rate_limited" and body["retry_after"] == pytest.approx(wait, abs=1)
    assert body["message"] == "Too many attempts. Please wait a moment and try again."


# --- two workers, one Redis ------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_workers(app, tmp_path, smtp_server):
    """Two applications sharing one Redis under a key prefix of their own."""
    if not _redis_available():
        if REQUIRE_ALL:
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"jobday-test-{uuid.uuid4().hex}"
    # Flask-Limiter keeps the first key prefix it was given for good (one extension object
    # for every app of the process): forget it so this test's prefix applies.
    limiter._key_prefix = ""
    workers = []
    for _ in range(2):
        config = _config(tmp_path, app.config["DATABASE_URL"], smtp_server[0])
        config.update(REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix, SIGNUP_LIMIT="2 per hour")
        config.pop("RATELIMIT_STORAGE_URI")
        from jobday import create_app

        worker = create_app(config)
        worker.test_client_class = JobdayClient
        workers.append(worker)
    yield workers
    limiter._key_prefix = ""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    connection.close()


def _post(worker, url, data, address="10.9.0.1"):
    client = worker.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    with worker.app_context():
        return client.post_form(url, data)


def test_redis_shares_signup_and_reset_mail_limits_between_workers(redis_workers, db, mailbox):
    factories.make_user(email="ann@example.org")
    db.session.commit()
    first, second = redis_workers
    assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    assert _post(first, "/account/signup", signup_data("r1@example.org")).status_code == 200
    assert _post(second, "/account/signup", signup_data("r2@example.org")).status_code == 200
    assert _post(first, "/account/signup", signup_data("r3@example.org")).status_code == 429

    assert _post(first, "/account/reset", {"email": "ann@example.org"}).status_code == 200
    assert _post(second, "/account/reset", {"email": "ann@example.org"}, "10.9.0.2").status_code == 200
    assert len(mailbox.to("ann@example.org")) == 1
    # The counters are in Redis, under this test's prefix.
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    keys = [key.decode() for key in connection.scan_iter(f"*{first.config['RATELIMIT_KEY_PREFIX']}*")]
    connection.close()
    assert any("reset-mail" in key for key in keys) and any("signup" in key for key in keys)


def test_redis_shares_failed_logins_between_workers(redis_workers, db):
    factories.make_user(email="ann@example.org")
    db.session.commit()
    first, second = redis_workers
    wrong = {"email": "ann@example.org", "password": "wrong password here"}
    for n in range(5):
        assert _post(redis_workers[n % 2], "/account/login", wrong).status_code == 401
    right = {"email": "ann@example.org", "password": factories.DEFAULT_PASSWORD}
    assert _post(second, "/account/login", right).status_code == 429
