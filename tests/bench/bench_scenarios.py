"""Bench: the load scenarios of issue 9, real HTTP against gunicorn (4 workers) on PostgreSQL.

Each scenario runs in a schema of its own in ``JOBDAY_TEST_POSTGRES_URL`` (default
``postgresql:///test``), built from the migrations and dropped afterwards; the load comes
from simulated people on the same machine (one thread and one connection each, real forms
with their CSRF tokens, real session cookies). Each is bounded to 90 s of load.

- registration opens: 300 candidates sign up, confirm their address from the e-mail, fill
  their profile and register within a minute while 60 recruiters edit their plans;
- booking opens: the organiser opens booking and 600 candidates rush to book 3 interviews
  each, mostly at the 8 popular companies of 40;
- the door at 9:00: 1,200 arrivals (plus 10% repeats, 2% unknown codes) at 4 gates, a
  20-minute morning compressed 20 times into a minute, while 2 organisers watch the board.

Each prints requests, throughput and p50/p99 per request type, then the database checks.
The test fails on any unexpected answer, unfinished journey or missing or doubled row, never
on speed (the machine is shared: figures are indicative).

Run with ``make bench`` or
``.venv/bin/python -m pytest tests/bench/bench_scenarios.py -o python_files='bench_*.py' -s -q``.
"""

from __future__ import annotations

from tests.bench import scenario_booking, scenario_door, scenario_registration
from tests.bench.loadgen import Recorder
from tests.bench.scenario_common import (
    CpuMeter,
    Server,
    assert_clean,
    migrated_app,
    postgres_schema,
    report,
    server_settings,
)


def test_registration_opens(tmp_path):
    with postgres_schema("jobday_scen_reg") as schema:
        settings = server_settings(tmp_path, schema)
        companies = scenario_registration.seed(migrated_app(tmp_path, settings))
        server, recorder = Server(tmp_path, settings), Recorder()
        try:
            with CpuMeter(server) as cpu:
                outcome = scenario_registration.run(server.port, tmp_path, companies, recorder)
        finally:
            server.stop()
        checks, notes = scenario_registration.check(settings, outcome)
    print(report(f"registration opens: {scenario_registration.CANDIDATES} candidates sign up and register, "
                 f"{scenario_registration.COMPANIES} recruiters edit their plans", recorder, checks, notes, cpu))
    assert_clean(recorder, checks)


def test_booking_opens(tmp_path):
    with postgres_schema("jobday_scen_book") as schema:
        settings = server_settings(tmp_path, schema)
        seeded = scenario_booking.seed(migrated_app(tmp_path, settings))
        server, recorder = Server(tmp_path, settings), Recorder()
        try:
            with CpuMeter(server) as cpu:
                outcome = scenario_booking.run(server.port, seeded, recorder)
        finally:
            server.stop()
        checks, notes = scenario_booking.check(settings, seeded, outcome, recorder)
    print(report(f"booking opens: {scenario_booking.CANDIDATES} candidates rush to book "
                 f"{scenario_booking.WANTED} interviews each at {len(seeded.popular) + len(seeded.others)} companies",
                 recorder, checks, notes, cpu))
    assert_clean(recorder, checks)


def test_door_at_nine(tmp_path):
    with postgres_schema("jobday_scen_door") as schema:
        settings = server_settings(tmp_path, schema)
        seeded = scenario_door.seed(migrated_app(tmp_path, settings))
        server, recorder = Server(tmp_path, settings), Recorder()
        try:
            with CpuMeter(server) as cpu:
                scans, board = scenario_door.run(server.port, seeded, recorder)
        finally:
            server.stop()
        checks, notes = scenario_door.check(settings, seeded, scans, board)
    print(report(f"the door at 9:00: {scenario_door.PEOPLE} arrivals at {len(scenario_door.GATES)} gates "
                 f"(+{scenario_door.REPEATS} repeats, {scenario_door.UNKNOWN} unknown codes), board watched",
                 recorder, checks, notes, cpu))
    assert_clean(recorder, checks)
