"""Scenario "registration opens": an organiser opens registration, then 300 candidates sign
up, confirm their address from the e-mail (which logs them in), fill their profile and register, within
a minute, while the recruiters of 60 companies log in and edit their interview plans.

Every step is a real page: GET, read the form (CSRF token included), POST, follow the
redirect. Afterwards the database must hold what was acknowledged and nothing more: per
candidate, the account, confirmation, profile and registration each exist once if their
POST was answered (and only if it was sent), with one confirmation and one "registered"
e-mail; per company, the plan as its recruiter last saved it, with the slots it makes.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select

from tests.bench.loadgen import Browser, Deadline, JourneyFailed, Recorder, percentile, run_at
from tests.bench.scenario_common import Checks, check_engine
from tests.bench.scenario_outbox import Outbox

CANDIDATES = 300
COMPANIES = 60
ARRIVAL_SECONDS = 50  # candidates arrive over the first 50 s, so all could be registered within the minute
EDIT_PAUSE = (5.0, 10.0)  # a recruiter's think time before each save
BOUND_SECONDS = 75
YEAR = 2041
PASSWORD = "correct horse battery staple"  # the recruiters' and organiser's (tests.factories default)
STEPS = ("account", "confirmed", "profile", "registered")
# Each company's plan as seeded (the edition's default slots and hours, one table).
SEEDED_PLAN = {"slot_minutes": 20, "pause_minutes": 10, "tables": {"Table 1": "09:30-12:30, 13:30-16:30"}}


@dataclass
class Company:
    recruiter_email: str
    participation_id: int
    acknowledged: list[dict] = field(default_factory=list)  # each plan the server said it saved
    unanswered: dict | None = None  # a plan sent whose answer never came

    def plans_that_may_be_stored(self) -> list[dict]:
        """The plan last acknowledged (the seeded one before any save), or the one sent whose
        answer never came: the server may have saved it, or dropped it unread when it stopped."""
        last = self.acknowledged[-1] if self.acknowledged else SEEDED_PLAN
        return [last] + ([self.unanswered] if self.unanswered else [])


@dataclass
class Candidate:
    email: str
    password: str
    sent: set[str] = field(default_factory=set)  # steps whose POST (or link) was sent
    acknowledged: set[str] = field(default_factory=set)  # steps whose answer said done

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.sent.add(name)
        yield
        self.acknowledged.add(name)


@dataclass
class Outcome:
    candidates: list[Candidate]
    companies: list[Company]
    mail_delays: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def seed(app) -> list[Company]:
    """An edition whose registration opens in a day, 60 approved companies with one table
    each (one recruiter each), and an organiser."""
    from jobday.db import utcnow
    from jobday.extensions import db
    from jobday.security import Role
    from tests import factories

    with app.app_context():
        now = utcnow()
        edition = factories.make_edition(year=YEAR, registration_opens_at=now + timedelta(days=1),
                                         registration_closes_at=now + timedelta(days=40))
        factories.make_user(email="organiser@bench.example.org", roles=(Role.ADMIN,))
        companies = []
        for n in range(COMPANIES):
            recruiter = factories.make_user(email=f"recruiter{n}@bench.example.org", roles=(Role.RECRUITER,),
                                            first_name="Rita", last_name=f"Recruiter{n}")
            company = factories.make_company(name=f"Bench Biotech {n}", admin=recruiter)
            participation = factories.make_participation(
                company, edition, stand=f"S{n}", hours=SEEDED_PLAN["tables"]["Table 1"],
                slot_minutes=SEEDED_PLAN["slot_minutes"], pause_minutes=SEEDED_PLAN["pause_minutes"])
            companies.append(Company(recruiter.email, participation.id))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return companies


def log_in(browser: Browser, email: str, password: str, login_path: str = "/account/login") -> str:
    """Log in from the login page; returns where the server sends the person next."""
    page = browser.get(login_path, "login page")
    form = page.form("/account/login").set("email", email).set("password", password)
    return browser.submit(form, "login POST").location


def open_registration(port: int, recorder: Recorder) -> None:
    browser = Browser(port, recorder)
    log_in(browser, "organiser@bench.example.org", PASSWORD)
    page = browser.get("/staff/editions", "organiser: editions")
    browser.submit(page.form(f"/staff/editions/{YEAR}/registration/open"), "organiser: open", expect=(303,))
    browser.close()


def candidate_journey(browser: Browser, outbox: Outbox, person: Candidate, outcome: Outcome) -> None:
    edition = f"/editions/{YEAR}"
    browser.get(edition, "edition page")
    page = browser.get(f"{edition}/signup", "sign-up page")
    form = page.form(f"{edition}/signup").set("first_name", "Camille").set("last_name", "Bench")
    form.set("email", person.email).set("password", person.password).set("password_confirm", person.password)
    with person.step("account"):
        browser.submit(form, "sign-up POST", expect=(200,))  # "check your mailbox"
    waited = time.perf_counter()
    link = outbox.wait_for_link(person.email, rf"{edition}/confirm/[^\s]+")
    with outcome.lock:
        outcome.mail_delays.append(time.perf_counter() - waited)
    with person.step("confirmed"):
        register = browser.get(link, "confirm link", expect=(302,)).location
    if urlsplit(register).path == "/account/login":  # the link logs in only the browser that signed up
        register = log_in(browser, person.email, person.password, register)
    profile = browser.get(register, "register (to profile)", expect=(302,)).location  # the profile comes first
    page = browser.get(profile, "profile page")
    form = page.form("/candidate/profile").set("education_level", "master")
    form.set("job_areas", "quality_control", "production").set("postcode", "6041")
    with person.step("profile"):
        register = browser.submit(form, "profile POST").location
    page = browser.get(register, "register page")
    with person.step("registered"):
        home = browser.submit(page.form(f"{edition}/register"), "register POST").location
    browser.get(home, "candidate home")


def _hours_field(form, prefix: str) -> str:
    return next(name for name in form.names() if re.fullmatch(rf"{prefix}-hours-\d+", name))


def recruiter_journey(browser: Browser, company: Company, rng: random.Random) -> None:
    """Log in, then four saves a few seconds apart: slot settings, the first table's hours, a
    second table, the settings again; after each, the plan page the redirect leads to."""
    log_in(browser, company.recruiter_email, PASSWORD)
    page = browser.get("/company/plan", "plan page")
    plan: dict = SEEDED_PLAN

    def save(form, kind: str, change: dict):
        nonlocal plan
        attempted = {**plan, **change, "tables": {**plan["tables"], **change.get("tables", {})}}
        company.unanswered = attempted
        answer = browser.submit(form, kind, expect=(302,))
        if urlsplit(answer.location).path != "/company/plan":  # e.g. the login page: not saved
            company.unanswered = None
            raise JourneyFailed(f"{kind} was answered by a redirect to {answer.location}")
        company.unanswered, plan = None, attempted
        company.acknowledged.append(plan)
        return browser.get("/company/plan", "plan page")

    def settings(page):
        slot, pause = rng.choice((15, 20, 25, 30)), rng.choice((0, 5, 10))
        form = page.form("/company/plan/settings").set("slot_minutes", slot).set("pause_minutes", pause)
        return save(form, "plan settings POST", {"slot_minutes": slot, "pause_minutes": pause})

    def first_table(page):
        form = page.form(re.compile(r"/company/plan/tables/\d+"))
        prefix = next(name[:-5] for name in form.names() if re.fullmatch(r"t\d+-name", name))
        hours = rng.choice(("09:00-12:00, 13:00-16:30", "09:30-12:30, 14:00-17:00", "10:00-16:00"))
        form.set(_hours_field(form, prefix), hours)
        return save(form, "plan table POST", {"tables": {form.value(f"{prefix}-name"): hours}})

    def add_table(page):
        hours = rng.choice(("10:00-12:00, 14:00-16:00", "09:00-11:30", "13:00-17:00"))
        form = page.form("/company/plan/tables").set("new-name", "Table 2")
        form.set(_hours_field(form, "new"), hours)
        return save(form, "plan add table POST", {"tables": {"Table 2": hours}})

    for change in (settings, first_table, add_table, settings):
        time.sleep(rng.uniform(*EDIT_PAUSE))
        page = change(page)


def run(port: int, folder: Path, companies: list[Company], recorder: Recorder) -> Outcome:
    rng = random.Random(2041)
    tag = rng.randrange(10**6)
    outcome = Outcome([Candidate(f"cand{n}.{tag}@bench.example.org", f"lantern-{tag}-orchard-{n}-quartz")
                       for n in range(CANDIDATES)], companies)
    open_registration(port, recorder)
    deadline, outbox = Deadline(BOUND_SECONDS), Outbox(folder / "outbox")
    plan, browsers = [], []
    for person in outcome.candidates:
        browser = Browser(port, recorder, deadline=deadline, language=rng.choice(("fr", "en")))
        browsers.append(browser)
        plan.append((rng.uniform(0, ARRIVAL_SECONDS), partial(candidate_journey, browser, outbox, person, outcome)))
    for n, company in enumerate(companies):
        browser = Browser(port, recorder, deadline=deadline)
        browsers.append(browser)
        plan.append((rng.uniform(0, 5), partial(recruiter_journey, browser, company, random.Random(n))))
    run_at(plan, recorder)
    recorder.stop()
    for browser in browsers:
        browser.close()
    return outcome


# --- afterwards: the database against what was acknowledged ----------------------------------


def _slot_count(hours: str, slot_minutes: int, pause_minutes: int) -> int:
    """Slots a range holds: a slot, a pause, a slot... the last slot ends within the range."""
    count = 0
    for chunk in hours.split(","):
        start, end = (int(h) * 60 + int(m) for h, m in (part.strip().split(":") for part in chunk.split("-")))
        if end - start >= slot_minutes:
            count += (end - start - slot_minutes) // (slot_minutes + pause_minutes) + 1
    return count


def _stored_steps(conn, emails: list[str]) -> tuple[dict[str, set[str]], dict[str, tuple[int, int]]]:
    """Per address: the steps the database shows, and (confirmation e-mails, registered e-mails)."""
    from jobday.accounts.models import User
    from jobday.candidates.models import CandidateProfile, Registration
    from jobday.mail.models import OutboundEmail

    users = conn.execute(select(User.id, User.email, User.email_confirmed_at).where(User.email.in_(emails))).all()
    profiles = set(conn.scalars(select(CandidateProfile.user_id).where(CandidateProfile.education_level == "master")))
    registered = {user_id: count for user_id, count in conn.execute(
        select(Registration.user_id, func.count()).where(Registration.status == "registered")
        .group_by(Registration.user_id))}
    steps: dict[str, set[str]] = {email: set() for email in emails}
    for user_id, email, confirmed_at in users:
        steps[email] |= {"account"} | ({"confirmed"} if confirmed_at else set())
        steps[email] |= ({"profile"} if user_id in profiles else set())
        steps[email] |= ({"registered"} if registered.get(user_id) == 1 else set())
        if registered.get(user_id, 0) > 1:
            steps[email].add("registered twice")
    mails: dict[str, tuple[int, int]] = {}
    for recipient, key, sent in conn.execute(select(OutboundEmail.recipient, OutboundEmail.dedup_key,
                                                    OutboundEmail.sent_at).where(OutboundEmail.recipient.in_(emails))):
        confirm, registration = mails.get(recipient, (0, 0))
        is_registration = (key or "").startswith("registration-confirmed:")
        mails[recipient] = (confirm + (not is_registration and sent is not None),
                            registration + (is_registration and sent is not None))
    return steps, mails


def check(settings: dict, outcome: Outcome) -> tuple[Checks, list[str]]:
    from jobday.companies.models import InterviewSlot, InterviewTable, Participation

    checks = Checks()
    engine = check_engine(settings)
    with engine.connect() as conn:
        steps, mails = _stored_steps(conn, [person.email for person in outcome.candidates])
        plans = {pid: (slot, pause) for pid, slot, pause in conn.execute(
            select(Participation.id, Participation.slot_minutes, Participation.pause_minutes))}
        tables = conn.execute(
            select(InterviewTable.participation_id, InterviewTable.name, func.count(InterviewSlot.id),
                   func.count(func.distinct(InterviewSlot.starts_at)))
            .join(InterviewSlot, InterviewSlot.table_id == InterviewTable.id, isouter=True)
            .group_by(InterviewTable.id)).all()
    engine.dispose()

    people = outcome.candidates
    finished = sum("registered" in person.acknowledged for person in people)
    checks.add(f"{finished} of {CANDIDATES} candidates told they are registered", True)
    lost = [p.email for p in people if not p.acknowledged <= steps[p.email]]
    extra = [p.email for p in people if not steps[p.email] <= p.sent]
    checks.add("nothing lost: every acknowledged step (account, confirmation, profile, registration) is stored",
               not lost, f"{len(lost)} people, e.g. {lost[:3]}")
    checks.add("nothing doubled or invented: no step stored that was not sent, no second registration",
               not extra, f"{len(extra)} people, e.g. {[(e, steps[e]) for e in extra[:3]]}")
    wrong_mail = [p.email for p in people if mails.get(p.email, (0, 0)) != (
        int("account" in steps[p.email]), int("registered" in steps[p.email]))]
    checks.add("one confirmation e-mail per account, one 'registered' e-mail per registration, all sent",
               not wrong_mail, f"{len(wrong_mail)} people, e.g. {[(e, mails.get(e)) for e in wrong_mail[:3]]}")

    stored: dict[int, dict[str, tuple[int, int]]] = {}
    for pid, name, slots, starts in tables:
        stored.setdefault(pid, {})[name] = (slots, starts)
    wrong_plan, wrong_slots = [], []
    for company in outcome.companies:
        candidates = company.plans_that_may_be_stored()
        held = stored.get(company.participation_id, {})
        matches = [p for p in candidates if plans[company.participation_id] == (p["slot_minutes"], p["pause_minutes"])
                   and set(held) == set(p["tables"])]
        if not matches:
            wrong_plan.append((company.participation_id, candidates, plans[company.participation_id], held))
        elif not any(all(held[name] == (_slot_count(hours, p["slot_minutes"], p["pause_minutes"]),) * 2
                         for name, hours in p["tables"].items()) for p in matches):
            wrong_slots.append((company.participation_id, matches, held))
    saves = sum(len(company.acknowledged) for company in outcome.companies)
    checks.add(f"each plan stored as its recruiter last saved it ({saves} saves acknowledged)", not wrong_plan,
               f"{wrong_plan[:2]}")
    checks.add("each table holds exactly the slots its hours make, none twice", not wrong_slots, f"{wrong_slots[:2]}")
    notes = [f"    confirmation link in the outbox after p50 {percentile(outcome.mail_delays, 0.5) * 1000:.0f} ms, "
             f"p99 {percentile(outcome.mail_delays, 0.99) * 1000:.0f} ms; {finished} of {CANDIDATES} candidates "
             f"registered, {saves} of {4 * COMPANIES} plan saves made within the bound"]
    return checks, notes
