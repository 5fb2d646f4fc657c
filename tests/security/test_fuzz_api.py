"""The door's JSON API under hostile input: ``POST /api/v1/checkin`` and the offline sync.

Arbitrary JSON (hypothesis' recursive strategy), scan-shaped objects with hostile values,
wrong content types, invalid UTF-8, bodies over the limits, missing or wrong tokens. The rules:

- never a 5xx;
- a 4xx is JSON with a machine ``error`` code (``^[a-z_]+$``) and a ``message``, and writes
  nothing at all (checksum of every table);
- a control character in a field the API reads (a NUL in a code) is ``invalid_input``;
- a 200 writes scan rows only: one for a decided scan (``/checkin``), one per decided scan with
  a new nonce (``/sync``, whose refused items carry an ``error`` code instead of a result).

Both hypothesis tests run on SQLite and on PostgreSQL (when ``JOBDAY_TEST_POSTGRES_URL`` is set).
Every example starts from the same world (see ``fuzz_world``): the rows, files and rate
limits are restored first. ``JOBDAY_FUZZ_EXAMPLES`` scales the number of examples.
"""

from __future__ import annotations

import json
import os
import re
import traceback
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jobday.accounts import session_policy
from jobday.checkin.models import ScanResult
from jobday.extensions import db
from tests.security import fuzz_world

EXAMPLES = int(os.environ.get("JOBDAY_FUZZ_EXAMPLES", "5")) * 6
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])
ERROR_CODE = re.compile(r"^[a-z_]+$")
SCANS = "checkin_scans"
# The first scan of a well-formed code on a fresh image: a valid, unknown or revoked badge, or an exit.
ACCEPTABLE_FIRST_SCANS = {ScanResult.OK, ScanResult.UNKNOWN, ScanResult.BADGE_REVOKED, ScanResult.EXIT}


sqlite_world_image, postgres_world_image, world_image = fuzz_world.image_fixtures(fair_today=True)


@pytest.fixture
def server_errors(monkeypatch) -> list[str]:
    import jobday.errors

    seen: list[str] = []
    monkeypatch.setattr(jobday.errors.log, "exception", lambda *args, **kwargs: seen.append(traceback.format_exc()))
    return seen


# --- strategies ----------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(TEXT, children, max_size=5),
    max_leaves=25)
HOSTILE = st.one_of(
    JSON, st.sampled_from(["", " ", "\x00", "\u202e", "😀" * 30, "<script>alert(1)</script>", "' OR 1=1 --",
                           "A" * 201, "A" * 65, "../../etc/passwd", "ENTRY", "Exit", "true", "2024-02-30T00:00"]),
    st.integers(1, 100_000).map(lambda n: "x" * n))


def _code(world: fuzz_world.World) -> st.SearchStrategy:
    good = st.sampled_from([world.badge_code, world.revoked_badge_code])
    return st.one_of(good, good.map(str.lower), good.map(lambda c: f"  {c[:4]}-{c[4:]}  "),
                     good.map(lambda c: c[:-1]), good.map(lambda c: c[:4] + "\x00" + c[4:]), HOSTILE)


def _scan(world: fuzz_world.World, *, offline: bool) -> st.SearchStrategy:
    now = datetime.now(UTC)
    times = st.integers(-3 * 24 * 3600, 2 * 3600).map(lambda s: (now + timedelta(seconds=s)).isoformat())
    fields = {
        "code": _code(world),
        "nonce": st.one_of(st.from_regex(r"[A-Za-z0-9_.:-]{8,64}", fullmatch=True), HOSTILE),
        "mode": st.one_of(st.sampled_from(["entry", "exit"]), HOSTILE),
        "force": st.one_of(st.booleans(), HOSTILE),
        "gate": st.one_of(st.sampled_from(["A", "B 2"]), HOSTILE),
    }
    if offline:
        fields["client_time"] = st.one_of(times, times.map(lambda t: t[:19]), HOSTILE)
        fields["local_result"] = st.one_of(st.sampled_from(["ok", "unknown"]), HOSTILE)
    required = ("code", "nonce", "client_time") if offline else ("code", "nonce")
    return st.fixed_dictionaries({k: v for k, v in fields.items() if k in required},
                                 optional={k: v for k, v in fields.items() if k not in required})


@st.composite
def requests(draw, world: fuzz_world.World, *, sync: bool):
    """(raw body bytes, content type, headers, auth): a gate device's token, a staff session
    with or without its CSRF header, no credentials, or a wrong token."""
    if sync:
        scans = st.lists(st.one_of(_scan(world, offline=True), _scan(world, offline=True), JSON), max_size=8)
        shaped = st.fixed_dictionaries({"scans": scans}, optional={"extra": JSON})
    else:
        shaped = _scan(world, offline=False)
    payload = draw(st.one_of(shaped, shaped, JSON))
    body = json.dumps(payload).encode()
    form = draw(st.sampled_from(["json", "json", "json", "text", "form", "none", "utf16", "bad_utf8", "huge",
                                 "truncated"]))
    content_type = {"text": "text/plain", "form": "application/x-www-form-urlencoded",
                    "none": None}.get(form, "application/json")
    if form == "utf16":
        body = json.dumps(payload).encode("utf-16")
    elif form == "bad_utf8":
        body = body[:1] + b"\xff\xfe\xc3\x28" + body[1:]
    elif form == "huge":
        body = b'{"scans": [' + b'"' + b"x" * draw(st.integers(8 * 1024, 600 * 1024)) + b'"]}'
    elif form == "truncated":
        body = body[: max(0, len(body) - draw(st.integers(1, 5)))]
    auth = draw(st.sampled_from(["device", "device", "device", "staff", "staff", "staff-no-csrf", "none", "wrong",
                                 "garbage"]))
    headers = {"device": {"Authorization": f"Bearer {world.device_token}"},
               "wrong": {"Authorization": "Bearer gd_" + "A" * 43},
               "garbage": {"Authorization": "Bearer \u202e" + "x" * 300}}.get(auth, {})
    return body, content_type, headers, auth


# --- the check -----------------------------------------------------------------------

def post_once(app, image, url: str, drawn, errors: list[str]):
    fuzz_world.restore(app, image)
    errors.clear()
    body, content_type, headers, auth = drawn
    client = app.test_client()  # a JobdayClient (the client fixture set the class): a fresh cookie jar
    if auth.startswith("staff"):
        with client.session_transaction() as session:
            session["_user_id"] = image.world.login_ids["staff"]
            session["_fresh"] = True
            session.update(session_policy.login_stamps(remembered=False))
        if auth == "staff":
            headers = {"X-CSRFToken": client.csrf_token()}
    before = fuzz_world.fingerprint(app)
    response = client.post(url, data=body, content_type=content_type, headers=headers)
    if response.status_code >= 500:
        raise AssertionError(f"{url} answered {response.status_code}\n" + "".join(errors))
    assert response.mimetype == "application/json", (response.status_code, response.get_data()[:200])
    answer = response.get_json()
    after = fuzz_world.fingerprint(app)
    changed = fuzz_world.changed_tables(before, after)
    if response.status_code >= 400:
        assert isinstance(answer.get("error"), str) and ERROR_CODE.match(answer["error"]), answer
        assert isinstance(answer.get("message"), str) and answer["message"], answer
        assert changed == {}, (response.status_code, answer, changed)
        return response
    assert response.status_code == 200
    assert set(changed) <= {SCANS}, changed
    new_rows = after[SCANS][0] - before[SCANS][0]
    return response, answer, new_rows


def test_checkin_never_fails_on_hostile_input(backend, app, client, world_image, server_errors):
    @SETTINGS
    @given(requests(world_image.world, sync=False))
    def check(drawn):
        result = post_once(app, world_image, "/api/v1/checkin", drawn, server_errors)
        if isinstance(result, tuple):
            _, answer, new_rows = result
            assert new_rows == 1 and answer["result"] in ACCEPTABLE_FIRST_SCANS, answer

    check()


def test_sync_never_fails_on_hostile_input(backend, app, client, world_image, server_errors):
    @SETTINGS
    @given(requests(world_image.world, sync=True))
    def check(drawn):
        result = post_once(app, world_image, "/api/v1/checkin/sync", drawn, server_errors)
        if isinstance(result, tuple):
            _, answer, new_rows = result
            sent = json.loads(drawn[0])["scans"]
            assert len(answer["results"]) == len(sent)
            decided = {item["nonce"] for item in answer["results"] if "result" in item}
            for item in answer["results"]:
                assert ("result" in item) != ("error" in item), item
                assert "error" not in item or ERROR_CODE.match(item["error"]), item
            assert new_rows == len(decided), (new_rows, answer)

    check()


# --- fixed cases the strategies reach only by chance -------------------------------------

def _device(world_image) -> dict:
    return {"Authorization": f"Bearer {world_image.world.device_token}"}


@pytest.mark.parametrize("url", ["/api/v1/checkin", "/api/v1/checkin/sync"])
@pytest.mark.parametrize("body, content_type, status, code", [
    (b'{"code": "x", "nonce": "abcdefgh"}', "text/plain", 400, "invalid_input"),
    (b"\xff\xfe\x00\x01", "application/json", 400, "invalid_input"),
    (b'{"code": "\xc3\x28", "nonce": "abcdefgh"}', "application/json", 400, "invalid_input"),
    (b"[1, 2, 3]", "application/json", 400, "invalid_input"),
    (b'"just a string"', "application/json", 400, "invalid_input"),
    (b"", "application/json", 400, "invalid_input"),
    (b'{"scans": "' + b"x" * (700 * 1024) + b'"}', "application/json", 413, "too_large"),
    (b"[" * 600_000, "application/json", 413, "too_large"),
])
def test_malformed_bodies_get_a_json_error_and_write_nothing(app, client, world_image, server_errors, url, body,
                                                             content_type, status, code):
    fuzz_world.restore(app, world_image)
    before = fuzz_world.fingerprint(app)
    response = client.post(url, data=body, content_type=content_type, headers=_device(world_image))
    assert response.status_code == status and response.get_json()["error"] == code
    assert server_errors == [] and fuzz_world.fingerprint(app) == before


def test_deeply_nested_json_under_the_size_limit_is_refused_cleanly(app, client, world_image, server_errors):
    """Python's JSON parser recurses: 2,000 nested arrays (4 KB) must not become a 500."""
    fuzz_world.restore(app, world_image)
    before = fuzz_world.fingerprint(app)
    for url in ("/api/v1/checkin", "/api/v1/checkin/sync"):
        response = client.post(url, data=b"[" * 2000 + b"]" * 2000, content_type="application/json",
                               headers=_device(world_image))
        assert response.status_code == 400 and response.get_json()["error"] == "invalid_input"
    assert server_errors == [] and fuzz_world.fingerprint(app) == before


def test_a_decided_scan_writes_one_row_and_a_refused_one_none(app, client, world_image):
    """Both sides of the rule the fuzzer checks: the same scan, well formed and not."""
    fuzz_world.restore(app, world_image)
    scan = {"code": world_image.world.badge_code, "nonce": "nonce-0001"}
    before = fuzz_world.fingerprint(app)
    refused = client.post("/api/v1/checkin", json={**scan, "force": "yes"}, headers=_device(world_image))
    assert refused.status_code == 400 and refused.get_json() == {
        "error": "invalid_input", "field": "force", "message": refused.get_json()["message"]}
    assert fuzz_world.fingerprint(app) == before
    decided = client.post("/api/v1/checkin", json=scan, headers=_device(world_image))
    assert decided.status_code == 200 and decided.get_json()["result"] == "ok"
    after = fuzz_world.fingerprint(app)
    assert set(fuzz_world.changed_tables(before, after)) == {SCANS}
    assert after[SCANS][0] == before[SCANS][0] + 1
    again = client.post("/api/v1/checkin", json=scan, headers=_device(world_image))  # the same nonce: a replay
    assert again.get_json() == decided.get_json() and fuzz_world.fingerprint(app) == after


def test_a_device_gate_must_be_well_formed_and_is_then_ignored(app, client, world_image):
    """As documented: a device scans at its own gate; a gate it sends is checked, not used."""
    from jobday.checkin.models import Scan

    fuzz_world.restore(app, world_image)
    before = fuzz_world.fingerprint(app)
    scan = {"code": world_image.world.badge_code, "nonce": "nonce-gate-1"}
    for gate in ({}, "", "<script>", "x" * 21, None):
        response = client.post("/api/v1/checkin", json={**scan, "gate": gate}, headers=_device(world_image))
        assert response.status_code == 400 and response.get_json()["field"] == "gate", gate
    assert fuzz_world.fingerprint(app) == before
    response = client.post("/api/v1/checkin", json={**scan, "gate": "Z 9"}, headers=_device(world_image))
    assert response.status_code == 200 and response.get_json()["result"] == "ok"
    assert [s.gate for s in db.session.scalars(select(Scan))] == ["A"]  # the device's gate
