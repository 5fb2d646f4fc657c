"""POST /api/v1/checkin: one test per result (result, status, rows), nonces, authentication,
CSRF, what the answer may carry, hostile input and the guessing limit."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from jobday.checkin.devices import device_at_door, revoke_device
from jobday.checkin.models import Scan
from jobday.db import utcnow
from jobday.editions.services import current_edition
from jobday.extensions import db as _db
from tests import factories
from tests.checkin.conftest import nonce
from tests.sql_transactions import recorded_transactions

KEYS = {"result", "message", "name", "role", "company", "interviews", "first_entry", "forced", "forced_reason",
        "revoked_at", "replaced"}


def scans() -> list[Scan]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(Scan).order_by(Scan.id)))


def person(edition, role="candidate", **fields):
    user = factories.make_user(first_name="Ana", last_name="Lopez")
    badge = factories.make_badge(user, edition, role=role, **fields)
    _db.session.commit()
    return user, badge


# --- one test per result ---------------------------------------------------------------

def test_ok_lets_the_person_in_and_writes_one_row(backend, scan, today_edition, device):
    _, badge = person(today_edition)
    response = scan(badge.code)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == KEYS
    assert body["result"] == "ok" and body["name"] == "Ana Lopez" and body["role"] == "candidate"
    [row] = scans()
    assert (row.result, row.badge_id, row.reason) == ("ok", badge.id, "")
    assert (row.gate, row.device_id) == ("A", device[0].id)
    assert row.code == badge.code and row.raw_input == badge.code and not row.forced


def test_second_scan_is_already_inside_with_the_first_entry(backend, scan, today_edition):
    _, badge = person(today_edition)
    scan(badge.code)
    response = scan(badge.code.lower())
    body = response.get_json()
    assert response.status_code == 200 and body["result"] == "already_inside"
    first, second = scans()
    assert second.result == "already_inside" and second.first_scan_id == first.id
    assert body["first_entry"]["gate"] == "A"
    assert body["first_entry"]["at"] == first.scanned_at.isoformat()


def test_unknown_code(backend, scan, today_edition):
    response = scan("ZZZZ-not-a-code")
    assert response.status_code == 200
    body = response.get_json()
    assert body["result"] == "unknown" and body["name"] == "" and set(body) == KEYS
    [row] = scans()
    assert row.result == "unknown" and row.badge_id is None and row.raw_input == "ZZZZ-not-a-code"


def test_revoked_badge(backend, scan, today_edition):
    _, badge = person(today_edition, status="revoked", revoke_reason="lost")
    response = scan(badge.code)
    assert response.status_code == 200 and response.get_json()["result"] == "badge_revoked"
    assert "find the person by name" in response.get_json()["message"]  # what the door staff can do next
    french = scan(badge.code, headers={"Accept-Language": "fr"}).get_json()["message"]
    assert french == "Ce badge a été révoqué. Demandez le nouveau badge ou cherchez la personne par son nom."
    row = scans()[0]
    assert (row.result, row.reason, row.badge_id) == ("badge_revoked", "badge_revoked", badge.id)


def test_badge_of_another_edition(backend, scan, today_edition):
    old = factories.make_edition(starts_on=today_edition.starts_on - timedelta(days=365))
    _, badge = person(old)
    response = scan(badge.code)
    assert response.status_code == 200 and response.get_json()["result"] == "wrong_edition"
    [row] = scans()
    assert row.result == "wrong_edition" and row.edition_id == today_edition.id


def test_not_today(app, client, db):
    edition = factories.make_edition()  # 60 days ahead: the door is not open yet
    _, token = factories.make_gate_device(edition)
    _, badge = person(edition)
    response = client.post("/api/v1/checkin", json={"code": badge.code, "nonce": nonce()},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["result"] == "not_today"
    assert [s.result for s in scans()] == ["not_today"]


def test_withdrawn_registration_is_cancelled(backend, scan, today_edition):
    user, badge = person(today_edition)
    factories.make_registration(user, today_edition, status="withdrawn")
    _db.session.commit()
    response = scan(badge.code)
    assert response.status_code == 200 and response.get_json()["result"] == "cancelled"
    assert [s.result for s in scans()] == ["cancelled"]


def test_a_replaced_badge_says_when_it_was_replaced(backend, scan, today_edition):
    from jobday.badges.services import reissue_badge

    user, badge = person(today_edition)
    new = reissue_badge(badge, reason="lost", actor=None, notify=False)
    _db.session.commit()
    body = scan(badge.code).get_json()
    assert (body["result"], body["replaced"]) == ("badge_revoked", True)
    assert body["revoked_at"] == badge.revoked_at.isoformat()
    body = scan(new.code).get_json()
    assert (body["result"], body["revoked_at"], body["replaced"], body["forced_reason"]) == ("ok", None, False, "")


def test_badge_revoked_for_withdrawal_is_cancelled(backend, scan, today_edition):
    _, badge = person(today_edition, status="revoked", revoke_reason="withdrawn")
    assert scan(badge.code).get_json()["result"] == "cancelled"


def test_exit_then_reentry_when_the_edition_records_exits(backend, scan, today_edition):
    today_edition.records_exits = True
    _, badge = person(today_edition)
    assert scan(badge.code).get_json()["result"] == "ok"
    response = scan(badge.code, mode="exit")
    assert response.status_code == 200 and response.get_json()["result"] == "exit"
    assert scan(badge.code).get_json()["result"] == "ok"
    assert [s.result for s in scans()] == ["ok", "exit", "ok"]


def test_exit_scan_refused_when_exits_are_not_recorded(backend, scan, today_edition):
    _, badge = person(today_edition)
    response = scan(badge.code, mode="exit")
    assert response.status_code == 409 and response.get_json()["error"] == "exits_not_recorded"
    assert scans() == []


# --- force, nonces --------------------------------------------------------------------

def test_an_organiser_forces_a_refused_badge_and_the_scan_is_marked(client, login_as, today_edition):
    admin = login_as("admin")
    _, badge = person(today_edition, status="revoked")
    token = client.csrf_token()
    response = client.post("/api/v1/checkin", json={"code": badge.code, "gate": "B", "nonce": nonce(),
                                                    "force": True}, headers={"X-CSRFToken": token})
    body = response.get_json()
    assert response.status_code == 200 and body["result"] == "ok" and body["forced"] is True
    assert body["forced_reason"] == "badge_revoked"  # the door says what was overridden
    [row] = scans()
    assert (row.result, row.forced, row.reason) == ("ok", True, "badge_revoked")
    assert (row.staff_user_id, row.gate) == (admin.id, "B")
    from jobday.extensions import db
    from jobday.staff.models import AuditEntry

    [entry] = db.session.query(AuditEntry).filter_by(action="forced_scan").all()
    assert (entry.actor_id, entry.object_id) == (admin.id, row.id)


def test_door_staff_cannot_force(client, login_as, today_edition):
    login_as("staff")
    _, badge = person(today_edition, status="revoked")
    token = client.csrf_token()
    response = client.post("/api/v1/checkin", json={"code": badge.code, "gate": "B", "nonce": nonce(),
                                                    "force": True}, headers={"X-CSRFToken": token})
    assert response.status_code == 403 and scans() == []


def test_a_retried_nonce_writes_one_row_and_gives_the_same_answer(backend, scan, today_edition):
    _, badge = person(today_edition)
    first = scan(badge.code, nonce="retry-000001").get_json()
    again = scan(badge.code, nonce="retry-000001").get_json()
    assert first == again and first["result"] == "ok"
    assert len(scans()) == 1
    unknown = scan("unknown-code", nonce="retry-000002").get_json()
    assert unknown == scan("unknown-code", nonce="retry-000002").get_json()
    assert len(scans()) == 2


# --- who may scan ---------------------------------------------------------------------

@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_revoked_or_expired_device_is_refused(backend, scan, today_edition, device, state):
    _, badge = person(today_edition)
    if state == "revoked":
        device[0].revoked_at = utcnow()
    else:
        device[0].expires_at = utcnow() - timedelta(seconds=1)
    _db.session.commit()
    response = scan(badge.code)
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_token"
    assert scans() == []


def test_device_of_another_edition_is_refused(backend, scan, today_edition):
    later = factories.make_edition(starts_on=today_edition.starts_on + timedelta(days=365))
    _, token = factories.make_gate_device(later)
    _, badge = person(today_edition)
    response = scan(badge.code, token=token)
    assert response.status_code == 403 and response.get_json()["error"] == "wrong_edition_device"
    assert scans() == []


def test_unknown_token_is_refused(backend, scan, today_edition):
    assert scan("X", token="gd_made-up").status_code == 401
    assert scans() == []


@pytest.mark.parametrize("role", ["candidate", "recruiter"])
def test_candidate_or_recruiter_session_cannot_scan(client, login_as, today_edition, role):
    login_as(role)
    _, badge = person(today_edition)
    response = client.post("/api/v1/checkin", json={"code": badge.code, "gate": "A", "nonce": nonce()},
                           headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 403 and scans() == []


def test_staff_session_without_csrf_header_cannot_scan(client, login_as, today_edition):
    login_as("staff")
    _, badge = person(today_edition)
    response = client.post("/api/v1/checkin", json={"code": badge.code, "gate": "A", "nonce": nonce()})
    assert response.status_code == 400 and response.get_json()["error"] == "csrf_failed"
    assert scans() == []


def test_staff_session_with_csrf_header_scans(client, login_as, today_edition):
    staff = login_as("staff")
    _, badge = person(today_edition)
    response = client.post("/api/v1/checkin", json={"code": badge.code, "gate": "A", "nonce": nonce()},
                           headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 200 and response.get_json()["result"] == "ok"
    assert [(s.staff_user_id, s.scope) for s in scans()] == [(staff.id, f"u{staff.id}")]


def test_anonymous_cannot_scan(client, today_edition):
    response = client.post("/api/v1/checkin", json={"code": "X", "gate": "A", "nonce": nonce()})
    assert response.status_code == 401 and scans() == []


# --- what the answer carries ----------------------------------------------------------

def test_answer_carries_no_personal_data_beyond_name_company_role_and_interviews(scan, today_edition):
    user, badge = person(today_edition, role="recruiter", company_name="Lonza")
    body = scan(badge.code).get_json()
    assert set(body) == KEYS
    assert body["company"] == "Lonza" and body["role"] == "recruiter"
    text = str(body)
    assert user.email not in text and str(user.id) not in body.values()


# --- hostile input --------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    [], "code", 12, {"code": 12, "nonce": "nonce-12345678"}, {"code": ["a"], "nonce": "nonce-12345678"},
    {"code": "ABC"}, {"code": "ABC", "nonce": 5}, {"code": "ABC", "nonce": "short"},
    {"code": "ABC", "nonce": "nonce-12345678", "force": "yes"}, {"code": "", "nonce": "nonce-12345678"},
    {"code": "x" * 201, "nonce": "nonce-12345678"}, {"code": "ABC", "nonce": "nonce\x00\x01-12345678"},
    {"code": "ABC", "nonce": "nonce-12345678", "mode": "sideways"},
])
def test_malformed_input_gets_a_4xx_json_error(client, device, payload):
    response = client.post("/api/v1/checkin", json=payload, headers={"Authorization": f"Bearer {device[1]}"})
    assert 400 <= response.status_code < 500
    assert "error" in response.get_json()
    assert scans() == []


def test_not_json_and_huge_bodies_are_refused(client, device):
    auth = {"Authorization": f"Bearer {device[1]}"}
    assert client.post("/api/v1/checkin", data="code=ABC", headers=auth).status_code == 400
    huge = client.post("/api/v1/checkin", data=b'{"code": "' + b"A" * 100_000 + b'"}', headers=auth,
                       content_type="application/json")
    assert huge.status_code == 413 and huge.get_json()["error"] == "too_large"
    assert scans() == []


def test_control_characters_are_stripped_and_the_badge_found(scan, today_edition):
    _, badge = person(today_edition)
    response = scan("\x02" + badge.code + "\r\n\x1d")
    assert response.get_json()["result"] == "ok"
    assert scans()[0].raw_input == badge.code


def test_ten_thousand_random_codes_never_500(app, scan, today_edition):
    app.config["CHECKIN_UNKNOWN_LIMIT"] = "100000 per minute"
    rng = random.Random(7)
    alphabet = "".join(chr(c) for c in range(1, 0x250)) + "&é\"'(-è_çà"
    statuses = set()
    for _ in range(10_000):
        code = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))
        response = scan(code)
        statuses.add(response.status_code)
        if response.status_code == 200:
            assert response.get_json()["result"] == "unknown"
    assert statuses <= {200, 400}
    assert _db.session.scalar(select(func.count()).select_from(Scan)) >= 9_000


def test_guessing_is_rate_limited_per_device(app, scan, today_edition, db):
    app.config["CHECKIN_UNKNOWN_LIMIT"] = "5 per minute"
    _, badge = person(today_edition)
    _, other_token = factories.make_gate_device(today_edition, gate="B")
    db.session.commit()
    statuses = [scan(f"GUESS{n:04d}").status_code for n in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    response = scan(badge.code)
    assert response.status_code == 429 and response.get_json()["error"] == "rate_limited"
    # Another device is not held back.
    assert scan(badge.code, token=other_token).get_json()["result"] == "ok"


def test_unknown_codes_in_a_sync_batch_count_one_by_one_and_stop_the_batch(backend, app, client, device,
                                                                          today_edition, db):
    """Issue 16, item 4: one device checked 1,500 unknown codes in 5 s through the sync (a
    batch counted once). Each unknown code counts, whatever the endpoint; a batch that uses up
    the limit stops there with 429, answering (and keeping) the scans decided before."""
    app.config["CHECKIN_UNKNOWN_LIMIT"] = "3 per minute"
    _, badge = person(today_edition)
    auth = {"Authorization": f"Bearer {device[1]}", "Accept-Language": "en"}
    at = (utcnow() - timedelta(minutes=5)).isoformat()

    def sync(*codes):
        items = [{"code": code, "nonce": nonce(), "client_time": at} for code in codes]
        return client.post("/api/v1/checkin/sync", json={"scans": items}, headers=auth)

    for _ in range(3):  # known codes do not count
        assert sync(badge.code).status_code == 200
    assert client.post("/api/v1/checkin", json={"code": "GUESS0000", "nonce": nonce()},
                       headers=auth).get_json()["result"] == "unknown"  # the single scan counts too: 1 of 3
    before = len(scans())
    stopped = sync("GUESS0001", badge.code, "GUESS0002", "GUESS0003", "GUESS0004", badge.code)
    assert stopped.status_code == 429 and int(stopped.headers["Retry-After"]) > 0
    body = stopped.get_json()
    assert body["error"] == "rate_limited" and body["message"] and body["retry_after"] > 0
    assert [r["result"] for r in body["results"]] == ["unknown", "already_inside", "unknown"]
    assert len(scans()) == before + 3  # the decided scans are kept, the rest were not read
    refused = sync(badge.code)  # the next batch is refused at once, like a single scan
    assert refused.status_code == 429 and refused.get_json()["error"] == "rate_limited"
    assert client.post("/api/v1/checkin", json={"code": badge.code, "nonce": nonce()},
                       headers=auth).status_code == 429
    assert len(scans()) == before + 3


def test_a_sync_batch_within_the_limit_is_answered_whole(backend, app, client, device, today_edition):
    app.config["CHECKIN_UNKNOWN_LIMIT"] = "4 per minute"
    _, badge = person(today_edition)
    auth = {"Authorization": f"Bearer {device[1]}"}
    at = (utcnow() - timedelta(minutes=5)).isoformat()
    items = [{"code": code, "nonce": nonce(), "client_time": at}
             for code in ("GUESS0001", badge.code, "GUESS0002", "GUESS0003", badge.code)]
    answered = client.post("/api/v1/checkin/sync", json={"scans": items}, headers=auth)
    assert answered.status_code == 200
    assert [r["result"] for r in answered.get_json()["results"]] == [
        "unknown", "ok", "unknown", "unknown", "already_inside"]


# --- replays answer as the first time ---------------------------------------------------

def test_a_replay_gets_the_recorded_answer_even_after_the_badge_changed(backend, scan, today_edition):
    _, badge = person(today_edition)
    first = scan(badge.code, nonce="replay-000001").get_json()
    inside = scan(badge.code, nonce="replay-000002").get_json()
    assert (first["result"], inside["result"]) == ("ok", "already_inside")
    badge.status, badge.revoke_reason = "revoked", "lost"
    _db.session.commit()
    assert scan(badge.code, nonce="replay-000001").get_json() == first
    assert scan(badge.code, nonce="replay-000002").get_json() == inside
    assert scan("another-code", nonce="replay-000001").get_json() == first  # the nonce decides
    assert scan(badge.code, nonce="replay-000003").get_json()["result"] == "badge_revoked"  # a new one does not
    assert [s.result for s in scans()] == ["ok", "already_inside", "badge_revoked"]


def test_the_same_nonce_twice_in_one_sync_batch_is_recorded_once(client, device, today_edition):
    _, badge = person(today_edition)
    at = (utcnow() - timedelta(minutes=5)).isoformat()
    item = {"code": badge.code, "nonce": "offline-twice-01", "client_time": at, "local_result": "ok"}
    body = client.post("/api/v1/checkin/sync", json={"scans": [item, item]},
                       headers={"Authorization": f"Bearer {device[1]}"}).get_json()
    first, again = body["results"]
    assert first == again and first["result"] == "ok"
    assert len(scans()) == 1


def test_an_offline_answer_is_recorded_as_a_known_result_or_not_at_all(client, device, today_edition):
    """A page cached before the rename still says "revoked": it is the badge_revoked answer. A
    result the API does not know is left out, the scan recorded all the same; one that is not a
    string is a malformed scan (an error entry, nothing recorded)."""
    _, revoked = person(today_edition, status="revoked", revoke_reason="lost")
    _, fine = person(today_edition)
    at = (utcnow() - timedelta(minutes=5)).isoformat()
    items = [{"code": revoked.code, "nonce": "offline-legacy-1", "client_time": at, "local_result": "revoked"},
             {"code": fine.code, "nonce": "offline-bogus-01", "client_time": at, "local_result": "maybe"},
             {"code": fine.code, "nonce": "offline-list-001", "client_time": at, "local_result": ["ok"]}]
    response = client.post("/api/v1/checkin/sync", json={"scans": items},
                           headers={"Authorization": f"Bearer {device[1]}"})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r.get("result") for r in results] == ["badge_revoked", "ok", None]
    assert results[2] == {"nonce": "offline-list-001", "error": "invalid_input"}
    assert [(s.result, s.local_result) for s in scans()] == [("badge_revoked", "badge_revoked"), ("ok", None)]


# --- the device's edition ----------------------------------------------------------------

def test_a_device_revoked_between_two_scans_is_refused_at_once(backend, scan, today_edition, device):
    _, badge = person(today_edition)
    assert scan(badge.code).status_code == 200
    revoke_device(device[0], actor=None)
    _db.session.commit()
    response = scan(badge.code)
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_token"
    assert len(scans()) == 1


def test_with_no_edition_ahead_the_latest_is_the_current_one_for_devices(app, client, db):
    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    latest = factories.make_edition(starts_on=today - timedelta(days=400))
    older = factories.make_edition(starts_on=today - timedelta(days=800))
    later_hours = utcnow() + timedelta(hours=1)  # kept usable by hand: only the edition rule is tested
    _, latest_token = factories.make_gate_device(latest, expires_at=later_hours)
    _, older_token = factories.make_gate_device(older, expires_at=later_hours)
    db.session.commit()
    assert current_edition().id == latest.id
    assert device_at_door(latest_token).edition_is_current
    assert not device_at_door(older_token).edition_is_current
    _, badge = person(latest)
    ok = client.post("/api/v1/checkin", json={"code": badge.code, "nonce": nonce()},
                     headers={"Authorization": f"Bearer {latest_token}"})
    assert ok.status_code == 200 and ok.get_json()["result"] == "not_today"
    refused = client.post("/api/v1/checkin", json={"code": badge.code, "nonce": nonce()},
                          headers={"Authorization": f"Bearer {older_token}"})
    assert refused.status_code == 403 and refused.get_json()["error"] == "wrong_edition_device"


# --- the whole path on each database (row lock, ON CONFLICT, the current-edition subquery) ----

def test_the_scan_api_on_each_database(backend, scan, client, today_edition, device):
    user, badge = person(today_edition)
    first = scan(badge.code, nonce="pg-nonce-0001").get_json()
    inside = scan(badge.code, nonce="pg-nonce-0002").get_json()
    assert (first["result"], inside["result"]) == ("ok", "already_inside")
    assert inside["first_entry"]["gate"] == "A"
    assert scan(badge.code, nonce="pg-nonce-0001").get_json() == first
    unknown = scan("not-a-code", nonce="pg-nonce-0003").get_json()
    assert unknown["result"] == "unknown" and scan("not-a-code", nonce="pg-nonce-0003").get_json() == unknown
    withdrawn_user, withdrawn = person(today_edition)
    factories.make_registration(withdrawn_user, today_edition, status="withdrawn")
    _db.session.commit()
    assert scan(withdrawn.code).get_json()["result"] == "cancelled"
    assert [s.result for s in scans()] == ["ok", "already_inside", "unknown", "cancelled"]
    later = factories.make_edition(starts_on=today_edition.starts_on + timedelta(days=365))
    _, later_token = factories.make_gate_device(later)
    _db.session.commit()
    assert scan(badge.code, token=later_token).status_code == 403
    revoke_device(device[0], actor=None)
    _db.session.commit()
    assert scan(badge.code).status_code == 401


# --- SQLite: how long a scan holds the database's write lock ---------------------------------

def _transactions(engine, run) -> list[list[str]]:
    """The statements ``run`` sends, grouped by transaction (first item: its BEGIN)."""
    with recorded_transactions(engine) as found:
        run()
    return found


def test_a_device_scan_is_one_write_transaction_reading_once_on_sqlite(app, scan, today_edition):
    """SQLite: the write lock from the first statement (BEGIN IMMEDIATE), so the device, its
    edition, the badge and its last entry are read in one statement, then the scan written."""
    code = person(today_edition, role="recruiter")[1].code  # a candidate's interviews take one more query
    for expected in ("ok", "already_inside"):
        [write] = _transactions(_db.engine, lambda: scan(code))
        assert write[0] == "BEGIN IMMEDIATE" and len(write) == 3
        assert all(table in write[1] for table in ("FROM checkin_gate_devices", "badges", "checkin_scans"))
        assert write[2].startswith("INSERT INTO checkin_scans")
        assert scans()[-1].result == expected


@pytest.mark.postgres
def test_a_device_scan_reads_the_last_entry_after_locking_the_badge_on_postgresql(app, scan, today_edition):
    """PostgreSQL: the statement that waited for the badge's lock cannot see the scan that held
    it, so the last entry is read by the next statement, the one that writes (see ``gate_scan``)."""
    code = person(today_edition, role="recruiter")[1].code
    found: list[str] = []

    def statement(_conn, _cursor, sql, *_args):
        found.append(sql)

    event.listen(_db.engine, "before_cursor_execute", statement)
    try:
        assert scan(code).get_json()["result"] == "ok"
    finally:
        event.remove(_db.engine, "before_cursor_execute", statement)
    read, enter = found
    assert "FROM checkin_gate_devices" in read and "FOR UPDATE OF badges" in read
    assert "FROM checkin_scans" in enter and "INSERT INTO checkin_scans" in enter and "badges " not in enter


def test_a_device_cannot_force(backend, scan, today_edition):
    _, badge = person(today_edition, status="revoked")
    response = scan(badge.code, force=True)
    assert response.status_code == 403 and scans() == []


def test_an_unusable_token_is_answered_before_a_malformed_body(backend, client, today_edition, device):
    revoke_device(device[0], actor=None)
    _db.session.commit()
    headers = {"Authorization": f"Bearer {device[1]}"}
    assert client.post("/api/v1/checkin", json={"nonce": nonce()}, headers=headers).status_code == 401
    assert client.post("/api/v1/checkin", json={"code": "X", "nonce": nonce()},
                       headers={"Authorization": "Bearer gd_made-up"}).status_code == 401
    assert scans() == []


def test_a_staff_scan_keeps_one_write_transaction(client, login_as, today_edition):
    login_as("staff")
    code, token = person(today_edition)[1].code, client.csrf_token()
    found = _transactions(_db.engine, lambda: client.post(
        "/api/v1/checkin", json={"code": code, "gate": "A", "nonce": nonce()}, headers={"X-CSRFToken": token}))
    [only] = found
    assert any(sql.startswith("INSERT INTO checkin_scans") for sql in only)


def test_a_candidate_sees_today_s_active_interviews_in_order(backend, scan, today_edition):
    from jobday.scheduling.models import Booking
    from tests.scheduling.conftest import slots_of

    user, badge = person(today_edition)
    acme = factories.make_participation(factories.make_company(name="Acme Bio"), today_edition, stand="A1")
    biolab = factories.make_participation(factories.make_company(name="Biolab"), today_edition, stand="B2")
    acme_slots, biolab_slots = slots_of(acme), slots_of(biolab)

    def book(participation, slot, *, active=True, shift=timedelta(0)):
        _db.session.add(Booking(edition_id=today_edition.id, participation_id=participation.id, slot_id=slot.id,
                                candidate_id=user.id, starts_at=slot.starts_at + shift,
                                ends_at=slot.ends_at + shift, active=active))

    book(biolab, biolab_slots[5])
    book(acme, acme_slots[1])
    book(acme, acme_slots[3], active=False)  # cancelled
    book(biolab, biolab_slots[7], shift=timedelta(days=1))  # another day
    _db.session.commit()
    body = scan(badge.code).get_json()
    assert body["result"] == "ok"
    assert body["interviews"] == [
        {"at": acme_slots[1].starts_at.isoformat(), "company": "Acme Bio", "stand": "A1"},
        {"at": biolab_slots[5].starts_at.isoformat(), "company": "Biolab", "stand": "B2"},
    ]
    recruiter = person(today_edition, role="recruiter", company_name="Biolab")[1]
    assert scan(recruiter.code).get_json()["interviews"] == []  # only candidates have interviews


def test_a_scan_that_cannot_get_sqlite_s_write_lock_is_a_503_and_writes_nothing(app, scan, today_edition, tmp_path):
    """The write's ``BEGIN IMMEDIATE`` goes straight to the driver (``db.configure_sqlite``): the
    busy timeout running out is still the database gone away (503, Retry-After), not a 500."""
    import sqlite3

    code = person(today_edition)[1].code
    _db.session.remove()
    _db.engine.dispose()

    @event.listens_for(_db.engine, "connect")
    def _impatient(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=20")

    other = sqlite3.connect(tmp_path / "jobday.sqlite", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        response = scan(code)
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert response.get_json()["error"] == "unavailable"
    finally:
        other.execute("ROLLBACK")
        other.close()
        event.remove(_db.engine, "connect", _impatient)
    assert scans() == []
    assert scan(code).get_json()["result"] == "ok"
