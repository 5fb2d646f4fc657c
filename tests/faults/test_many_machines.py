"""Jobday spread over machines: two web processes and one job worker, each with its own empty
instance folder, sharing one PostgreSQL and one Redis and nothing else.

A CV uploaded through the first is downloaded through the second; a bulk print started on the
second is made by the worker and downloaded from the first; a candidate erased through the
first has no CV left anywhere.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from pypdf import PdfReader
from sqlalchemy import func, select

from jobday import PROJECT_ROOT
from jobday.storage import StoredFile
from tests import factories
from tests.bench.bench_booking import Server, _settings
from tests.conftest import POSTGRES_URL, REQUIRE_ALL

pytestmark = pytest.mark.postgres
REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if REQUIRE_ALL:
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")


class Browser:
    """A cookie jar and CSRF token over plain HTTP, on one server."""

    def __init__(self, server: Server) -> None:
        self.server, self.cookies = server, {}

    def move_to(self, server: Server) -> None:
        self.server = server

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Accept-Language"] = "fr"
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), data
        finally:
            connection.close()

    def csrf(self, path: str) -> str:
        status, _headers, data = self.request("GET", path)
        assert status == 200, (path, status)
        return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', data).group(1).decode()

    def post(self, path: str, fields: dict, files: dict | None = None, form_page: str | None = None,
             prefix: str = ""):
        fields = {f"{prefix}csrf_token": self.csrf(form_page or path), **fields}
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, content_type) in (files or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def login(self, email: str) -> None:
        status, headers, _data = self.post("/account/login", {"email": email, "password": factories.DEFAULT_PASSWORD})
        assert status == 302, status


def _worker(env: dict, log: Path) -> subprocess.Popen:
    with open(log, "w") as handle:
        return subprocess.Popen([sys.executable, "-m", "jobday.jobs.worker", "--workers", "1", "--delay", "0.1"],
                                cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def _wait_for_job(browser: Browser, job_path: str, deadline_s: float = 120) -> str:
    """The job page's download link once the worker has finished."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        status, _headers, data = browser.request("GET", job_path + ".json")
        assert status == 200
        answer = json.loads(data)
        if answer["status"] == "done":
            return answer["download"]
        assert answer["status"] != "failed", answer
        time.sleep(0.5)
    raise AssertionError("the worker did not finish the bulk print")


def test_two_web_processes_and_a_worker_share_only_the_database_and_redis(app, db, tmp_path, postgres_schema):
    _redis_or_skip()
    edition = factories.make_edition()
    candidate = factories.make_candidate(email="zoe.muller@example.org", first_name="Zoë", last_name="Müller")
    factories.make_registration(candidate, edition)
    factories.make_badge(candidate, edition)
    factories.make_user(email="organiser@example.org", roles=("admin",))
    db.session.commit()
    candidate_id, year = candidate.id, edition.year

    settings = _settings(tmp_path, POSTGRES_URL, postgres_schema)
    settings.update(JOB_QUEUE="worker", REDIS_URL=REDIS_URL, JOB_QUEUE_NAME=f"jobday-test-{uuid.uuid4().hex[:8]}",
                    RATELIMIT_STORAGE_URI="memory://")
    servers, worker = [], None
    try:
        for name in ("web-1", "web-2"):
            folder = tmp_path / name
            folder.mkdir()
            servers.append(Server(folder, {**settings, "INSTANCE_PATH": str(folder / "instance")}, workers=1))
        first, second = servers
        worker_env = {key: value for key, value in os.environ.items() if not key.startswith("JOBDAY_")}
        worker_folder = tmp_path / "worker"
        worker_folder.mkdir()
        for key, value in {**settings, "INSTANCE_PATH": str(worker_folder / "instance")}.items():
            worker_env[f"JOBDAY_{key}"] = json.dumps(value) if isinstance(value, dict) else str(value)
        worker_env["PYTHONPATH"] = str(PROJECT_ROOT)
        worker = _worker(worker_env, worker_folder / "worker.log")

        # A CV uploaded through the first web process...
        zoe = Browser(first)
        zoe.login("zoe.muller@example.org")
        pdf = factories.make_pdf(b"% Zoe's CV\n")
        status, _headers, _data = zoe.post("/candidate/cv", {}, {"cv": ("cv.pdf", pdf, "application/pdf")},
                                           form_page="/candidate/profile")
        assert status == 302, status
        # ...is downloaded through the second.
        zoe.move_to(second)
        status, headers, data = zoe.request("GET", "/candidate/cv")
        assert status == 200 and data == pdf

        # A bulk print started on the second is made by the worker and downloaded from the first.
        organiser = Browser(second)
        organiser.login("organiser@example.org")
        status, headers, _data = organiser.post(f"/staff/badges/print?year={year}", {"layout": "a6", "role": "",
                                                                                     "company": ""},
                                                form_page=f"/staff/badges?year={year}")
        assert status in (302, 303), status
        job_path = headers["Location"].split("://", 1)[-1]
        job_path = job_path[job_path.index("/jobs/"):]
        download = _wait_for_job(organiser, job_path)
        organiser.move_to(first)
        status, headers, data = organiser.request("GET", download)
        assert status == 200 and headers["Content-Type"] == "application/pdf"
        assert "Müller" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

        for server in servers:  # the organiser sees the CV through either process
            organiser.move_to(server)
            assert organiser.request("GET", f"/candidates/{candidate_id}/cv")[0] == 200
        # An erasure through the first removes the CV everywhere: no process serves it, no row keeps it.
        zoe.move_to(first)
        status, _headers, _data = zoe.post("/candidate/privacy/delete", {
            "delete-password": factories.DEFAULT_PASSWORD, "delete-understood": "y"},
            form_page="/candidate/privacy", prefix="delete-")
        assert status == 302, status
        for server in servers:
            organiser.move_to(server)
            assert organiser.request("GET", f"/candidates/{candidate_id}/cv")[0] == 404
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).select_from(StoredFile).where(StoredFile.kind == "cv")) == 0
        # And nothing was written to the instance folders but what each process keeps for itself.
        for folder in (tmp_path / "web-1" / "instance", tmp_path / "web-2" / "instance", worker_folder / "instance"):
            kept = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
            assert not [name for name in kept if not name.startswith(("qr/", "outbox/"))], kept
    finally:
        for server in servers:
            server.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
