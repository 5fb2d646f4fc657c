"""A live Jobday server on 127.0.0.1 and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from jobday import create_app
from tests.conftest import REQUIRE_ALL, _config

CHROMIUM = os.environ.get("JOBDAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if REQUIRE_ALL:
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing: browser tests skipped (apt-get install chromium)")


class LiveServer:
    def __init__(self, app, server) -> None:
        self.app = app
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def live_server(tmp_path, sqlite_template, smtp_server):
    """The app on a real port, over its own copy of the migrated SQLite database."""
    shutil.copy(sqlite_template, tmp_path / "jobday.sqlite")
    config = _config(tmp_path, f"sqlite:///{tmp_path / 'jobday.sqlite'}", smtp_server[0])
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["SERVER_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, server)
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def playwright():
    """One Playwright driver per session: the sync API cannot run two at once."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone_page(browser):
    """A page at a phone-sized viewport, in French."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    page = context.new_page()
    yield page
    context.close()
