"""Scenario "booking opens": the rush of the scheduling issue across all companies.

600 registered candidates are logged in and waiting (their session cookies are the ones a
login gives). The organiser opens booking from the back office; within a few seconds every
candidate opens the company list, then the page of each company they want (3 wishes, mostly
among the 8 popular companies of 40, and 2 fallbacks), and books a free slot that fits
their day, as the page offers it. A slot that was taken meanwhile is answered 409
``slot_taken``; the candidate reloads the page and tries another (at most 3 times a company).

Afterwards: every acknowledged booking is in the database and nothing else, no slot is
booked twice, no candidate has two interviews at once (or closer than the edition's gap)
or two at one company, each slot's holder matches its booking, one confirmation e-mail per
booking, and every refusal said ``slot_taken``.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import func, select

from tests.bench.loadgen import USER_AGENT, Browser, Deadline, Recorder, run_at
from tests.bench.scenario_common import Checks, check_engine, session_cookie

CANDIDATES = 600
POPULAR, OTHERS = 8, 32  # companies: popular ones have 2 tables, the others 1 (12 slots a table)
WISHES, FALLBACKS, WANTED = 3, 2, 3
TRIES_PER_COMPANY = 3
POPULAR_WEIGHT = 6  # a popular company is 6 times as likely to be wished as another
REACTION_SECONDS = 3.0  # candidates come within 3 s of the opening
BOUND_SECONDS = 75
GAP_MINUTES = 10
PASSWORD = "correct horse battery staple"
BOOK_ACTION = re.compile(r"/interviews/slots/(\d+)/book")


@dataclass
class Slot:
    participation_id: int
    starts_at: datetime
    ends_at: datetime


@dataclass
class Seeded:
    year: int
    popular: list[int]
    others: list[int]
    slots: dict[int, Slot]
    candidates: list[tuple[int, str]]  # (user id, session cookie)


@dataclass
class Outcome:
    booked: dict[int, tuple[int, int]] = field(default_factory=dict)  # booking id -> (candidate, slot)
    sent: set[tuple[int, int]] = field(default_factory=set)  # (candidate, slot) booking requests sent
    refusals: dict[str, int] = field(default_factory=dict)
    satisfied: int = 0  # candidates with 3 interviews
    left_with: dict[int, int] = field(default_factory=dict)  # interviews -> candidates served to the end with fewer
    lock: threading.Lock = field(default_factory=threading.Lock)


def seed(app) -> Seeded:
    """40 approved companies in open booking, 600 registered candidates with a complete
    profile, booking opening tomorrow, and an organiser."""
    from jobday.companies.models import InterviewSlot, InterviewTable
    from jobday.db import utcnow
    from jobday.extensions import db
    from jobday.security import Role
    from tests import factories

    with app.app_context():
        now = utcnow()
        edition = factories.make_edition(booking_opens_at=now + timedelta(days=1),
                                         booking_closes_at=now + timedelta(days=30),
                                         interview_gap_minutes=GAP_MINUTES, max_interviews_per_candidate=6)
        factories.make_user(email="organiser@bench.example.org", roles=(Role.ADMIN,))
        popular = [factories.make_participation(factories.make_company(name=f"Popular Bio {n}"), edition,
                                                tables=2, stand=f"P{n}").id for n in range(POPULAR)]
        others = [factories.make_participation(factories.make_company(name=f"Other Bio {n}"), edition,
                                               stand=f"O{n}").id for n in range(OTHERS)]
        users = []
        for n in range(CANDIDATES):
            user = factories.make_candidate(email=f"booker{n}@bench.example.org")
            factories.make_registration(user, edition)
            users.append(user)
        db.session.commit()
        slots = {slot_id: Slot(pid, start, end) for slot_id, pid, start, end in db.session.execute(
            select(InterviewSlot.id, InterviewTable.participation_id, InterviewSlot.starts_at, InterviewSlot.ends_at)
            .join(InterviewTable, InterviewTable.id == InterviewSlot.table_id))}
        candidates = [(user.id, session_cookie(app, user, USER_AGENT)) for user in users]
        seeded = Seeded(edition.year, popular, others, slots, candidates)
        db.session.remove()
        db.engine.dispose()
    return seeded


def open_booking(browser: Browser, year: int) -> None:
    page = browser.get("/account/login", "login page")
    form = page.form("/account/login").set("email", "organiser@bench.example.org").set("password", PASSWORD)
    browser.submit(form, "login POST")
    page = browser.get("/staff/editions", "organiser: editions")
    browser.submit(page.form(f"/staff/editions/{year}/booking/open"), "organiser: open", expect=(303,))


def fits(slot: Slot, mine: list[Slot]) -> bool:
    """Free of the candidate's other interviews, with the gap, and not at a company already met."""
    gap = timedelta(minutes=GAP_MINUTES)
    return all(slot.participation_id != other.participation_id
               and (slot.starts_at >= other.ends_at + gap or other.starts_at >= slot.ends_at + gap)
               for other in mine)


def candidate_journey(browser: Browser, candidate_id: int, companies: list[int], seeded: Seeded,
                      opened: threading.Event, delay: float, rng: random.Random, outcome: Outcome) -> None:
    opened.wait()
    time.sleep(delay)
    browser.get("/interviews", "company list")
    mine: list[Slot] = []
    for participation_id in companies:
        for _try in range(TRIES_PER_COMPANY):
            page = browser.get(f"/interviews/companies/{participation_id}", "company page")
            offered = [form for action, _ in page.forms if (form := BOOK_ACTION.fullmatch(action))]
            free = [int(m.group(1)) for m in offered if fits(seeded.slots[int(m.group(1))], mine)]
            if not free:
                break
            slot_id = rng.choice(free)
            with outcome.lock:
                outcome.sent.add((candidate_id, slot_id))
            answer = browser.submit(page.form(f"/interviews/slots/{slot_id}/book"), "book POST", expect=(303, 409))
            if answer.status == 303:
                booking_id = int(re.search(r"booked=(\d+)", answer.location).group(1))
                with outcome.lock:
                    outcome.booked[booking_id] = (candidate_id, slot_id)
                mine.append(seeded.slots[slot_id])
                browser.get(answer.location, "agenda")
                break
            with outcome.lock:
                outcome.refusals[answer.code()] = outcome.refusals.get(answer.code(), 0) + 1
        if len(mine) == WANTED:
            with outcome.lock:
                outcome.satisfied += 1
            return
    with outcome.lock:  # every company of theirs answered: nothing left that fits their day
        outcome.left_with[len(mine)] = outcome.left_with.get(len(mine), 0) + 1


def _wishes(seeded: Seeded, rng: random.Random) -> list[int]:
    """3 distinct wished companies (popular ones weighted), then 2 fallbacks among the others."""
    everyone = seeded.popular + seeded.others
    weights = [POPULAR_WEIGHT] * len(seeded.popular) + [1] * len(seeded.others)
    wishes: list[int] = []
    while len(wishes) < WISHES:
        choice = rng.choices(everyone, weights)[0]
        if choice not in wishes:
            wishes.append(choice)
    fallbacks = rng.sample([pid for pid in seeded.others if pid not in wishes], FALLBACKS)
    return wishes + fallbacks


def run(port: int, seeded: Seeded, recorder: Recorder) -> Outcome:
    rng, outcome, opened = random.Random(5), Outcome(), threading.Event()
    deadline = Deadline(BOUND_SECONDS)
    browsers = []
    plan = []
    for n, (candidate_id, cookie) in enumerate(seeded.candidates):
        browser = Browser(port, recorder, deadline=deadline, language=rng.choice(("fr", "en")))
        browser.cookies["session"] = cookie
        browsers.append(browser)
        plan.append((0.0, partial(candidate_journey, browser, candidate_id, _wishes(seeded, rng), seeded, opened,
                                  rng.uniform(0, REACTION_SECONDS), random.Random(n), outcome)))
    organiser = Browser(port, recorder, deadline=deadline)
    browsers.append(organiser)

    def organiser_journey() -> None:
        try:
            open_booking(organiser, seeded.year)
        finally:
            opened.set()

    run_at([(0.5, organiser_journey), *plan], recorder)
    recorder.stop()
    for browser in browsers:
        browser.close()
    return outcome


# --- afterwards ---------------------------------------------------------------------------


def check(settings: dict, seeded: Seeded, outcome: Outcome, recorder: Recorder) -> tuple[Checks, list[str]]:
    from jobday.companies.models import InterviewSlot
    from jobday.mail.models import OutboundEmail
    from jobday.scheduling.models import Booking

    checks = Checks()
    engine = check_engine(settings)
    with engine.connect() as conn:
        rows = conn.execute(select(Booking.id, Booking.candidate_id, Booking.slot_id, Booking.participation_id,
                                   Booking.starts_at, Booking.ends_at, Booking.active)).all()
        held = dict(conn.execute(select(InterviewSlot.id, InterviewSlot.held_by_candidate_id)
                                 .where(InterviewSlot.held_by_candidate_id.is_not(None))).all())
        mails = conn.scalar(select(func.count()).select_from(OutboundEmail).where(
            OutboundEmail.recipient.like("booker%"), OutboundEmail.sent_at.is_not(None)))
    engine.dispose()

    stored = {booking_id: (candidate, slot) for booking_id, candidate, slot, *_rest in rows}
    lost = {b: pair for b, pair in outcome.booked.items() if stored.get(b) != pair}
    checks.add(f"every acknowledged booking is stored ({len(outcome.booked)})", not lost, f"{list(lost.items())[:3]}")
    unacknowledged = {b: pair for b, pair in stored.items() if b not in outcome.booked}
    checks.add("no booking stored that was not acknowledged (unless its answer was lost)",
               all(pair in outcome.sent for pair in unacknowledged.values())
               and len(unacknowledged) <= recorder.count("book POST", outcome="timeout"),
               f"{list(unacknowledged.items())[:3]}")
    checks.add("all bookings active (nobody cancelled)", all(row.active for row in rows))
    slots = [row.slot_id for row in rows]
    checks.add("no slot booked twice", len(slots) == len(set(slots)), f"{len(slots) - len(set(slots))} doubles")
    by_candidate: dict[int, list] = {}
    for row in rows:
        by_candidate.setdefault(row.candidate_id, []).append(row)
    gap = timedelta(minutes=GAP_MINUTES)
    clashes = [(a.id, b.id) for mine in by_candidate.values() for i, a in enumerate(mine) for b in mine[i + 1:]
               if a.starts_at < b.ends_at + gap and b.starts_at < a.ends_at + gap]
    checks.add("no candidate in two places at once (nor closer than the gap)", not clashes, f"{clashes[:3]}")
    twice = [c for c, mine in by_candidate.items() if len({row.participation_id for row in mine}) < len(mine)]
    checks.add("no candidate twice at one company", not twice, f"{twice[:3]}")
    expected_held = {row.slot_id: row.candidate_id for row in rows}
    checks.add("each booked slot held by its candidate, no other slot held", held == expected_held,
               f"{len(set(held.items()) ^ set(expected_held.items()))} differ")
    checks.add("one confirmation e-mail per booking, all sent", mails == len(rows), f"{mails} for {len(rows)}")
    others = {code: n for code, n in outcome.refusals.items() if code != "slot_taken"}
    checks.add("every refusal said slot_taken", not others, f"{others}")
    taken = sum(1 for s in seeded.slots.values() if s.participation_id in seeded.popular)
    popular_booked = sum(1 for row in rows if row.participation_id in seeded.popular)
    notes = [f"    {len(rows)} bookings ({popular_booked} of the {taken} popular slots, "
             f"{len(rows) - popular_booked} of {len(seeded.slots) - taken} others); "
             f"{outcome.refusals.get('slot_taken', 0)} answers 'slot taken'; "
             f"{outcome.satisfied} of {CANDIDATES} candidates got their 3 interviews",
             f"    {sum(outcome.left_with.values())} more were served to the end with fewer: their companies had no "
             "free slot left that fits their day"
             + "".join(f"; {n} with {count}" for count, n in sorted(outcome.left_with.items()))]
    return checks, notes
