"""The stand in a real browser, at phone size and in French: recruiters of one company scan
three badges (a fake camera showing a real badge, a USB scanner typing on an AZERTY computer,
and one scan made offline then synced), rate and tag the three leads; a candidate takes the
company's access back; the company's export shows that candidate's name only."""

from __future__ import annotations

import csv
import io
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from jobday.extensions import db
from jobday.leads.models import Lead, LeadScan
from tests import factories
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.scanning import login, type_like_a_scanner_on_azerty, y4m_of_badge

pytestmark = pytest.mark.e2e
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "fr-BE", "is_mobile": True, "has_touch": True}


def _setup(app):
    with app.app_context():
        today = datetime.now(ZoneInfo("Europe/Brussels")).date()
        edition = factories.make_edition(starts_on=today)
        company = factories.make_company(name="Acme Bio", admin=factories.make_user(
            email="alice@acme.example", roles=("recruiter",), first_name="Alice", last_name="Martin"))
        factories.add_recruiter(company, email="bruno@acme.example", first_name="Bruno", last_name="Lenoir")
        factories.make_participation(company, edition, stand="A1")
        factories.make_tag(company, "Prioritaire")
        factories.make_tag(company, "Stage")
        codes = {}
        for first, last in (("Camille", "Caméra"), ("Valentin", "Clavier"), ("Oona", "Horsligne")):
            user = factories.make_candidate(first_name=first, last_name=last, email=f"{first.lower()}@example.org")
            factories.make_registration(user, edition)
            codes[first] = factories.make_badge(user, edition).code
        db.session.commit()
        return codes


def _leads(app):
    with app.app_context():
        rows = {lead.candidate.first_name: (lead.id, lead.rating, sorted(t.name for t in lead.tags),
                                             lead.access_withdrawn_at is not None)
                for lead in db.session.scalars(select(Lead))}
        offline = db.session.scalars(select(LeadScan).where(LeadScan.is_offline.is_(True))).all()
        db.session.remove()
        return rows, offline


def _wait(app, predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        rows, offline = _leads(app)
        if predicate(rows, offline) or time.monotonic() > deadline:
            return rows, offline
        time.sleep(0.2)


def _rate_and_tag(page, base, lead_id, stars, tag):
    page.goto(f"{base}/company/leads/{lead_id}")
    page.locator(f"input[name=rating][value='{stars}']").check()
    page.get_by_label(tag, exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_selector(".flash-success")


def test_recruiters_scan_rate_and_tag_and_the_export_respects_a_withdrawal(live_server, playwright, browser,
                                                                          tmp_path):
    app, base = live_server.app, live_server.url
    codes = _setup(app)
    assert any(ch.isdigit() for ch in codes["Valentin"])
    video = tmp_path / "badge.y4m"
    y4m_of_badge(app, codes["Camille"], video)

    # Alice scans Camille's badge with the phone's camera.
    args = CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                            f"--use-file-for-fake-video-capture={video}"]
    camera_browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        alice = camera_browser.new_context(**PHONE).new_page()
        login(alice, base, "alice@acme.example")
        alice.goto(f"{base}/company/stand")
        alice.wait_for_selector("#result[data-result=ok]", timeout=60000)
        assert "Camille Caméra" in alice.inner_text("#result-name")
        assert "Noter et étiqueter" in alice.inner_text("#result")
    finally:
        camera_browser.close()

    # Bruno's USB scanner types Valentin's code on an AZERTY computer; then Oona's, offline.
    # His phone's clock is still on New York time: the page shows the fair's time.
    context = browser.new_context(**PHONE, timezone_id="America/New_York")
    try:
        bruno = context.new_page()
        login(bruno, base, "bruno@acme.example")
        bruno.goto(f"{base}/company/stand")
        bruno.wait_for_selector("#stand[data-ready=yes]")
        type_like_a_scanner_on_azerty(bruno, codes["Valentin"])
        bruno.wait_for_selector("#result-name:has-text('Valentin Clavier')")
        assert bruno.get_attribute("#result", "data-result") == "ok"
        brussels = datetime.now(ZoneInfo("Europe/Brussels"))
        shown = bruno.inner_text("#recent li:first-child .lead-meta")
        assert shown in {f"{brussels:%H:%M}", f"{brussels - timedelta(minutes=1):%H:%M}"}, shown

        context.set_offline(True)
        bruno.wait_for_selector("#offline-banner", state="visible")
        type_like_a_scanner_on_azerty(bruno, codes["Oona"])
        bruno.wait_for_selector("#result-name:has-text('Oona Horsligne')")
        assert bruno.get_attribute("#result", "data-result") == "offline"
        assert "Gardé sur ce téléphone" in bruno.inner_text("#result-message")
        rows, _offline = _leads(app)
        assert sorted(rows) == ["Camille", "Valentin"]  # nothing sent yet
        context.set_offline(False)
        rows, offline = _wait(app, lambda rows, offline: "Oona" in rows)
        assert sorted(rows) == ["Camille", "Oona", "Valentin"]
        assert len(offline) == 1 and offline[0].client_time is not None
        bruno.wait_for_selector("#offline-banner", state="hidden")

        # Both rate and tag the three leads.
        for name, stars, tag in (("Camille", 5, "Prioritaire"), ("Valentin", 3, "Stage"), ("Oona", 4, "Prioritaire")):
            _rate_and_tag(bruno, base, rows[name][0], stars, tag)
        rows, _offline = _leads(app)
        assert {name: row[1:3] for name, row in rows.items()} == {
            "Camille": (5, ["Prioritaire"]), "Valentin": (3, ["Stage"]), "Oona": (4, ["Prioritaire"])}
        bruno.screenshot(path=str(tmp_path / "lead.png"), full_page=True)
    finally:
        context.close()

    # Valentin takes Acme's access back from his home page.
    context = browser.new_context(**PHONE)
    try:
        valentin = context.new_page()
        login(valentin, base, "valentin@example.org")
        valentin.goto(f"{base}/candidate")
        section = valentin.locator("#met-at-the-fair")
        assert "Acme Bio" in section.inner_text()
        section.get_by_role("button", name="Retirer l'accès à mes données").click()
        valentin.wait_for_selector(".flash-success")
        assert "accès retiré" in valentin.locator("#met-at-the-fair").inner_text()
    finally:
        context.close()
    rows, _offline = _leads(app)
    assert rows["Valentin"][3] is True

    # The export: Valentin's name only; the others with their rating and tags.
    context = browser.new_context(**PHONE)
    try:
        alice = context.new_page()
        login(alice, base, "alice@acme.example")
        alice.goto(f"{base}/company/leads")
        assert "Nom seulement" in alice.inner_text(".lead-list")
        with alice.expect_download() as download:
            alice.get_by_text("Exporter (CSV)").click()
        text = download.value.path().read_text(encoding="utf-8-sig")
    finally:
        context.close()
    table = {row["Prénom"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert table["Valentin"]["Profil partagé"] == "non"
    assert all(value == "" for key, value in table["Valentin"].items()
               if key not in ("Nom de famille", "Prénom", "Profil partagé"))
    assert (table["Camille"]["Note"], table["Camille"]["Étiquettes"]) == ("5", "Prioritaire")
    assert (table["Oona"]["Note"], table["Oona"]["Étiquettes"]) == ("4", "Prioritaire")
    assert table["Oona"]["E-mail"] == "oona@example.org"
