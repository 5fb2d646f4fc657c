"""Bench: the load scenarios of issue 9, real HTTP against gunicorn (4 workers), on PostgreSQL
and on SQLite.

The server is laid out as in production: gunicorn (4 workers) and the job worker beside it,
which sends the e-mails (and renders the badges attached to them) outside the web requests;
each run prints the web workers' CPU per request and the job worker's CPU apart.

Each scenario runs in a schema of its own in ``JOBDAY_TEST_POSTGRES_URL`` (default
``postgresql:///test``), built from the migrations and dropped afterwards, or in a SQLite file
of its own; the load comes
from simulated people on the same machine (one thread and one connection each, real forms
with their CSRF tokens, real session cookies). Each load is bounded to 75-80 s.

- registration opens: 300 candidates sign up, confirm their address from the e-mail, fill
  their profile and register within a minute while 60 recruiters edit their plans;
- booking opens: the organiser opens booking and 600 candidates rush to book 3 interviews
  each, mostly at the 8 popular companies of 40;
- the door at 9:00: 1,200 arrivals (plus 10% repeats, 2% unknown codes) at 4 gates, a
  20-minute morning compressed 20 times into a minute, while 2 organisers watch the board.

Each prints requests, throughput and p50/p99 per request type, then the database checks.
The test fails on any unexpected answer (a 5xx, a refused form, a wrong refusal code) and on
any missing or doubled row, never on speed: a request left unanswered for 60 s and the
journeys the time bound cuts short are reported, and the database checks then hold the
rows to what was acknowledged (and at most to what was sent).

Run with ``make bench`` or
``.venv/bin/python -m pytest tests/bench/bench_scenarios.py -o python_files='bench_*.py' -s -q``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.bench import scenario_booking, scenario_door, scenario_registration
from tests.bench.loadgen import Recorder
from tests.bench.scenario_common import (
    Checks,
    JobWorker,
    Server,
    ServerMeter,
    assert_clean,
    deployed,
    drain_outbox,
    migrated_app,
    password_hashing,
    report,
    warm_up,
)


@contextmanager
def serving(folder, settings: dict, warm: list[str]) -> Iterator[tuple[int, Recorder, ServerMeter]]:
    """gunicorn and the job worker on the seeded schema, warmed up; the load runs inside,
    measured, then the worker sends what is left in the outbox."""
    worker = JobWorker(folder, settings)
    server, recorder = Server(folder, settings), Recorder()
    meter = ServerMeter(server, folder / "gunicorn.log", worker)
    try:
        warm_up(server, warm)
        with meter:
            yield server.port, recorder, meter
        drain_outbox(settings)
        meter.worker_done()
    finally:
        server.stop()
        worker.stop()
    meter.read_log()


def finish(title: str, recorder: Recorder, checks: Checks, notes: list[str], meter: ServerMeter) -> None:
    """Print the scenario's report; fail on wrong answers, failed checks or server errors, never on speed."""
    checks.add("no error or traceback in the server's log", not meter.errors, f"{meter.errors[:3]}")
    print(report(title, recorder, checks, notes, meter))
    assert_clean(recorder, checks)


BACKENDS = pytest.mark.parametrize("backend", ["postgresql", "sqlite"])


@BACKENDS
def test_registration_opens(tmp_path, backend):
    scenario = scenario_registration
    with deployed(backend, "jobday_scen_reg", tmp_path) as (settings, layout):
        companies = scenario.seed(migrated_app(tmp_path, settings))
        warm = ["/healthz", f"/editions/{scenario.YEAR}", f"/editions/{scenario.YEAR}/signup", "/account/login"]
        with serving(tmp_path, settings, warm) as (port, recorder, meter):
            outcome = scenario.run(port, tmp_path, companies, recorder)
        checks, notes = scenario.check(settings, outcome)
    notes += password_hashing(recorder, meter)
    finish(f"registration opens ({backend}; {layout}): {scenario.CANDIDATES} candidates sign up and register, "
           f"{scenario.COMPANIES} recruiters edit their plans", recorder, checks, notes, meter)


@BACKENDS
def test_booking_opens(tmp_path, backend):
    scenario = scenario_booking
    with deployed(backend, "jobday_scen_book", tmp_path) as (settings, layout):
        seeded = scenario.seed(migrated_app(tmp_path, settings))
        with serving(tmp_path, settings, ["/healthz", "/account/login", "/interviews"]) as (port, recorder, meter):
            outcome = scenario.run(port, seeded, recorder)
        checks, notes = scenario.check(settings, seeded, outcome, recorder)
    notes += password_hashing(recorder, meter)
    finish(f"booking opens ({backend}; {layout}): {scenario.CANDIDATES} candidates rush to book "
           f"{scenario.WANTED} interviews each at {scenario.POPULAR + scenario.OTHERS} companies",
           recorder, checks, notes, meter)


@BACKENDS
def test_door_at_nine(tmp_path, backend):
    scenario = scenario_door
    with deployed(backend, "jobday_scen_door", tmp_path) as (settings, layout):
        seeded = scenario.seed(migrated_app(tmp_path, settings))
        with serving(tmp_path, settings, ["/healthz", "/account/login", "/staff/arrivals"]) as (port, recorder, meter):
            scans, board = scenario.run(port, seeded, recorder)
        checks, notes = scenario.check(settings, seeded, scans, board)
    finish(f"the door at 9:00 ({backend}; {layout}): {scenario.PEOPLE} arrivals at {len(scenario.GATES)} gates "
           f"(+{scenario.REPEATS} repeats, {scenario.UNKNOWN} unknown codes), board watched", recorder, checks, notes,
           meter)
