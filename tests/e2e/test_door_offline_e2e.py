"""The door on the fair's morning, in a real browser and in French: loaded once, the network
gone, the page reloaded and still scanning (three codes answered from the offline copy), the
three scans on the server in the order they were made once the network is back; answers whose
white text reads at 4.5:1 or more on its colour; on a phone, the answer in view after a typed
code; a badge held in front of the camera for 5 seconds is one scan."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from jobday.extensions import db
from tests import factories
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.scanning import login, type_like_a_scanner_on_azerty, y4m_of_badge
from tests.e2e.test_door_e2e import _setup, _wait_rows

pytestmark = pytest.mark.e2e
def shot(page, tmp_path, name):
    """A screenshot to look at: in JOBDAY_SHOTS when set, else beside the test's files."""
    folder = Path(os.environ.get("JOBDAY_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "fr-BE", "is_mobile": True, "has_touch": True}

# WCAG's contrast of the text's colour on the answer's background, both read from computed styles.
CONTRAST = """
(selector) => {
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const box = document.querySelector(selector);
  const background = luminance(getComputedStyle(box).backgroundColor);
  const texts = [...box.querySelectorAll("p, li, strong")].filter((el) => el.textContent.trim());
  return texts.map((el) => {
    const [a, b] = [luminance(getComputedStyle(el).color), background].sort((x, y) => y - x);
    return [el.id || el.tagName, (a + 0.05) / (b + 0.05)];
  });
}
"""


def test_door_works_offline_after_one_visit_and_sends_the_scans_in_order(live_server, browser, tmp_path):
    codes = _setup(live_server.app, 4)
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        login(page, live_server.url, "door@example.org")
        assert page.url.endswith("/door")  # door staff land on the door
        page.wait_for_selector("#door[data-ready=yes][data-offline-ready=yes]", timeout=60000)
        assert "Prêt hors ligne" in page.inner_text("#offline-status")
        assert "copie à jour" in page.inner_text("#offline-status")
        shot(page, tmp_path, "door-ready")

        context.set_offline(True)
        page.reload()
        page.wait_for_selector("#door[data-ready=yes]", timeout=60000)
        assert page.is_visible("#offline-banner")
        for n, code in enumerate(codes[1:], start=1):
            type_like_a_scanner_on_azerty(page, code)
            page.wait_for_selector(f"#result-name:has-text('Person{n} Doe')", timeout=10000)
            assert page.get_attribute("#result", "data-result") == "ok"
            time.sleep(0.05)  # distinct device times, as at a real gate
        page.wait_for_selector("#offline-status:has-text('scans en attente\u00a0: 3')")
        shot(page, tmp_path, "door-offline")
        assert _wait_rows(live_server.app, lambda rows: False, timeout=0) == []  # nothing sent yet

        context.set_offline(False)
        rows = _wait_rows(live_server.app, lambda rows: len(rows) >= 3, timeout=20)
        assert [r.code for r in rows] == codes[1:]  # in the order they were made
        assert all(r.is_offline and r.result == "ok" for r in rows)
        assert [r.client_time for r in rows] == sorted(r.client_time for r in rows)
        page.wait_for_selector("#offline-banner", state="hidden")
    finally:
        context.close()


def _revoke_and_replace(app, code):
    from sqlalchemy import select

    from jobday.badges.models import Badge
    from jobday.badges.services import reissue_badge

    with app.app_context():
        badge = db.session.scalar(select(Badge).where(Badge.code == code))
        reissue_badge(badge, reason="lost", actor=None)
        db.session.commit()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_answers_read_well_and_stay_in_view_after_a_typed_code(live_server, browser, tmp_path, scheme):
    codes = _setup(live_server.app, 3)
    with live_server.app.app_context():
        factories.make_user(email="chief@example.org", roles=("staff", "admin"))
        db.session.commit()
    _revoke_and_replace(live_server.app, codes[2])
    context = browser.new_context(**PHONE, color_scheme=scheme)
    try:
        page = context.new_page()
        login(page, live_server.url, "door@example.org")
        page.goto(f"{live_server.url}/door")
        page.wait_for_selector("#door[data-ready=yes]")

        # A phone whose on-screen keyboard is open shows the page above it only, scrolled to
        # the field being typed in.
        keyboard_open = 400
        page.set_viewport_size({"width": 390, "height": keyboard_open})

        def typed(code):
            page.evaluate("() => document.getElementById('manual-code').scrollIntoView({block: 'end'})")
            page.fill("#manual-code", code)
            page.locator("#manual button[type=submit]").click()

        def in_view():  # the answer's top in the upper half of what the phone shows
            page.wait_for_function(f"() => {{ const top = document.getElementById('result')"
                                   f".getBoundingClientRect().top; return top >= 0 && top < {keyboard_open} / 2; }}",
                                   timeout=5000)
            return True

        answers = ((codes[0], "ok", "green"), (codes[0], "already_inside", "amber"),
                   (codes[2], "badge_revoked", "red"), ("ZZZZ-ZZZZ", "unknown", "unknown"))
        for code, result, colour in answers:
            typed(code)
            page.wait_for_selector(f"#result[data-result={result}]")
            assert in_view(), result
            for element, ratio in page.evaluate(CONTRAST, "#result"):
                assert ratio >= 4.5, (result, element, ratio)
            symbol = page.evaluate("() => getComputedStyle(document.getElementById('result'), '::before').content")
            assert symbol.startswith({"ok": '"✓"', "already_inside": '"!"'}.get(result, '"✗"')), symbol
            shot(page, tmp_path, f"door-{colour}-{scheme}")
            if result == "badge_revoked":
                assert "Remplacé par un nouveau badge le" in page.inner_text("#result-detail")
            if result == "already_inside":
                assert "Arrivée à" in page.inner_text("#result-detail")
        assert page.evaluate("() => getComputedStyle(document.getElementById('result-interviews')).textAlign") \
            in ("left", "start")
    finally:
        context.close()

    # A supervisor forces the revoked badge in: the answer says so.
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        login(page, live_server.url, "chief@example.org")
        page.goto(f"{live_server.url}/door")
        page.wait_for_selector("#door[data-ready=yes]")
        page.check("#force")
        page.fill("#manual-code", codes[2])
        page.locator("#manual button[type=submit]").click()
        page.wait_for_selector("#result[data-forced=yes]")
        assert "Entrée forcée" in page.inner_text("#result-detail")
        assert "révoqué" in page.inner_text("#result-detail")
        shot(page, tmp_path, "door-forced")
    finally:
        context.close()


def test_a_badge_held_in_front_of_the_camera_for_five_seconds_is_one_scan(live_server, playwright, tmp_path):
    [code] = _setup(live_server.app, 1)
    video = tmp_path / "badge.y4m"
    y4m_of_badge(live_server.app, code, video)
    args = CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                            f"--use-file-for-fake-video-capture={video}"]
    camera = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        page = camera.new_context(**PHONE).new_page()
        login(page, live_server.url, "door@example.org")
        page.goto(f"{live_server.url}/door")
        page.wait_for_selector("#result[data-result=ok]", timeout=60000)
        first = time.monotonic()
        while time.monotonic() - first < 5:
            time.sleep(0.25)
        assert page.get_attribute("#result", "data-result") == "ok"
    finally:
        camera.close()
    rows = _wait_rows(live_server.app, lambda rows: False, timeout=0)
    assert [(r.code, r.result) for r in rows] == [(code, "ok")]
