"""PostgreSQL connections killed between requests and in the middle of one.

Between requests: the pool checks a connection before lending it (``pool_pre_ping``), so the
next request gets a fresh one; the same app without the check loses that request (503).
In the middle of a booking or a door scan: the client gets 503 with ``Retry-After``, the
transaction is rolled back whole (booking, slot hold, queued e-mail; scan row), and the
retry succeeds; the door's retry uses the same nonce and is recorded once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from jobday import create_app
from jobday.checkin.models import Scan
from jobday.companies.models import InterviewSlot
from jobday.db import utcnow
from jobday.mail.models import OutboundEmail
from jobday.scheduling.models import Booking
from tests import factories
from tests.conftest import POSTGRES_URL, _config
from tests.faults.pg import admin_engine, kill_when, record_backends, terminate
from tests.scheduling.conftest import registered_candidate, slots_of

pytestmark = pytest.mark.postgres
EN = {"Accept-Language": "en"}


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- killed between requests ---------------------------------------------------------------


def test_connections_killed_between_requests_are_replaced_by_the_next_request(app, db, client):
    factories.make_edition()
    db.session.commit()
    pids = record_backends(db.engine)
    assert client.get("/", headers=EN).status_code == 200
    assert pids, "the request opened no connection"
    with admin_engine() as admin:
        assert terminate(admin, pids) == len(pids)
    response = client.get("/", headers=EN)
    assert response.status_code == 200
    assert len(pids) > 1  # the dead connection was replaced by a new one


def _app_without_pool_check(tmp_path, smtp_server, schema):
    """The app with ``pool_pre_ping`` off, the PostgreSQL backends its engine opens recorded:
    (app, their pids, its engine)."""
    config = _config(tmp_path, POSTGRES_URL, smtp_server[0], schema=schema)
    config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] = False
    app = create_app(config)
    with app.app_context():
        from jobday.extensions import db as app_db

        return app, record_backends(app_db.engine), app_db.engine


def test_without_the_pool_check_the_next_request_fails_with_503(app, db, tmp_path, smtp_server, postgres_schema):
    """The other side: the same app with ``pool_pre_ping`` turned off loses the request after
    the kill (answered 503 and retryable); the one after that works again."""
    factories.make_edition()
    db.session.commit()
    unchecked, pids, engine = _app_without_pool_check(tmp_path, smtp_server, postgres_schema)
    client = unchecked.test_client()
    try:
        assert client.get("/", headers=EN).status_code == 200
        with admin_engine() as admin:
            assert terminate(admin, pids) == len(pids)
        response = client.get("/", headers=EN)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert client.get("/", headers=EN).status_code == 200
    finally:
        engine.dispose()


def test_a_logged_in_request_on_a_killed_connection_answers_503(app, db, tmp_path, smtp_server, postgres_schema):
    """The logged-in user is read straight from the driver (``accounts.user_row``): a connection
    killed under it is told as any statement's (503, retryable, the connection dropped), and
    the next request logs in on a fresh one."""
    from flask import session
    from flask_login import login_user

    user = factories.make_candidate(email="killed@example.org")
    db.session.commit()
    user_id, user_class = user.id, type(user)  # read here: the test's session stays on its own engine
    unchecked, pids, engine = _app_without_pool_check(tmp_path, smtp_server, postgres_schema)
    with unchecked.app_context():
        from jobday.extensions import db as unchecked_db

        with unchecked.test_request_context(headers={"User-Agent": "pytest"}):
            login_user(unchecked_db.session.get(user_class, user_id))
            cookie = unchecked.session_interface.get_signing_serializer(unchecked).dumps(dict(session))
        unchecked_db.session.remove()
    client = unchecked.test_client(use_cookies=False)
    headers = {**EN, "User-Agent": "pytest", "Cookie": f"session={cookie}"}
    try:
        assert client.get("/livez", headers=headers).status_code == 200
        assert pids, "the request opened no connection"
        with admin_engine() as admin:
            assert terminate(admin, pids) == len(pids)
        response = client.get("/livez", headers=headers)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert client.get("/account/settings", headers=headers).status_code == 200
    finally:
        engine.dispose()


def test_the_application_name_identifies_the_apps_connections(app, db):
    with db.engine.connect() as conn:
        name = conn.exec_driver_sql("SELECT current_setting('application_name')").scalar()
    assert name == "jobday"


# --- killed in the middle of a booking -----------------------------------------------------


@pytest.fixture
def booking_fair(app, db):
    edition = factories.make_edition()
    participation = factories.make_participation(factories.make_company(name="Acme Bio"), edition)
    alice = registered_candidate(edition, first_name="Alice", email="alice@example.org")
    db.session.commit()
    return alice, slots_of(participation)[0].id


@pytest.mark.parametrize(
    ("statement", "on_commit"),
    [("INSERT INTO bookings", False), ("INSERT INTO outbound_emails", False), ("INSERT INTO bookings", True)],
    ids=["at-the-booking-insert", "at-the-email-insert", "at-the-commit"],
)
def test_a_booking_whose_connection_dies_answers_503_and_leaves_nothing(
        app, db, client, login_as, mailbox, booking_fair, statement, on_commit):
    alice, slot_id = booking_fair
    login_as(alice)
    token = client.csrf_token()
    with admin_engine() as admin, kill_when(db.engine, admin, statement, on_commit=on_commit) as killed:
        response = client.post(f"/interviews/slots/{slot_id}/book", data={"csrf_token": token}, headers=EN)
    assert killed, f"no {statement!r} was run"
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "Nothing was saved" in page
    db.session.expire_all()
    assert _count(db, Booking) == 0
    assert db.session.get(InterviewSlot, slot_id).held_by_candidate_id is None
    assert _count(db, OutboundEmail) == 0
    assert mailbox.messages == []

    retry = client.post(f"/interviews/slots/{slot_id}/book", data={"csrf_token": token}, headers=EN)
    assert retry.status_code == 303 and "/interviews/agenda" in retry.location
    db.session.expire_all()
    [booking] = db.session.scalars(select(Booking)).all()
    assert booking.slot_id == slot_id and booking.candidate_id == alice.id and booking.active
    assert db.session.get(InterviewSlot, slot_id).held_by_candidate_id == alice.id
    assert len(mailbox.to("alice@example.org")) == 1


def test_the_503_page_follows_the_users_language(app, db, client, login_as, booking_fair):
    alice, slot_id = booking_fair
    login_as(alice)
    token = client.csrf_token()
    with admin_engine() as admin, kill_when(db.engine, admin, "INSERT INTO bookings"):
        response = client.post(f"/interviews/slots/{slot_id}/book", data={"csrf_token": token})
    assert response.status_code == 503
    assert '<html lang="fr">' in response.get_data(as_text=True)


# --- killed in the middle of a door scan ---------------------------------------------------

# A gate device's entry is written by the statement that reads the badge's last entry (gate_scan).
ENTRY_WRITE = "WITH last_move"


@pytest.fixture
def door(app, db):
    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    edition = factories.make_edition(starts_on=today, registration_opens_at=utcnow() - timedelta(days=30),
                                     registration_closes_at=utcnow() - timedelta(days=2),
                                     booking_opens_at=utcnow() - timedelta(days=20),
                                     booking_closes_at=utcnow() - timedelta(days=1))
    badge = factories.make_badge(factories.make_candidate(), edition)
    _device, token = factories.make_gate_device(edition, gate="A")
    db.session.commit()
    return badge.code, {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def test_a_scan_whose_connection_dies_answers_503_and_its_retry_with_the_same_nonce_counts_once(
        app, db, client, door):
    code, headers = door
    body = {"code": code, "nonce": "fault-nonce-0001"}
    with admin_engine() as admin, kill_when(db.engine, admin, ENTRY_WRITE) as killed:
        response = client.post("/api/v1/checkin", json=body, headers=headers)
    assert killed
    assert response.status_code == 503
    # Flask-Limiter (the door's unknown-code limit) raises it to the end of its window.
    assert int(response.headers["Retry-After"]) >= 5
    assert response.get_json()["error"] == "unavailable"
    assert _count(db, Scan) == 0

    retry = client.post("/api/v1/checkin", json=body, headers=headers)
    assert retry.status_code == 200 and retry.get_json()["result"] == "ok"
    again = client.post("/api/v1/checkin", json=body, headers=headers)  # an answer lost on the way back
    assert again.get_json()["result"] == "ok"  # the recorded answer, not "already inside"
    [scan] = db.session.scalars(select(Scan)).all()
    assert scan.nonce == "fault-nonce-0001" and scan.result == "ok"


def test_a_scan_killed_at_its_commit_is_not_recorded_and_the_retry_is(app, db, client, door):
    code, headers = door
    body = {"code": code, "nonce": "fault-nonce-0002"}
    with admin_engine() as admin, kill_when(db.engine, admin, ENTRY_WRITE, on_commit=True) as killed:
        response = client.post("/api/v1/checkin", json=body, headers=headers)
    assert killed and response.status_code == 503
    assert _count(db, Scan) == 0
    assert client.post("/api/v1/checkin", json=body, headers=headers).get_json()["result"] == "ok"
    assert _count(db, Scan) == 1
