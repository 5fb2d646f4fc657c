"""Scenario "the door at 9:00": 1,200 people arrive over 20 minutes at 4 gates, 10% of them
are scanned a second time and 2% of the scans are unknown codes, while 2 organisers watch
the arrivals board.

Time is compressed 20 times: the 20-minute morning (1 arrival a second) is played in 60 s
(20 arrivals a second), and the board, which refreshes itself every 30 s, is reloaded every
1.5 s. Each gate has 2 scanning devices (phones with a gate token) that scan one badge at a
time, each at its planned second or as soon as the device is free. So 1,344 scans: 1,200
first entries, 120 repeats (40 s to 200 s later, at any gate), 24 codes that are well formed
but were never issued. Unknown codes stay under the API's per-device limit (60 a minute) at
this rate, so that limit is left as it is.

Afterwards: every scan is a row once (by its nonce), each of the 1,200 people has exactly one
entry, repeats are ``already_inside``, unknown codes ``unknown``, every answer matches its
row, and the board's last figures match the database.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from tests.bench.loadgen import Browser, Deadline, Recorder, percentile, run_at

PEOPLE = 1200
REPEATS = 120  # 10%
UNKNOWN = 24  # 2%
GATES = ("A", "B", "C", "D")
DEVICES_PER_GATE = 2
REAL_MINUTES = 20
COMPRESSION = 20  # 20 real minutes played in 60 s
REPEAT_AFTER = (40, 200)  # real seconds between a person's first scan and a repeat
BOARD_REFRESH = 30 / COMPRESSION  # the board's own 30 s refresh, compressed
WATCHERS = 2
BOUND_SECONDS = 80
PASSWORD = "correct horse battery staple"


@dataclass
class Scan:
    at: float  # seconds from the start
    code: str
    kind: str  # "first", "repeat" or "unknown"
    nonce: str = field(default_factory=lambda: uuid.uuid4().hex)
    sent: bool = False
    result: str = ""  # the answer's result; "" when no answer came
    late: float = 0.0  # how long it waited for its device beyond the planned second


@dataclass
class Seeded:
    codes: list[str]
    tokens: dict[str, list[str]]  # gate -> device tokens


@dataclass
class Board:
    readings: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # watcher -> (inside, entries)
    lock: threading.Lock = field(default_factory=threading.Lock)


def seed(app) -> Seeded:
    """An edition that is today, 1,200 registered candidates with badges, 2 devices a gate,
    and 2 organisers."""
    from jobday.accounts.models import User
    from jobday.badges.codes import new_code
    from jobday.badges.models import Badge
    from jobday.candidates.models import Registration
    from jobday.checkin.devices import create_device
    from jobday.db import utcnow
    from jobday.extensions import db
    from jobday.security import Role
    from tests import factories

    with app.app_context():
        edition = factories.make_edition(starts_on=datetime.now(ZoneInfo("Europe/Brussels")).date())
        for n in range(WATCHERS):
            factories.make_user(email=f"organiser{n}@bench.example.org", roles=(Role.ADMIN,))
        password_hash = factories.make_user(email="hash@bench.example.org").password_hash
        now = utcnow()
        users = []
        for n in range(PEOPLE):
            user = User(email=f"visitor{n}@bench.example.org", password_hash=password_hash, first_name=f"V{n}",
                        last_name="Bench", email_confirmed_at=now)
            user.add_role(Role.CANDIDATE)
            users.append(user)
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(Registration(user_id=user.id, edition_id=edition.id, status="registered",
                                        registered_at=now) for user in users)
        badges = [Badge(code=new_code(), user_id=user.id, edition_id=edition.id, role="candidate", status="active",
                        first_name=user.first_name, last_name=user.last_name, locale="fr", issued_at=now,
                        changed_at=now, print_count=0) for user in users]
        for badge in badges:
            badge.refresh_hash()
        db.session.add_all(badges)
        tokens = {gate: [create_device(edition, gate, actor=None)[1] for _ in range(DEVICES_PER_GATE)]
                  for gate in GATES}
        db.session.commit()
        seeded = Seeded([badge.code for badge in badges], tokens)
        db.session.remove()
        db.engine.dispose()
    return seeded


def plan_scans(codes: list[str], rng: random.Random) -> list[Scan]:
    """The morning, compressed: arrivals spread at random over the minute (a Poisson process
    of 20 a second, given its count), repeats 40 s to 200 s after the first scan (2 to 10 s
    compressed, within the minute), unknown codes at any time. In order of their planned second."""
    from jobday.badges.codes import new_code

    span = REAL_MINUTES * 60 / COMPRESSION
    soonest, latest = (seconds / COMPRESSION for seconds in REPEAT_AFTER)
    arrivals = [Scan(rng.uniform(0, span), code, "first") for code in codes]
    early = [scan for scan in arrivals if scan.at < span - latest]  # so that every repeat falls within the span
    repeats = [Scan(first.at + rng.uniform(soonest, latest), first.code, "repeat")
               for first in rng.sample(early, REPEATS)]
    unknown = [Scan(rng.uniform(0, span), new_code(), "unknown") for _ in range(UNKNOWN)]
    return sorted(arrivals + repeats + unknown, key=lambda scan: scan.at)


def device_journey(browser: Browser, token: str, scans: list[Scan], start: float) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for scan in scans:
        wait = start + scan.at - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        scan.late = max(0.0, -wait)
        body = json.dumps({"code": scan.code, "nonce": scan.nonce})
        scan.sent = True
        page = browser.post_json("/api/v1/checkin", body, f"scan ({scan.kind})", headers=headers)
        scan.result = json.loads(page.body)["result"]


def watcher_journey(browser: Browser, watcher: int, board: Board, done: threading.Event) -> None:
    """Log in, then load the board every (compressed) 30 s; once more after the last scan."""
    email = f"organiser{watcher}@bench.example.org"
    page = browser.get("/account/login", "login page")
    form = page.form("/account/login").set("email", email).set("password", PASSWORD)
    browser.submit(form, "login POST")
    while True:
        finished = done.is_set()
        page = browser.get("/staff/arrivals", "arrivals board")
        inside, entries = (int(n) for n in re.findall(r'class="board-number"[^>]*>(\d+)<', page.body)[:2])
        with board.lock:
            board.readings.setdefault(watcher, []).append((inside, entries))
        if finished:
            return
        done.wait(BOARD_REFRESH)


def run(port: int, seeded: Seeded, recorder: Recorder) -> tuple[list[Scan], Board]:
    rng = random.Random(9)
    scans = plan_scans(seeded.codes, rng)
    queues: dict[str, list[Scan]] = {token: [] for tokens in seeded.tokens.values() for token in tokens}
    next_device = {gate: 0 for gate in GATES}
    for scan in scans:
        gate = rng.choice(GATES)
        tokens = seeded.tokens[gate]
        queues[tokens[next_device[gate] % len(tokens)]].append(scan)
        next_device[gate] += 1
    deadline, board, done = Deadline(BOUND_SECONDS), Board(), threading.Event()
    browsers = []
    start = time.perf_counter() + 1.0
    devices = []
    for token, queue in queues.items():
        browser = Browser(port, recorder, deadline=deadline)
        browsers.append(browser)
        devices.append((0.0, partial(device_journey, browser, token, queue, start)))
    watchers = []
    for n in range(WATCHERS):
        browser = Browser(port, recorder, deadline=deadline)
        browsers.append(browser)
        watchers.append((n * BOARD_REFRESH / WATCHERS, partial(watcher_journey, browser, n, board, done)))
    watching = threading.Thread(target=run_at, args=(watchers, recorder), kwargs={"label": "watcher"})
    watching.start()
    run_at(devices, recorder, label="device")
    done.set()
    watching.join()
    recorder.stop()
    for browser in browsers:
        browser.close()
    return scans, board


def check(settings: dict, seeded: Seeded, scans: list[Scan], board: Board):
    from jobday.badges.models import Badge
    from jobday.checkin.models import Scan as ScanRow
    from tests.bench.scenario_common import Checks, check_engine

    checks = Checks()
    engine = check_engine(settings)
    with engine.connect() as conn:
        rows = conn.execute(select(ScanRow.nonce, ScanRow.result, Badge.code)
                            .join(Badge, Badge.id == ScanRow.badge_id, isouter=True)).all()
        per_nonce = dict(conn.execute(select(ScanRow.nonce, func.count()).group_by(ScanRow.scope, ScanRow.nonce)).all())
    engine.dispose()

    answered = [scan for scan in scans if scan.result]
    stored = {nonce: (result, code) for nonce, result, code in rows}
    checks.add(f"every answered scan is a row ({len(answered)} of {len(scans)} answered)",
               all(scan.nonce in stored for scan in answered), f"{sum(s.nonce not in stored for s in answered)} lost")
    checks.add("each scan stored once, none that was not sent",
               set(per_nonce.values()) <= {1} and set(stored) <= {scan.nonce for scan in scans if scan.sent},
               f"{len(rows)} rows for {len(scans)} scans")
    checks.add("every answer is what was stored",
               all(stored[s.nonce][0] == s.result for s in answered if s.nonce in stored))
    entries: dict[str, int] = {}
    for result, code in stored.values():
        if result == "ok":
            entries[code] = entries.get(code, 0) + 1
    arrived = {scan.code for scan in answered if scan.kind != "unknown"}
    came = {scan.code for scan in scans if scan.sent and scan.kind != "unknown"}  # answered or not
    checks.add(f"one entry for each person who arrived ({len(arrived)})",
               arrived <= set(entries) <= came and set(entries.values()) <= {1}, f"{len(entries)} people entered")
    counts = {kind: {} for kind in ("first", "repeat", "unknown")}
    for scan in answered:
        counts[scan.kind][scan.result] = counts[scan.kind].get(scan.result, 0) + 1
    per_person: dict[str, list[str]] = {}  # each person's answers; None for a scan left unanswered
    for scan in scans:
        if scan.sent and scan.kind != "unknown":
            per_person.setdefault(scan.code, []).append(scan.result or None)
    checks.add("each person's scans: one ok, the others already_inside",
               all(results.count("ok") == 1 or (None in results and results.count("ok") == 0)
                   for results in per_person.values())
               and all(set(results) <= {"ok", "already_inside", None} for results in per_person.values()),
               f"{counts}")
    checks.add("unknown codes answered unknown", set(counts["unknown"]) <= {"unknown"}, f"{counts['unknown']}")
    last = [readings[-1] for readings in board.readings.values()]
    checks.add("the board, read after the last scan, shows every entry and everyone inside",
               len(last) == WATCHERS and set(last) == {(len(entries), len(entries))},
               f"last readings {last}, {len(entries)} entries")
    checks.add("the board's figures never go down from one reading to the next",
               all(later[0] >= earlier[0] and later[1] >= earlier[1] for readings in board.readings.values()
                   for earlier, later in zip(readings, readings[1:], strict=False)))
    late = [scan.late for scan in answered]
    notes = [f"    scans by kind and result: {counts}",
             f"    queue at the gates (scan later than its planned second): p50 {percentile(late, 0.5) * 1000:.0f} ms, "
             f"p99 {percentile(late, 0.99) * 1000:.0f} ms, max {max(late, default=0) * 1000:.0f} ms",
             f"    board read {sum(map(len, board.readings.values()))} times by {WATCHERS} organisers; "
             f"time compressed {COMPRESSION}x "
             f"({REAL_MINUTES} min in {REAL_MINUTES * 60 / COMPRESSION:.0f} s)"]
    return checks, notes
