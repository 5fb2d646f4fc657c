"""The deployment files (Dockerfile, compose.yaml, deploy/) agree with the code they start.

No Docker engine or systemd runs here, so these tests read the files: every command they
run must exist in the project, every setting they pass must be one the app reads, and every
system library the Makefile installs for WeasyPrint must be in the image too."""

from __future__ import annotations

import configparser
import importlib.util
import re
from pathlib import Path

import yaml

from jobday import PROJECT_ROOT
from jobday.config import Defaults

DEPLOY = PROJECT_ROOT / "deploy"


def _compose() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text())


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser


def _module_of(command: list[str]) -> str:
    return command[command.index("-m") + 1]


def test_compose_runs_web_worker_and_migrations_on_postgresql_and_redis():
    services = _compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker"}
    assert services["migrate"]["command"] == ["flask", "db", "upgrade"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["build"] == "."
    assert services["web"]["command"] == ["gunicorn"]
    assert importlib.util.find_spec(_module_of(services["worker"]["command"])) is not None
    env = services["web"]["environment"]
    assert env["JOBDAY_DATABASE_URL"].startswith("postgresql://")
    assert env["JOBDAY_REDIS_URL"].startswith("redis://redis:")


def test_every_setting_compose_passes_is_one_the_app_reads():
    env = _compose()["services"]["web"]["environment"]
    outside_the_app = {"FORWARDED_ALLOW_IPS"}  # read by gunicorn.conf.py
    for key in env:
        if key in outside_the_app:
            assert key in (PROJECT_ROOT / "gunicorn.conf.py").read_text()
            continue
        assert key.startswith("JOBDAY_"), key
        assert hasattr(Defaults, key.removeprefix("JOBDAY_")), f"{key} is not a setting of jobday/config.py"


def test_the_image_has_the_system_libraries_the_makefile_installs():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    block = re.search(r"SYSTEM_LIBS := (.*?)\n\n", makefile, re.S).group(1)
    packages = re.findall(r":([\w.+-]+)", block)
    assert "libharfbuzz-subset0" in packages
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    for package in packages:
        assert re.search(rf"\b{re.escape(package)}\b", dockerfile), package
    assert 'CMD ["gunicorn"]' in dockerfile
    assert "JOBDAY_BIND=0.0.0.0:8000" in dockerfile  # gunicorn.conf.py binds to loopback by default


def test_systemd_units_start_what_exists():
    web = _unit("jobday.service")["Service"]
    assert web["ExecStart"].endswith("/.venv/bin/gunicorn")
    worker = _unit("jobday-worker.service")["Service"]
    assert importlib.util.find_spec(_module_of(worker["ExecStart"].split())) is not None
    backup = _unit("jobday-backup.service")["Service"]
    assert "flask --app jobday backup" in backup["ExecStart"]
    timer = _unit("jobday-backup.timer")
    assert timer["Timer"]["OnCalendar"]
    for unit in (web, worker, backup):
        assert unit["WorkingDirectory"] == "/srv/jobday"


def test_nginx_accepts_what_the_app_accepts_and_waits_longer_than_gunicorn():
    site = (DEPLOY / "nginx" / "jobday.conf").read_text()
    body_mb = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert body_mb * 1024 * 1024 >= Defaults.MAX_CONTENT_LENGTH
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", site).group(1))
    gunicorn_conf = (PROJECT_ROOT / "gunicorn.conf.py").read_text()
    gunicorn_timeout = int(re.search(r"^timeout = (\d+)$", gunicorn_conf, re.M).group(1))
    assert read_timeout > gunicorn_timeout
    # log_format is only allowed in nginx's http context, never inside a server block.
    assert site.index("log_format") < site.index("server {")


def test_the_readme_points_to_every_deployment_file():
    readme = (PROJECT_ROOT / "README.md").read_text()
    files = [Path("Dockerfile"), Path("compose.yaml")] + [
        path.relative_to(PROJECT_ROOT) for path in DEPLOY.rglob("*") if path.is_file()]
    for path in files:
        assert f"({path.as_posix()})" in readme, f"README does not link {path}"
