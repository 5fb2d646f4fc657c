"""The back office in real browsers, over the demo edition: no page scrolls sideways on a phone
(390 px wide, in French), and an organiser publishes the demo schedule while a candidate, in a
second browser, logs in and browses, never getting a 5xx."""

from __future__ import annotations

import os
import re
import time

import pytest
from sqlalchemy import select

from jobday.accounts.models import User
from jobday.demo.seed import DEMO_PASSWORD
from jobday.extensions import db
from jobday.jobs.models import Job
from jobday.scheduling import planning
from jobday.scheduling.models import ScheduleRun
from tests import factories
from tests.e2e.scanning import login

pytestmark = pytest.mark.e2e
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "fr-BE", "is_mobile": True, "has_touch": True}
YEAR = 2034


def _demo(app, *, preview: bool):
    """The demo edition (small), an organiser, a candidate of our own and, if asked, a
    scheduler run to publish."""
    from jobday.demo.seed import seed_demo
    from jobday.editions.services import get_edition_by_year
    from jobday.security import Role

    with app.app_context():
        seed_demo(candidates=200, companies=10, year=YEAR)
        edition = get_edition_by_year(YEAR)
        olga = factories.make_user(roles=(Role.ADMIN,), email="olga@example.org")
        candidate = factories.make_candidate(email="zoe.publish@example.org")
        factories.make_registration(candidate, edition)
        db.session.commit()
        run_id = None
        if preview:
            run = planning.start_run(edition, actor=olga)
            planning.execute_run(run, time_limit=5)
            db.session.commit()
            run_id = run.id
        return edition.id, run_id


def _staff_pages(app, edition_id) -> list[str]:
    """Every back-office page an organiser opens (files and fragments left out), with a
    person, a company, a campaign and the edition's forms for the pages of one thing."""
    from jobday.companies.models import Participation
    from jobday.editions.models import Edition
    from jobday.staff.models import Campaign

    with app.app_context():
        urls = sorted(rule.rule for rule in app.url_map.iter_rules()
                      if "GET" in rule.methods and not rule.arguments
                      and rule.rule.startswith(("/staff", "/organiser"))
                      and not rule.rule.endswith((".csv", ".pdf", ".zip", "/figures")))
        person = db.session.scalar(select(User.id).where(User.email == "candidate@jobday.example"))
        participation = db.session.scalar(select(Participation.id).where(Participation.edition_id == edition_id))
        year = db.session.get(Edition, edition_id).year
        campaign = db.session.scalar(select(Campaign.id))
        urls += [f"/staff/people/{person}", f"/staff/companies/{participation}", f"/staff/editions/{year}/edit",
                 f"/staff/editions/{year}/clone", "/staff/people?q=dupont", "/staff/audit?q=admin"]
        if campaign is not None:
            urls.append(f"/staff/campaigns/{campaign}")
        db.session.remove()
    return urls


WIDTH = "() => document.scrollingElement.scrollWidth"


def test_no_back_office_page_scrolls_sideways_on_a_phone(live_server, browser):
    edition_id, _run = _demo(live_server.app, preview=True)
    urls = _staff_pages(live_server.app, edition_id)
    assert "/staff/people" in urls and "/organiser/interviews" in urls and len(urls) > 15
    context = browser.new_context(**PHONE)
    too_wide = {}
    try:
        page = context.new_page()
        login(page, live_server.url, "olga@example.org")
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status < 400, (url, response.status)
            width = page.evaluate(WIDTH)
            if width > 390:
                too_wide[url] = width
            if os.environ.get("JOBDAY_SHOTS"):
                name = url.strip("/").replace("/", "-").replace("?", "-")
                page.screenshot(path=f"{os.environ['JOBDAY_SHOTS']}/390-{name}.png", full_page=True)
    finally:
        context.close()
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/account/login")  # a company's back office too (the demo's recruiter)
        page.fill("#email", "recruiter@jobday.example")
        page.fill("#password", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        for url in ("/company/team", "/company/plan", "/company/applicants", "/company/leads"):
            response = page.goto(f"{live_server.url}{url}")
            if response.status < 400 and page.evaluate(WIDTH) > 390:
                too_wide[url] = page.evaluate(WIDTH)
    finally:
        context.close()
    assert too_wide == {}


def test_an_organiser_publishes_the_demo_schedule_while_a_candidate_browses(live_server, browser):
    app = live_server.app
    app.config["SCHEDULE_PUBLISH_BATCH"] = 20
    _edition_id, run_id = _demo(app, preview=True)
    organiser = browser.new_context(locale="fr-BE", viewport={"width": 1280, "height": 800})
    candidate = browser.new_context(**PHONE)
    statuses, progress = [], []
    try:
        olga = organiser.new_page()
        login(olga, live_server.url, "olga@example.org")
        olga.goto(f"{live_server.url}/organiser/scheduler")
        olga.locator(".publish-box input[type=checkbox]").check()
        olga.get_by_role("button", name=re.compile("^Publier et écrire")).click(no_wait_after=True)

        zoe = candidate.new_page()
        zoe.on("response", lambda response: statuses.append((response.url, response.status)))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            login(zoe, live_server.url, "zoe.publish@example.org")
            for url in ("/candidate", "/interviews", "/offers"):
                zoe.goto(f"{live_server.url}{url}")
            zoe.locator("form[action$='/account/logout'] button").click()  # log out, to log in again
            zoe.wait_for_load_state()
            with app.app_context():
                job = db.session.scalar(select(Job).where(Job.kind == "scheduling.publish"))
                status = db.session.get(ScheduleRun, run_id).status
                progress.append((job.done, job.total) if job is not None else (0, 0))
                db.session.remove()
            if status == "published":
                break
        olga.wait_for_load_state()
    finally:
        organiser.close()
        candidate.close()
    assert status == "published"
    assert statuses and all(code < 500 for _url, code in statuses), [s for s in statuses if s[1] >= 500]
    assert any(url.endswith("/account/login") for url, _code in statuses)
    assert any(0 < done < total for done, total in progress), progress  # browsed while half published
