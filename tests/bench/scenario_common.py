"""What the three load scenarios share: a PostgreSQL schema of their own, the app migrated
into it, the gunicorn server's settings, and the checks printed after a run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from jobday import PROJECT_ROOT, create_app
from jobday.config import database_uri
from tests.bench.bench_booking import POSTGRES_URL, WORKERS, Server, _settings
from tests.bench.loadgen import Recorder, percentile

# The per-address limits, raised for the bench server only: here hundreds of people come from
# one address (127.0.0.1), where in reality they come from hundreds. SIGNUP_LIMIT (20 sign-ups
# an hour from one address) would stop the 21st candidate; LOGIN_FAILURE_LIMIT counts failed
# logins only (none fail here) and is raised as in bench_booking. CHECKIN_UNKNOWN_LIMIT is per
# door device and the door scenario stays under it, so it keeps its default.
RAISED_LIMITS = {
    "SIGNUP_LIMIT": "100000 per minute",
    "LOGIN_FAILURE_LIMIT": "100000 per minute",
}


@contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    """A fresh schema in the PostgreSQL test database, dropped afterwards (fails without a server)."""
    admin = create_engine(database_uri(POSTGRES_URL, Path("/tmp")))
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # noqa: BLE001 - no server: a bench that cannot run fails
        admin.dispose()
        pytest.fail(f"PostgreSQL not reachable at {POSTGRES_URL}: {error}")
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database(backend: str, prefix: str, folder: Path) -> Iterator[tuple[str, str | None]]:
    """(database URL, schema): a PostgreSQL schema of its own, or a SQLite file in ``folder``."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'scenario.sqlite'}", None
        return
    with postgres_schema(prefix) as schema:
        yield POSTGRES_URL, schema


def server_settings(folder: Path, schema: str | None, url: str = POSTGRES_URL, **extra) -> dict:
    """bench_booking's settings (4 workers' app on ``schema`` or a SQLite file, mail to .eml
    files) with cookies over plain HTTP, as a browser on http://127.0.0.1 needs, and the
    per-address limits raised. Jobs go to the job queue in ``folder`` (huey on SQLite), which
    a worker process beside gunicorn runs (``JobWorker``), as in production: e-mails are
    delivered, and badges attached to them rendered, outside the web requests."""
    return {**_settings(folder, url, schema), "COOKIE_INSECURE_OK": "true", **RAISED_LIMITS,
            "JOB_QUEUE": "worker", "INSTANCE_PATH": str(folder), **extra}


REDIS_URL = "redis://127.0.0.1:6379/0"


@contextmanager
def production_services(backend: str) -> Iterator[tuple[dict, str]]:
    """The settings that put the job queue and the rate limits where production keeps them
    beside PostgreSQL, in Redis (under names of this run's own, removed afterwards), when a
    Redis answers on this machine; else (and with SQLite, the embedded layout) the queue stays
    on SQLite in the scenario's folder and the limits in each process. Gives the settings and
    a few words saying where they put them."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        if backend != "postgresql":
            yield {}, "job queue on SQLite"
            return
        try:
            client.ping()
        except redis.RedisError:
            yield {}, "job queue on SQLite: no Redis on 127.0.0.1:6379"
            return
        name = f"jobday-bench-{uuid.uuid4().hex[:8]}"
        try:
            yield ({"REDIS_URL": REDIS_URL, "JOB_QUEUE_NAME": name, "RATELIMIT_STORAGE_URI": REDIS_URL,
                    "RATELIMIT_KEY_PREFIX": name}, "job queue and rate limits in Redis")
        finally:
            keys = list(client.scan_iter(f"*{name}*"))
            if keys:
                client.delete(*keys)
    finally:
        client.close()


@contextmanager
def deployed(backend: str, prefix: str, folder: Path) -> Iterator[tuple[dict, str]]:
    """The server's settings on a database of the scenario's own (``database``) with the
    services production keeps beside it (``production_services``), and where those are."""
    with database(backend, prefix, folder) as (url, schema), production_services(backend) as (services, layout):
        yield server_settings(folder, schema, url, **services), layout


class JobWorker:
    """The job worker (``python -m jobday.jobs.worker``, 2 threads) on the scenario's settings,
    as ``make run`` and the production layout start it beside the web server."""

    def __init__(self, folder: Path, settings: dict) -> None:
        env = {key: value for key, value in os.environ.items() if not key.startswith("JOBDAY_")}
        env.update({f"JOBDAY_{key}": json.dumps(value) if isinstance(value, dict) else str(value)
                    for key, value in settings.items()})
        env["PYTHONPATH"] = str(PROJECT_ROOT)
        self.log = open(folder / "worker.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jobday.jobs.worker", "--workers", "2", "--delay", "0.05", "--max-delay", "0.5"],
            cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def cpu(self) -> float:
        return _process_cpu(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self.log.close()


def drain_outbox(settings: dict, timeout: float = 60) -> int:
    """Wait until the worker has sent every e-mail of the run (at most ``timeout`` seconds);
    returns how many are still waiting."""
    from jobday.mail.models import OutboundEmail

    engine = check_engine(settings)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as conn:
                waiting = conn.scalar(select(func.count()).select_from(OutboundEmail)
                                      .where(OutboundEmail.sent_at.is_(None)))
            if not waiting or time.monotonic() > deadline:
                return waiting
            time.sleep(0.2)
    finally:
        engine.dispose()


def password_hashing(recorder: Recorder, meter: ServerMeter) -> list[str]:
    """Password hashing is budgeted apart (it stays as strong as it is): one scrypt per sign-up
    and per login answered, at the cost measured here, and the server's CPU per request without it."""
    import statistics

    from jobday.accounts.passwords import hash_password

    costs = []
    for _ in range(5):
        started = time.process_time()
        hash_password("a bench passphrase of some length")
        costs.append(time.process_time() - started)
    cost = statistics.median(costs)
    hashes = sum(1 for sample in recorder.samples
                 if sample.kind in ("sign-up POST", "login POST") and sample.outcome == "expected")
    requests = max(len(recorder.samples), 1)
    rest = max(meter.server_seconds - hashes * cost, 0.0)
    return [f"    password hashing: {hashes} hashes × {cost * 1000:.0f} ms = {hashes * cost:.1f} s of the server's "
            f"{meter.server_seconds:.1f} s; without it {rest / requests * 1000:.1f} ms of server CPU a request"]


def migrated_app(folder: Path, settings: dict):
    """The app on the scenario's schema, built from the migrations (the seed runs in it)."""
    from flask_migrate import upgrade

    app = create_app({**settings, "INSTANCE_PATH": str(folder)})
    with app.app_context():
        upgrade()
    return app


def warm_up(server: Server, paths: list[str], rounds: int = 2) -> None:
    """Every worker serves the scenario's pages once before people come, as a server that has
    been up for a while has (templates compiled, database connections open)."""
    with ThreadPoolExecutor(WORKERS * 2) as pool:
        list(pool.map(lambda path: server.request("GET", path), paths * rounds * WORKERS))


def check_engine(settings: dict) -> Engine:
    """A connection of its own to read the database after a run."""
    return create_engine(database_uri(settings["DATABASE_URL"], Path("/tmp")),
                         **settings.get("SQLALCHEMY_ENGINE_OPTIONS", {}))


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def server_cpu(server: Server) -> float:
    """CPU seconds used so far by gunicorn's master and its workers (Linux /proc)."""
    master, total = server.process.pid, 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if int(entry.name) == master or ppid == master:
                total += _process_cpu(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return total


class ServerMeter:
    """What the server did during a block: CPU seconds (its and the load generator's), and from
    its log the time each request spent in a worker, and any error it logged."""

    def __init__(self, server: Server, log: Path, worker: JobWorker) -> None:
        self.server, self.log, self.worker = server, log, worker

    def __enter__(self) -> ServerMeter:
        self.started_at = datetime.now(UTC)
        self._server0, self._self0, self._wall0 = server_cpu(self.server), time.process_time(), time.perf_counter()
        self._worker0 = self.worker.cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.server_seconds = server_cpu(self.server) - self._server0
        self.generator_seconds = time.process_time() - self._self0
        self.wall = time.perf_counter() - self._wall0

    def worker_done(self) -> None:
        """Once the worker has sent the run's e-mails: its CPU for them."""
        self.worker_seconds = self.worker.cpu() - self._worker0

    def read_log(self) -> None:
        """Once the server has stopped: request times in the workers (ms) and the error lines."""
        self.in_worker, self.errors = [], []
        lines = self.log.read_text(errors="replace").splitlines()
        lines += (self.log.parent / "worker.log").read_text(errors="replace").splitlines()
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line:
                    self.errors.append(line[:300])
                continue
            if record.get("level") in ("ERROR", "CRITICAL"):
                self.errors.append(line[:300])
            elif "duration_ms" in record and datetime.fromisoformat(record["time"]) >= self.started_at:
                self.in_worker.append(record["duration_ms"])

    def lines(self, requests: int) -> list[str]:
        cpu = self.server_seconds
        lines = [f"    CPU: web server {cpu:.1f} s ({cpu / max(requests, 1) * 1000:.1f} ms a request, "
                 f"{cpu / self.wall:.2f} cores busy), load generator {self.generator_seconds:.1f} s, over "
                 f"{self.wall:.1f} s (PostgreSQL's own CPU not counted)",
                 f"    job worker: {self.worker_seconds:.1f} s of CPU for the run's e-mails and jobs; web and worker "
                 f"together {(cpu + self.worker_seconds) / max(requests, 1) * 1000:.1f} ms a request"]
        if self.in_worker:
            lines.append(f"    in a worker (server's access log): p50 {percentile(self.in_worker, 0.5):.0f} ms, "
                         f"p99 {percentile(self.in_worker, 0.99):.0f} ms; the rest of a latency is the wait for "
                         "a free worker")
        return lines


def load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def session_cookie(app, user, user_agent: str) -> str:
    """The session cookie a login gives ``user`` (Flask-Login's, signed with the app's key),
    for people who logged in before the scenario starts."""
    from flask import session
    from flask_login import login_user

    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                  headers={"User-Agent": user_agent}):
        login_user(user)
        return app.session_interface.get_signing_serializer(app).dumps(dict(session))


@dataclass
class Checks:
    """Named yes/no checks of the database (and answers) after a run."""

    results: list[tuple[str, bool, str]] = field(default_factory=list)

    def add(self, description: str, passed: bool, detail: str = "") -> None:
        self.results.append((description, bool(passed), detail))

    @property
    def failed(self) -> list[str]:
        return [f"{description}: {detail}" for description, passed, detail in self.results if not passed]

    def lines(self) -> list[str]:
        return [f"    [{'ok' if passed else 'FAIL'}] {description}" + (f" ({detail})" if detail and not passed else "")
                for description, passed, detail in self.results]


def report(title: str, recorder: Recorder, checks: Checks, notes: list[str], meter: ServerMeter) -> str:
    lines = ["", recorder.table(title), *meter.lines(len(recorder.samples)), *notes]
    for reason, count in recorder.stopped.items():
        lines.append(f"    {count} journeys stopped early: {reason} (speed, not an error: the checks hold the "
                     "database to what was acknowledged)")
    lines.extend(checks.lines())
    if recorder.failures:
        lines.append(f"    {len(recorder.failures)} journeys could not finish; first ones:")
        lines.extend(f"      {failure[:300]}" for failure in recorder.failures[:5])
    lines.append(f"    ({load_average()} at the end of the run: figures are indicative)")
    return "\n".join(lines)


def assert_clean(recorder: Recorder, checks: Checks) -> None:
    """Fail on unexpected answers, failed journeys and failed database checks, never on speed (requests
    left unanswered and journeys cut by the time bound are reported, not failed)."""
    errors = recorder.errors()
    problems = [f"{len(errors)} unexpected answers, e.g. {[(e.kind, e.status, e.detail) for e in errors[:5]]}"
                ] if errors else []  # requests left unanswered within the timeout are speed: reported, not failed
    if recorder.failures:
        problems.append(f"{len(recorder.failures)} journeys failed, e.g. {recorder.failures[:3]}")
    problems.extend(checks.failed)
    assert not problems, "\n".join(problems)
