"""gunicorn.conf.py loads, and a server started with it answers /healthz and writes JSON lines."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from jobday import PROJECT_ROOT
from tests.conftest import SECRET


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(tmp_path, sqlite_template, **extra) -> dict:
    database = tmp_path / "jobday.sqlite"
    shutil.copy(sqlite_template, database)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JOBDAY_", "GUNICORN_", "WEB_CONCURRENCY"))}
    env.update({
        "PYTHONPATH": str(PROJECT_ROOT),
        "JOBDAY_SECRET_KEY": SECRET,
        "JOBDAY_DATABASE_URL": f"sqlite:///{database}",
        "JOBDAY_OUTBOX_FOLDER": str(tmp_path / "outbox"),
        "JOBDAY_JOB_QUEUE": "eager",
        "JOBDAY_RATELIMIT_STORAGE_URI": "memory://",
        "WEB_CONCURRENCY": "2",  # the shared test machine has 2 cores
        **extra,
    })
    return env


def test_the_configuration_loads_with_the_app(tmp_path, sqlite_template):
    result = subprocess.run([sys.executable, "-m", "gunicorn", "--check-config", "-c", "gunicorn.conf.py"],
                            cwd=PROJECT_ROOT, env=_environment(tmp_path, sqlite_template),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_check_fails_when_the_app_cannot_start(tmp_path, sqlite_template):
    env = _environment(tmp_path, sqlite_template)
    del env["JOBDAY_SECRET_KEY"]  # production refuses to run without a real key
    result = subprocess.run([sys.executable, "-m", "gunicorn", "--check-config", "-c", "gunicorn.conf.py"],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_the_settings_chosen(tmp_path, sqlite_template):
    env = _environment(tmp_path, sqlite_template)
    del env["WEB_CONCURRENCY"]
    result = subprocess.run([sys.executable, "-m", "gunicorn", "--print-config", "-c", "gunicorn.conf.py"],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    settings = dict(line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    settings = {key.strip(): value.strip() for key, value in settings.items()}
    assert settings["worker_class"] == "sync"
    assert int(settings["workers"]) == min(2 * os.cpu_count() + 1, 12)
    assert settings["accesslog"] == "None"
    assert settings["preload_app"] == "False"
    assert int(settings["max_requests"]) > 0 and int(settings["max_requests_jitter"]) > 0
    assert settings["forwarded_allow_ips"] == "['127.0.0.1', '::1']"
    assert settings["wsgi_app"] == "jobday:create_app()"


class _Server:
    def __init__(self, env: dict, log_path) -> None:
        self.port = _free_port()
        env["JOBDAY_BIND"] = f"127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([sys.executable, "-m", "gunicorn"], cwd=PROJECT_ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def request(self, path: str, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def wait_until_live(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                if self.request("/livez")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer /livez:\n" + self.log_path.read_text())

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        return self.log_path.read_text()


@pytest.fixture
def server(tmp_path, sqlite_template):
    started = _Server(_environment(tmp_path, sqlite_template), tmp_path / "gunicorn.log")
    started.wait_until_live()
    yield started
    if started.process.poll() is None:
        started.stop()


def test_a_server_started_with_it_answers_healthz_and_logs_json_lines(server):
    status, headers, body = server.request("/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "checks": {"database": "ok", "queue": "ok", "disk": "ok"}}
    status, headers, _body = server.request("/", headers={"X-Request-ID": "proxy-req-000123"})
    assert status == 200 and headers["X-Request-ID"] == "proxy-req-000123"
    status, _headers, _body = server.request("/account/reset/secret-token-value?next=/x")
    output = server.stop()

    lines = [json.loads(line) for line in output.splitlines() if line.strip()]  # every line is JSON
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    [home] = [line for line in lines if line.get("request_id") == "proxy-req-000123"]
    assert home["logger"] == "jobday.access" and home["path"] == "/" and home["status"] == 200
    [reset] = [line for line in lines if line.get("path", "").startswith("/account/reset")]
    assert reset["path"] == "/account/reset/<token>"
    assert "secret-token-value" not in output and "next=" not in output
    assert not any(line.get("endpoint") == "main.healthz" for line in lines)  # probes that pass are quiet


def test_a_worker_takes_the_built_app_out_of_the_garbage_collectors_way():
    import gc
    import runpy

    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert gc.get_freeze_count() == 0
    try:
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0  # objects alive now are no longer walked by collections
    finally:
        gc.unfreeze()
