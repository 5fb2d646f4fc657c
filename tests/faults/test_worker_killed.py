"""A gunicorn worker killed (SIGKILL) in the middle of a burst of door scans.

Real gunicorn with 4 workers on PostgreSQL; 8 scanning clients send scans with nonces; one
worker is killed while they run. Every scan answered 200 must be in the database, once,
with the answer given; the scans left without an answer are sent again with the same nonce
and get the answer the door would have had (the recorded one if the dead worker had
committed it), and no nonce is ever recorded twice.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from jobday.badges.codes import new_code
from jobday.badges.models import Badge
from jobday.checkin.models import Scan
from jobday.db import utcnow
from tests import factories
from tests.bench.bench_booking import Server, _settings
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.postgres
BADGES = 360
CLIENTS = 8
KILL_AFTER = 90  # acknowledged scans before the kill


def _seed(db) -> tuple[list[str], list[str]]:
    edition = factories.make_edition(starts_on=datetime.now(ZoneInfo("Europe/Brussels")).date())
    now = utcnow()
    codes = [new_code() for _ in range(BADGES)]
    db.session.execute(Badge.__table__.insert(), [
        {"code": code, "edition_id": edition.id, "role": "candidate", "status": "active", "issued_at": now,
         "first_name": f"P{n}", "last_name": "Burst", "company_name": "", "stand": "", "locale": "fr",
         "display_hash": "x" * 32, "changed_at": now, "print_count": 0} for n, code in enumerate(codes)])
    tokens = [factories.make_gate_device(edition, gate=gate)[1] for gate in ("A", "B", "C", "D")]
    db.session.commit()
    return codes, tokens


def _workers(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


class Door:
    """One scanning client: a connection, a device token, what it was answered."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.headers = port, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def scan(self, code: str, nonce: str) -> tuple[int, dict] | None:
        """(status, body), or None when the connection died before an answer came."""
        try:
            self.connection.request("POST", "/api/v1/checkin", body=json.dumps({"code": code, "nonce": nonce}),
                                    headers=self.headers)
            response = self.connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return None


def test_a_worker_killed_during_a_scan_burst_loses_no_acknowledged_scan(app, db, tmp_path, postgres_schema):
    codes, tokens = _seed(db)
    server = Server(tmp_path, _settings(tmp_path, POSTGRES_URL, postgres_schema))
    answered: dict[str, tuple[str, str]] = {}  # nonce -> (code, result) for each 200
    unanswered: dict[str, str] = {}  # nonce -> code: connection lost, or an error status
    device_of: dict[str, str] = {}  # nonce -> the token of the device that scanned it (the nonce's scope)
    statuses: Counter = Counter()
    lock, killed = threading.Lock(), []
    work = [(code, f"burst-{n:05d}") for n, code in enumerate(codes)]

    def kill_one_worker() -> None:
        victim = _workers(server.process.pid)[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    def client(n: int) -> None:
        door = Door(server.port, tokens[n % len(tokens)])
        for code, nonce in work[n::CLIENTS]:
            answer = door.scan(code, nonce)
            with lock:
                device_of[nonce] = tokens[n % len(tokens)]
                statuses[answer[0] if answer else "lost"] += 1
                if answer and answer[0] == 200:
                    answered[nonce] = (code, answer[1]["result"])
                else:
                    unanswered[nonce] = code
                if len(answered) >= KILL_AFTER and not killed:
                    kill_one_worker()

    try:
        assert len(_workers(server.process.pid)) == 4
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert killed, "no worker was killed"
        recorded = dict(db.session.execute(select(Scan.nonce, Scan.result)).all())
        db.session.commit()
        print(f"\n    worker {killed[0]} killed; answers: {dict(statuses)}; "
              f"{sum(nonce in recorded for nonce in unanswered)} unanswered scan(s) had been committed")
        # Every acknowledged scan is in the database, with the answer the door showed.
        assert {nonce: result for nonce, (_code, result) in answered.items()} == \
            {nonce: recorded.get(nonce) for nonce in answered}
        assert set(answered.values()) <= {(code, "ok") for code in codes}

        # The door sends what got no answer again, same nonce: answered now, recorded once.
        doors = {token: Door(server.port, token) for token in tokens}
        for nonce, code in unanswered.items():
            status, body = _retry(doors[device_of[nonce]], code, nonce)
            assert status == 200
            if nonce in recorded:  # the dead worker had committed it: its answer, replayed
                assert body["result"] == recorded[nonce]
            else:
                assert body["result"] == "ok"
        # An acknowledged scan sent again (its answer lost on the way) gets the same answer.
        for nonce, (code, result) in list(answered.items())[:20]:
            status, body = _retry(doors[device_of[nonce]], code, nonce)
            assert status == 200 and body["result"] == result

        per_nonce = dict(db.session.execute(select(Scan.nonce, func.count()).group_by(Scan.nonce)).all())
        assert set(per_nonce) == {nonce for _code, nonce in work}
        assert set(per_nonce.values()) == {1}, "a nonce recorded twice"
        assert len(_workers(server.process.pid)) == 4  # the master replaced the dead worker
    finally:
        server.stop()


def _retry(door: Door, code: str, nonce: str) -> tuple[int, dict]:
    """The scanner page's retry: the same scan until the server answers (a worker may be starting)."""
    deadline = time.monotonic() + 30
    while True:
        answer = door.scan(code, nonce)
        if answer is not None and answer[0] < 500:
            return answer
        assert time.monotonic() < deadline, f"no answer for {nonce}: {answer}"
