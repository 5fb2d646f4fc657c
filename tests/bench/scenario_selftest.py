"""Self-test of the load scenarios' checks: each scenario runs small, passes, then rows are
deleted or changed behind its back and the checks must say so. Not part of ``make bench``;
run it after changing a scenario:

    .venv/bin/python -m pytest tests/bench/scenario_selftest.py -o python_files=scenario_selftest.py -s -q
"""

from __future__ import annotations

from sqlalchemy import text

from tests.bench import scenario_booking, scenario_door, scenario_registration
from tests.bench.bench_scenarios import serving
from tests.bench.scenario_common import check_engine, migrated_app, postgres_schema, server_settings


def _sql(settings, *statements):
    engine = check_engine(settings)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def test_booking_checks_catch_faults(tmp_path, monkeypatch):
    monkeypatch.setattr(scenario_booking, "CANDIDATES", 40)
    monkeypatch.setattr(scenario_booking, "POPULAR", 2)
    monkeypatch.setattr(scenario_booking, "OTHERS", 6)
    with postgres_schema("jobday_fault_book") as schema:
        settings = server_settings(tmp_path, schema)
        seeded = scenario_booking.seed(migrated_app(tmp_path, settings))
        with serving(tmp_path, settings, ["/healthz"]) as (port, recorder, _meter):
            outcome = scenario_booking.run(port, seeded, recorder)
        checks, _ = scenario_booking.check(settings, seeded, outcome, recorder)
        assert not checks.failed and not recorder.errors()
        by_candidate: dict[int, list[int]] = {}
        for booking_id, (candidate, _slot) in outcome.booked.items():
            by_candidate.setdefault(candidate, []).append(booking_id)
        first, second = next(ids for ids in by_candidate.values() if len(ids) >= 2)[:2]
        lost = next(b for b in outcome.booked if b not in (first, second))
        _sql(settings, f"DELETE FROM bookings WHERE id = {lost}",
             f"UPDATE interview_slots SET held_by_candidate_id = NULL WHERE id = {outcome.booked[lost][1]}",
             f"UPDATE bookings SET (starts_at, ends_at) = (SELECT starts_at + interval '5 minutes', "
             f"ends_at + interval '5 minutes' FROM bookings WHERE id = {first}) WHERE id = {second}")
        checks, _ = scenario_booking.check(settings, seeded, outcome, recorder)
        assert any("every acknowledged booking is stored" in f for f in checks.failed)
        assert any("two places at once" in f for f in checks.failed)
        _sql(settings, "UPDATE interview_slots SET held_by_candidate_id = (SELECT min(id) FROM users) "
                       "WHERE id = (SELECT min(id) FROM interview_slots WHERE held_by_candidate_id IS NULL)")
        checks, _ = scenario_booking.check(settings, seeded, outcome, recorder)
        assert any("held by its candidate" in f for f in checks.failed)


def test_door_checks_catch_faults(tmp_path, monkeypatch):
    monkeypatch.setattr(scenario_door, "PEOPLE", 100)
    monkeypatch.setattr(scenario_door, "REPEATS", 10)
    monkeypatch.setattr(scenario_door, "UNKNOWN", 4)
    monkeypatch.setattr(scenario_door, "COMPRESSION", 120)
    with postgres_schema("jobday_fault_door") as schema:
        settings = server_settings(tmp_path, schema)
        seeded = scenario_door.seed(migrated_app(tmp_path, settings))
        with serving(tmp_path, settings, ["/healthz"]) as (port, recorder, _meter):
            scans, board = scenario_door.run(port, seeded, recorder)
        checks, _notes = scenario_door.check(settings, seeded, scans, board)
        assert not checks.failed and not recorder.errors()
        repeat = next(s for s in scans if s.kind == "repeat")  # stored ok: a second entry for its person
        repeated = {s.code for s in scans if s.kind == "repeat"}
        first = next(s for s in scans if s.kind == "first" and s.code not in repeated)  # deleted: an entry lost
        _sql(settings, f"DELETE FROM checkin_scans WHERE nonce = '{first.nonce}'",
             f"UPDATE checkin_scans SET result = 'ok' WHERE nonce = '{repeat.nonce}'")
        checks, _ = scenario_door.check(settings, seeded, scans, board)
        assert any("every answered scan is a row" in f for f in checks.failed)
        assert any("every answer is what was stored" in f for f in checks.failed)
        assert any("one entry for each person" in f for f in checks.failed)


def test_registration_checks_catch_faults(tmp_path, monkeypatch):
    monkeypatch.setattr(scenario_registration, "CANDIDATES", 12)
    monkeypatch.setattr(scenario_registration, "COMPANIES", 3)
    monkeypatch.setattr(scenario_registration, "ARRIVAL_SECONDS", 5)
    monkeypatch.setattr(scenario_registration, "EDIT_PAUSE", (0.5, 1.0))
    with postgres_schema("jobday_fault_reg") as schema:
        settings = server_settings(tmp_path, schema)
        companies = scenario_registration.seed(migrated_app(tmp_path, settings))
        with serving(tmp_path, settings, ["/healthz"]) as (port, recorder, _meter):
            outcome = scenario_registration.run(port, tmp_path, companies, recorder)
        checks, _ = scenario_registration.check(settings, outcome)
        assert not checks.failed and not recorder.errors()
        person = outcome.candidates[0]
        pid = companies[0].participation_id
        _sql(settings,
             f"DELETE FROM registrations WHERE user_id = (SELECT id FROM users WHERE email = '{person.email}')",
             f"UPDATE participations SET slot_minutes = 55 WHERE id = {pid}",
             f"DELETE FROM interview_slots WHERE id = (SELECT min(s.id) FROM interview_slots s JOIN interview_tables t "
             f"ON t.id = s.table_id WHERE t.participation_id = {companies[1].participation_id})")
        checks, _ = scenario_registration.check(settings, outcome)
        assert any("nothing lost" in f for f in checks.failed)
        assert any("each plan stored" in f for f in checks.failed)
        assert any("exactly the slots" in f for f in checks.failed)
