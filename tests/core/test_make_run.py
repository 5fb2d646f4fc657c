"""``make run`` serves where it is told and sends e-mailed links there (issue 13, item 1)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from jobday import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(folder, *args, env=None) -> str:
    """What ``make run`` would execute (``-n``: printed, nothing run), in ``folder``."""
    for name in ("Makefile", "setup.cfg", "pyproject.toml"):
        shutil.copy(PROJECT_ROOT / name, folder / name)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JOBDAY_")}
    environment.update(env or {})
    result = subprocess.run(["make", "-n", "run", *args], cwd=folder, env=environment,
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout


def test_links_follow_the_port_the_server_listens_on(tmp_path):
    commands = _dry_run(tmp_path, "PORT=5101")
    assert "export JOBDAY_SERVER_URL=http://127.0.0.1:5101;" in commands
    assert "--port 5101" in commands


def test_a_server_listening_everywhere_sends_links_to_this_machine(tmp_path):
    assert "export JOBDAY_SERVER_URL=http://127.0.0.1:5000;" in _dry_run(tmp_path, "HOST=0.0.0.0")


def test_a_configured_server_url_wins(tmp_path):
    commands = _dry_run(tmp_path, "PORT=5101", env={"JOBDAY_SERVER_URL": "https://jobs.example.org"})
    assert "JOBDAY_SERVER_URL" not in commands

    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text('SERVER_URL = "https://jobs.example.org"\n')
    assert "JOBDAY_SERVER_URL" not in _dry_run(tmp_path, "PORT=5101")
