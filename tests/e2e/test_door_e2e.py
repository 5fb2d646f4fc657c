"""The door in a real browser: a fake camera showing a real badge (green, then amber), a USB
scanner typing on an AZERTY computer, and three scans made offline found on the server."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from jobday.checkin.models import Scan
from jobday.extensions import db
from tests import factories
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.scanning import login, type_like_a_scanner_on_azerty, y4m_of_badge

pytestmark = pytest.mark.e2e


def _setup(app, people: int):
    with app.app_context():
        today = datetime.now(ZoneInfo("Europe/Brussels")).date()
        edition = factories.make_edition(starts_on=today)
        factories.make_user(email="door@example.org", roles=("staff",))
        codes = []
        for n in range(people):
            user = factories.make_user(first_name=f"Person{n}", last_name="Doe")
            codes.append(factories.make_badge(user, edition).code)
        db.session.commit()
        return codes


def _wait_rows(app, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            rows = list(db.session.scalars(select(Scan).order_by(Scan.id)))
            db.session.remove()
        if predicate(rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def test_fake_camera_reads_a_real_badge_green_then_amber(live_server, playwright, tmp_path):
    [code] = _setup(live_server.app, 1)
    video = tmp_path / "badge.y4m"
    y4m_of_badge(live_server.app, code, video)
    args = CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                            f"--use-file-for-fake-video-capture={video}"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        login(page, live_server.url, "door@example.org")
        page.goto(f"{live_server.url}/door")
        page.wait_for_selector("#result[data-result=ok]", timeout=60000)
        assert "result-ok" in page.get_attribute("#result", "class")
        assert "Person0 Doe" in page.inner_text("#result-name")
        page.wait_for_selector("#result[data-result=already_inside]", timeout=60000)
        assert "result-warn" in page.get_attribute("#result", "class")
    finally:
        browser.close()
    rows = _wait_rows(live_server.app, lambda rows: len(rows) >= 2)
    assert [r.result for r in rows[:2]] == ["ok", "already_inside"]


def test_usb_scanner_on_azerty_and_offline_scans(live_server, browser):
    codes = _setup(live_server.app, 4)
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        login(page, live_server.url, "door@example.org")
        page.goto(f"{live_server.url}/door")
        page.wait_for_selector("#door[data-ready=yes]")
        assert any(ch.isdigit() for ch in codes[0])
        type_like_a_scanner_on_azerty(page, codes[0])
        page.wait_for_selector("#result[data-result=ok]")
        assert "Person0 Doe" in page.inner_text("#result-name")

        context.set_offline(True)
        for n, code in enumerate(codes[1:], start=1):
            type_like_a_scanner_on_azerty(page, code)
            page.wait_for_selector(f"#result-name:has-text('Person{n} Doe')")
            assert page.get_attribute("#result", "data-result") == "ok"
        assert page.is_visible("#offline-banner")
        assert len(_wait_rows(live_server.app, lambda rows: False, timeout=0)) == 1  # nothing sent yet

        context.set_offline(False)
        rows = _wait_rows(live_server.app, lambda rows: len(rows) >= 4, timeout=15)
        offline = [r for r in rows if r.is_offline]
        assert sorted(r.code for r in offline) == sorted(codes[1:])
        assert all(r.result == "ok" and r.local_result == "ok" and r.client_time for r in offline)
        page.wait_for_selector("#offline-banner", state="hidden")
    finally:
        context.close()


def test_name_search_results_come_into_view_on_a_phone(live_server, browser):
    _setup(live_server.app, 3)
    context = browser.new_context(locale="fr-BE", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        login(page, live_server.url, "door@example.org")
        page.goto(f"{live_server.url}/door")
        page.wait_for_selector("#door[data-ready=yes]")
        page.locator("details.door-search summary").click()
        page.fill("#search-q", "person1")
        page.locator("#search button[type=submit], #search [type=submit]").first.click()
        first = page.locator("#search-results li").first
        first.wait_for()
        assert "Person1 Doe" in first.inner_text()
        box, height = first.bounding_box(), page.viewport_size["height"]
        assert 0 <= box["y"] and box["y"] + box["height"] <= height, (box, height)  # not below the fold
    finally:
        context.close()
