"""Bench: the booking rush of issue 5 ("Speed and integrity").

When booking opens, 500 candidates try to book the 24 slots of the most popular company
within one second: real HTTP against gunicorn with 4 workers, on SQLite and on PostgreSQL
(a fresh schema in ``JOBDAY_TEST_POSTGRES_URL``, default ``postgresql:///test``). Each
candidate sends one booking request (candidate ``i`` aims at slot ``i % 24``), from a pool
of 64 HTTP clients holding pre-signed session cookies (as after a login) and CSRF tokens.

Checked: exactly 24 bookings, one per slot, no candidate in two places, no 5xx, every
loser answered 409 with ``slot_taken``. Reported: p50/p99 latency, the booking requests/s,
and their ratio to the trivial JSON endpoint (``/livez``) of the same server.

Run with ``make bench`` or
``.venv/bin/python -m pytest tests/bench/bench_booking.py -o python_files='bench_*.py' -s -q``.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from jobday import PROJECT_ROOT, create_app
from jobday.config import database_uri

CANDIDATES = 500
CLIENTS = 64
WORKERS = 4
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
POSTGRES_URL = os.environ.get("JOBDAY_TEST_POSTGRES_URL", "postgresql:///test")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _settings(folder: Path, database_url: str, schema: str | None) -> dict:
    settings = {
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "OUTBOX_FOLDER": str(folder / "outbox"),
        "MAIL_SERVER": "",
        "JOB_QUEUE": "eager",
        "SERVER_URL": "http://127.0.0.1",
        "LOGIN_FAILURE_LIMIT": "100000 per minute",
        "RATELIMIT_STORAGE_URI": "jobday-memory://",  # the embedded default, whatever the environment says
    }
    if schema:
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    return settings


def _seed(app) -> tuple[list[str], list[str], list[int]]:
    """Migrate, then an edition open for booking, the popular company (2 tables × 12 slots)
    and 500 registered candidates. Returns their session cookies, CSRF tokens and the slot ids."""
    from flask import g, session
    from flask_login import login_user
    from flask_migrate import upgrade
    from flask_wtf.csrf import generate_csrf

    from jobday.extensions import db
    from tests import factories
    from tests.scheduling.conftest import slots_of

    with app.app_context():
        upgrade()
        edition = factories.make_edition()
        participation = factories.make_participation(
            factories.make_company(name="Popular Bio"), edition, tables=2
        )
        users = []
        for n in range(CANDIDATES):
            user = factories.make_candidate(email=f"rush{n}@example.org")
            factories.make_registration(user, edition)
            users.append(user)
        slot_ids = [slot.id for slot in slots_of(participation)]
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)
        cookies, tokens = [], []
        for user in users:
            # As a login makes it: Flask-Login's fields and the session rules' login stamps.
            with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
                login_user(user)
                g.pop("csrf_token", None)  # generate_csrf caches the token per app context
                tokens.append(generate_csrf())
                cookies.append(serializer.dumps(dict(session)))
        db.session.remove()
        db.engine.dispose()
    return cookies, tokens, slot_ids


class Server:
    def __init__(self, folder: Path, settings: dict, workers: int = WORKERS) -> None:
        self.port = _free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith("JOBDAY_")}
        for key, value in settings.items():
            env[f"JOBDAY_{key}"] = json.dumps(value) if isinstance(value, dict) else str(value)
        env["PYTHONPATH"] = str(PROJECT_ROOT)
        self.log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "jobday:create_app()",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see {folder / 'gunicorn.log'}")

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return response.status, data, time.perf_counter() - started
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a loaded machine: workers still finishing their requests
            self.process.kill()
            self.process.wait(timeout=20)
        self.log.close()


def _rush(server: Server, cookies, tokens, slot_ids):
    def book(n: int):
        slot_id = slot_ids[n % len(slot_ids)]
        body = f"csrf_token={tokens[n]}"
        headers = {
            "Cookie": f"session={cookies[n]}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "en",
        }
        return server.request("POST", f"/interviews/slots/{slot_id}/book", body, headers)

    with ThreadPoolExecutor(CLIENTS) as pool:
        started = time.perf_counter()
        results = list(pool.map(book, range(CANDIDATES)))
        wall = time.perf_counter() - started
    return results, wall


def _trivial(server: Server):
    with ThreadPoolExecutor(CLIENTS) as pool:
        started = time.perf_counter()
        results = list(pool.map(lambda _n: server.request("GET", "/livez"), range(CANDIDATES)))
        wall = time.perf_counter() - started
    assert all(status == 200 for status, _, _ in results)
    return wall


def _check_database(url: str, settings: dict, slot_ids: list[int]) -> None:
    from jobday.scheduling.models import Booking

    options = settings.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    engine = create_engine(database_uri(url, Path("/tmp")), **options)
    with engine.connect() as conn:
        rows = conn.execute(select(Booking.slot_id, Booking.candidate_id).where(Booking.active)).all()
        held = conn.execute(
            text("SELECT count(*) FROM interview_slots WHERE held_by_candidate_id IS NOT NULL")
        )
        assert held.scalar() == len(slot_ids)
        total = conn.execute(select(func.count(Booking.id))).scalar()
    engine.dispose()
    assert len(rows) == len(slot_ids) == 24 and total == 24, "exactly 24 bookings"
    assert sorted(slot for slot, _ in rows) == sorted(slot_ids), "one booking per slot"
    assert len({candidate for _, candidate in rows}) == 24, "no candidate in two places"


def _run(folder: Path, url: str, schema: str | None, label: str) -> None:
    settings = _settings(folder, url, schema)
    app = create_app({**settings, "INSTANCE_PATH": str(folder)})
    cookies, tokens, slot_ids = _seed(app)
    server = Server(folder, settings)
    try:
        results, wall = _rush(server, cookies, tokens, slot_ids)
        health_wall = _trivial(server)
    finally:
        server.stop()
    statuses = [status for status, _, _ in results]
    winners = [r for r in results if r[0] == 303]
    losers = [r for r in results if r[0] != 303]
    assert not [s for s in statuses if s >= 500], f"server errors: {statuses.count(500)}"
    if len(winners) != 24:
        from collections import Counter

        print(
            Counter(
                (status, body[:3000].decode(errors="replace").split('data-code="')[-1][:20])
                for status, body, _ in losers
            )
        )
    assert len(winners) == 24, f"{len(winners)} bookings answered as made"
    assert all(status == 409 and b'data-code="slot_taken"' in body for status, body, _ in losers), {
        status for status, _, _ in losers
    }
    _check_database(url, settings, slot_ids)
    latencies = sorted(seconds for _, _, seconds in results)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    booking_rate, health_rate = CANDIDATES / wall, CANDIDATES / health_wall
    print(
        f"\n--- booking rush on {label}: {CANDIDATES} requests for 24 slots, {WORKERS} gunicorn workers, "
        f"{CLIENTS} clients"
    )
    print(f"    24 booked, {len(losers)} told 'slot taken', 0 server errors; wall {wall:.2f} s")
    print(f"    latency p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    print(
        f"    booking {booking_rate:.0f} req/s, /livez {health_rate:.0f} req/s, "
        f"ratio {booking_rate / health_rate:.2f}"
    )


def test_booking_rush_on_sqlite(tmp_path):
    _run(tmp_path, f"sqlite:///{tmp_path / 'rush.sqlite'}", None, "SQLite")


def test_booking_rush_on_postgresql(tmp_path):
    admin = create_engine(database_uri(POSTGRES_URL, Path("/tmp")))
    schema = f"jobday_rush_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # noqa: BLE001 - no server: a bench that cannot run fails
        admin.dispose()
        pytest.fail(f"PostgreSQL not reachable at {POSTGRES_URL}: {error}")
    try:
        _run(tmp_path, POSTGRES_URL, schema, "PostgreSQL")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
