"""Bench: the door of issue 7 ("Speed").

gunicorn with 4 workers on SQLite and on PostgreSQL; a load generator on the same machine:
threads holding keep-alive ``http.client`` connections and gate device tokens, sending a mix
of first entries (60%), repeats (25%, answered ``already_inside``) and unknown codes (15%).
Reported: scans/s with p50/p99, their ratio to the trivial JSON endpoint ``/livez`` measured in
the same run with the same generator (half before the scans, half after), and p99 at a paced
100 scans/s. Goals: ≥ 50% of the trivial endpoint's throughput, p99 < 50 ms at 100 scans/s.
``/healthz`` (readiness: a database query, the job queue, the disk) is measured too and its
ratio printed for reference. The scans' bodies are made before the timed run and their
answers read after it, so the generator's own JSON work is not counted against the server.

Run with ``make bench`` or
``.venv/bin/python -m pytest tests/bench/bench_door.py -o python_files='bench_*.py' -s -q``.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from jobday import create_app
from jobday.config import database_uri
from tests.bench.bench_booking import POSTGRES_URL, Server, _settings

PEOPLE = 3000
SCANS = 4000
THREADS = 8
GATES = ("A", "B", "C", "D")
PACED_RATE, PACED_SECONDS = 100, 6


def _seed(app) -> tuple[list[str], list[str]]:
    from flask_migrate import upgrade

    from jobday.badges.codes import new_code
    from jobday.badges.models import Badge
    from jobday.checkin.devices import create_device
    from jobday.db import utcnow
    from jobday.extensions import db
    from tests import factories

    with app.app_context():
        upgrade()
        edition = factories.make_edition(starts_on=datetime.now(ZoneInfo("Europe/Brussels")).date())
        now = utcnow()
        codes = [new_code() for _ in range(PEOPLE)]
        db.session.execute(Badge.__table__.insert(), [
            {"code": code, "edition_id": edition.id, "role": "candidate", "status": "active",
             "issued_at": now, "first_name": f"P{n}", "last_name": "Bench", "company_name": "",
             "stand": "", "locale": "fr",
             "display_hash": "x" * 32, "changed_at": now, "print_count": 0} for n, code in enumerate(codes)])
        tokens = [create_device(edition, gate, actor=None)[1] for gate in GATES]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return codes, tokens


def _plan(codes: list[str], count: int, rng: random.Random, fresh: list[str]) -> list[bytes]:
    """The scans' request bodies, each with its own nonce."""
    plan, seen = [], []
    for _ in range(count):
        draw = rng.random()
        if draw < 0.15:
            code = "UNKNOWN" + uuid.uuid4().hex[:11].upper()
        elif draw < 0.40 and seen:
            code = rng.choice(seen)
        else:
            code = fresh.pop() if fresh else rng.choice(codes)
            seen.append(code)
        plan.append(json.dumps({"code": code, "nonce": uuid.uuid4().hex}).encode())
    return plan


def _answered(results: list[tuple[int, bytes, float]]) -> list[tuple[int, str, float]]:
    """(status, the answer's result, seconds) of each scan."""
    return [(status, json.loads(data).get("result", "") if status == 200 else "", seconds)
            for status, data, seconds in results]


class Client:
    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def scan(self, body: bytes) -> tuple[int, bytes, float]:
        """A scan's request (its JSON body made beforehand: the generator's own work stays out
        of the timed run, as it would on the gates' phones); the answer is read afterwards."""
        started = time.perf_counter()
        self.connection.request("POST", "/api/v1/checkin", body=body, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started


def _blast(port: int, tokens: list[str], work: list[bytes] | int, path: str | None = None):
    """Scans of the bodies in ``work``, or ``work`` GETs of ``path``, from THREADS clients."""
    items = list(range(work)) if isinstance(work, int) else work
    lock, results, index = threading.Lock(), [], [0]

    def worker(n: int) -> None:
        client = Client(port, tokens[n % len(tokens)])
        mine = []
        while True:
            with lock:
                if index[0] >= len(items):
                    break
                item = items[index[0]]
                index[0] += 1
            mine.append(client.get(path) if path else client.scan(item))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def _paced(port: int, tokens: list[str], plan: list[bytes]):
    """PACED_RATE scans per second from a few clients, each scan at its scheduled time."""
    results, lock = [], threading.Lock()
    clients = 4
    interval = clients / PACED_RATE

    def worker(n: int) -> None:
        client = Client(port, tokens[n % len(tokens)])
        start = time.perf_counter() + n * (1 / PACED_RATE)
        for i, body in enumerate(plan[n::clients]):
            delay = start + i * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            outcome = client.scan(body)
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def _run(folder: Path, url: str, schema: str | None, label: str) -> None:
    settings = {**_settings(folder, url, schema), "CHECKIN_UNKNOWN_LIMIT": "10000000 per minute"}
    app = create_app({**settings, "INSTANCE_PATH": str(folder)})
    codes, tokens = _seed(app)
    rng = random.Random(7)
    fresh = codes[:]
    rng.shuffle(fresh)
    plan = _plan(codes, SCANS, rng, fresh)
    paced_plan = _plan(codes, PACED_RATE * PACED_SECONDS, rng, fresh)
    server = Server(folder, settings)
    try:
        _blast(server.port, tokens, 200, path="/livez")  # warm the workers
        trivial, trivial_wall = _blast(server.port, tokens, SCANS // 2, path="/livez")
        health, health_wall = _blast(server.port, tokens, SCANS, path="/healthz")
        scans, wall = _blast(server.port, tokens, plan)
        # /livez again after the scans: the machine's pace drifts over a run (other processes,
        # the CPU's clock), and the trivial rate is taken over both halves.
        after, after_wall = _blast(server.port, tokens, SCANS // 2, path="/livez")
        trivial, trivial_wall = trivial + after, trivial_wall + after_wall
        paced = _paced(server.port, tokens, paced_plan)
    finally:
        server.stop()
    scans, paced = _answered(scans), _answered(paced)
    assert all(status == 200 for status, _, _ in trivial + health)
    statuses = [status for status, _, _ in scans + paced]
    assert not [s for s in statuses if s != 200], {s: statuses.count(s) for s in set(statuses)}
    counts = {r: sum(1 for _, result, _ in scans if result == r) for r in ("ok", "already_inside", "unknown")}
    rate, trivial_rate, health_rate = len(scans) / wall, len(trivial) / trivial_wall, len(health) / health_wall
    latencies = [seconds for _, _, seconds in scans]
    paced_latencies = [seconds for _, _, seconds in paced]
    print(f"\n--- door on {label}: {len(scans)} scans ({counts}), 4 gunicorn workers, "
          f"{THREADS} keep-alive clients")
    print(f"    scans {rate:.0f}/s, p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p99 {_percentile(latencies, 0.99):.1f} ms")
    print(f"    /livez {trivial_rate:.0f}/s, p99 {_percentile([s for _, _, s in trivial], 0.99):.1f} ms; "
          f"ratio {rate / trivial_rate:.2f} (goal >= 0.50)")
    print(f"    /healthz {health_rate:.0f}/s, p99 {_percentile([s for _, _, s in health], 0.99):.1f} ms; "
          f"ratio {rate / health_rate:.2f} (reference)")
    print(f"    paced {PACED_RATE}/s for {PACED_SECONDS} s: "
          f"p50 {statistics.median(paced_latencies) * 1000:.1f} ms, "
          f"p99 {_percentile(paced_latencies, 0.99):.1f} ms (goal < 50 ms)")


def test_door_on_sqlite(tmp_path):
    _run(tmp_path, f"sqlite:///{tmp_path / 'door.sqlite'}", None, "SQLite")


def test_door_on_postgresql(tmp_path):
    admin = create_engine(database_uri(POSTGRES_URL, Path("/tmp")))
    schema = f"jobday_door_{uuid.uuid4().hex[:10]}"
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
