"""The company journey in a real browser: a recruiter registers the company (on a phone), sees
why the applicants page is empty and that an offer waits for the approval, an organiser approves
it, the recruiter invites a colleague who joins, publishes an offer and sets a plan on
application; a candidate applies, the recruiter is e-mailed, accepts and proposes a slot, the
candidate confirms, and the day shows the interview. Every recruiter page is checked at 390 px
(``phone_checks``)."""

import re

import pytest

from jobday.extensions import db
from jobday.security import Role
from tests import factories
from tests.e2e.phone_checks import check_page

pytestmark = pytest.mark.e2e

PASSWORD = "purple elephant dances slowly"


def log_in(page, base_url: str, email: str, next_path: str) -> None:
    page.goto(f"{base_url}/account/login?next={next_path}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(re.escape(next_path) + r"$"))


def test_company_signs_up_is_approved_grows_its_team_and_plans_interviews(live_server, browser, mailbox):
    base = live_server.url
    with live_server.app.app_context():
        factories.make_edition(default_interview_hours="09:30-12:30, 13:30-16:30")
        factories.make_user(email="orga@jobday.example", roles=(Role.ADMIN,), password=PASSWORD)
        db.session.commit()

    recruiter_ctx = browser.new_context(locale="fr-BE", viewport={"width": 390, "height": 844})
    recruiter = recruiter_ctx.new_page()
    # 1. The recruiter registers the company with an account and confirms the address: logged in.
    recruiter.goto(f"{base}/company/register")
    check_page(recruiter, "company sign-up")
    for field, value in {"#first_name": "Sophie", "#last_name": "Lambert", "#email": "sophie@vaxolis.example",
                         "#password": PASSWORD, "#password_confirm": PASSWORD, "#name": "Vaxolis",
                         "#enterprise_number": "0123.456.749", "#website": "vaxolis.example",
                         "#contact_phone": "071 12 34 56"}.items():
        recruiter.fill(field, value)
    recruiter.select_option("#sector", "biopharma")
    recruiter.locator("form button[type=submit]").last.click()
    assert "sophie@vaxolis.example" in recruiter.locator("main").inner_text()
    recruiter.goto(base + mailbox.link("sophie@vaxolis.example", "/account/confirm/"))  # logs in
    recruiter.wait_for_url(re.compile(r"/company$"))
    assert "Vaxolis" in recruiter.locator("h1").inner_text()
    check_page(recruiter, "company, not applied")
    recruiter.fill("#tables_wanted", "2")
    recruiter.locator("form[action='/company/apply'] button[type=submit]").click()
    assert recruiter.locator(".pill-warn").count() >= 1  # pending
    check_page(recruiter, "company, pending")
    # Pending: the menu's pages say why they are empty; an offer waits for the approval.
    for path in ("/company/applicants", "/company/day"):
        recruiter.goto(base + path)
        assert "attend l'accord" in recruiter.locator("main").inner_text()
        check_page(recruiter, f"pending {path}")
    recruiter.goto(f"{base}/company/offers/new")
    check_page(recruiter, "new offer")
    recruiter.locator("form button[type=submit]").last.click()  # nothing filled in
    recruiter.wait_for_load_state()
    check_page(recruiter, "offer refused")
    recruiter.fill("#title", "Opératrice de production")
    recruiter.select_option("#contract_type", "fixed_term")
    recruiter.select_option("#education_level", "cess")
    recruiter.check("input[name=job_areas][value=production]")
    recruiter.locator("form button[type=submit]").last.click()
    recruiter.wait_for_url(re.compile(r"/company$"))
    assert "publiée" not in recruiter.locator(".flash-success").inner_text()
    assert "visible après acceptation" in recruiter.locator("main").inner_text()

    # 2. An organiser approves it with a stand, in another browser.
    organiser_ctx = browser.new_context(locale="fr-BE")
    organiser = organiser_ctx.new_page()
    log_in(organiser, base, "orga@jobday.example", "/staff/companies")
    organiser.get_by_role("link", name="Vaxolis").click()
    organiser.fill("#stand", "B12")
    organiser.locator("button[name=approve]").click()
    assert organiser.locator(".flash-success").count() == 1
    assert mailbox.to("sophie@vaxolis.example")[-1]["Subject"]

    # 3. The recruiter sees the approval and invites a colleague, who joins.
    recruiter.goto(f"{base}/company")
    assert "B12" in recruiter.locator("main").inner_text()
    check_page(recruiter, "company, approved")
    recruiter.goto(f"{base}/company/team")
    recruiter.fill("#email", "lotte@vaxolis.example")
    recruiter.locator("form[action='/company/team/invite'] button[type=submit]").click()
    assert "lotte@vaxolis.example" in recruiter.locator("main").inner_text()
    check_page(recruiter, "team")
    colleague_ctx = browser.new_context(locale="en-GB")
    colleague = colleague_ctx.new_page()
    colleague.goto(base + mailbox.link("lotte@vaxolis.example", "/company/join/"))
    colleague.fill("#first_name", "Lotte")
    colleague.fill("#last_name", "Peeters")
    colleague.fill("#password", PASSWORD)
    colleague.fill("#password_confirm", PASSWORD)
    colleague.locator("form button[type=submit]").last.click()
    colleague.wait_for_url(re.compile(r"/company$"))
    assert "Lotte Peeters" in colleague.locator("main").inner_text()

    # 4. The colleague publishes an offer; it is on the public page.
    colleague.goto(f"{base}/company/offers/new")
    colleague.fill("#title", "Technicien QC microbiologie")
    colleague.select_option("#contract_type", "permanent")
    colleague.select_option("#education_level", "bachelor")
    colleague.check("input[name=job_areas][value=quality_control]")
    colleague.locator("form button[type=submit]").last.click()
    colleague.wait_for_url(re.compile(r"/company$"))
    recruiter.goto(f"{base}/offers?area=quality_control")
    assert "Technicien QC microbiologie" in recruiter.locator("main").inner_text()

    # 5. The recruiter sets the plan: 30-minute slots without pause; the slots are listed.
    recruiter.goto(f"{base}/company/plan")
    check_page(recruiter, "plan")
    recruiter.fill("#slot_minutes", "30")
    recruiter.fill("#pause_minutes", "0")
    recruiter.check("input[name=booking_mode][value=apply]")
    recruiter.locator("form[action='/company/plan/settings'] button[type=submit]").click()
    recruiter.wait_for_url(re.compile(r"/company/plan$"))
    check_page(recruiter, "plan saved")
    first_table = recruiter.locator(".table-card").first
    assert first_table.locator(".slot").count() == 12  # 6 in the morning, 6 in the afternoon
    assert "09:30" in first_table.locator(".slot").first.inner_text()
    assert "16:00" in first_table.locator(".slot").last.inner_text()

    # 6. A candidate applies: the recruiter is e-mailed and finds it counted on the company page.
    with live_server.app.app_context():
        from sqlalchemy import select

        from jobday.companies.models import Participation
        from jobday.scheduling import applications

        participation = db.session.scalar(select(Participation))
        candidate = factories.make_candidate(first_name="Inès", last_name="Haddad", email="ines@example.org")
        factories.make_registration(candidate, participation.edition)
        applications.apply_to_company(candidate, participation, actor=candidate, motivation="Le contrôle qualité.")
        db.session.commit()
    assert "Inès Haddad" in mailbox.to("sophie@vaxolis.example")[-1]["Subject"]
    recruiter.goto(f"{base}/company")
    check_page(recruiter, "company with an application")
    recruiter.locator(".act-counts a", has_text="candidature à décider").click()
    check_page(recruiter, "applicants")
    recruiter.locator("main table a", has_text="Inès Haddad").click()
    check_page(recruiter, "applicant")
    recruiter.check("input[name=decision-decision][value=accept]")
    recruiter.locator("button[name=decision-submit]").click()
    recruiter.wait_for_load_state()
    recruiter.select_option("#propose-slot_id", index=2)
    recruiter.locator("button[name=propose-submit]").click()
    recruiter.wait_for_load_state()
    check_page(recruiter, "slot proposed")
    with live_server.app.app_context():
        from jobday.scheduling.models import Application

        application = db.session.scalar(select(Application))
        applications.confirm_proposal(application, actor=application.candidate)
        db.session.commit()

    # 7. The day: the interview at its table; held / no-show wait for the fair day.
    recruiter.goto(f"{base}/company/day")
    check_page(recruiter, "day")
    day = recruiter.locator("main").inner_text()
    assert "Inès Haddad" in day and "Le jour du salon" in day
    assert recruiter.locator("main button", has_text="Absent·e").count() == 0
    for path in ("/company/profile", "/company/stand", "/company/leads", "/company/matches", "/account/settings"):
        recruiter.goto(base + path)
        check_page(recruiter, path)
    for context in (recruiter_ctx, organiser_ctx, colleague_ctx):
        context.close()
