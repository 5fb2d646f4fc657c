"""Bench: the cost of a request and of every page a candidate or a recruiter opens (issue 17,
goals 2 and 3).

The demo edition (1,200 candidates, 60 companies, as ``make run`` seeds it; then 10,000
candidates) in SQLite, served by gunicorn with one sync worker; one client on the same
machine sends one request at a time (a new connection each, as gunicorn's sync workers close
them) and times it, client included. Rounds are interleaved (each round requests every URL
once), so a busy minute on this shared machine slows every URL alike; each figure is the
median of the rounds, and each ratio is to the anonymous ``/livez`` of the same rounds.

- Goal 2, per-request overhead: ``/livez`` with a candidate's session cookie (every hook runs:
  the user is loaded and the session rules, the language, the log line and the headers are
  applied) against the anonymous ``/livez``: at most 1.3×.
- Goal 3, pages: every page of ``tests/security/test_query_counts.pages()`` (the GET routes the
  access matrix opens to candidates and recruiters; documents and files are left to their own
  benches) at most 4× ``/livez`` on the demo edition, 5× at 10,000 candidates.

Each page's SQL statements are counted in the test suite (``test_query_counts``), not here.
``JOBDAY_BENCH_STRICT=1`` turns a missed goal into a failure.

Run with ``make bench`` or
``.venv/bin/python -m pytest tests/bench/bench_pages.py -o python_files='bench_*.py' -s -q``.
"""

from __future__ import annotations

import http.client
import os
import statistics
import time
from datetime import timedelta
from pathlib import Path

import pytest

from jobday import create_app
from tests.bench.bench_booking import Server, _settings
from tests.bench.scenario_common import session_cookie
from tests.security.test_query_counts import pages

ROUNDS = 25
USER_AGENT = "Mozilla/5.0 (jobday-bench-pages)"
STRICT = os.environ.get("JOBDAY_BENCH_STRICT") == "1"
PROBES = frozenset({"main.livez", "main.healthz"})


def _world(app, candidates: int) -> tuple[dict, dict[str, str]]:
    """The demo edition, plus what the demo lacks for some pages (an application at the
    recruiter's company, a calendar feed, an invitation, a finished job). Returns the ids the
    access matrix's URLs take, and the session cookies of a candidate and a company admin."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from jobday.accounts.models import User
    from jobday.companies.models import CompanyMember, JobOffer, Participation
    from jobday.companies.team import invite_colleague
    from jobday.db import utcnow
    from jobday.demo.seed import seed_demo
    from jobday.editions.models import Edition
    from jobday.extensions import db
    from jobday.jobs.models import Job
    from jobday.leads.models import Lead
    from jobday.scheduling import ics
    from jobday.scheduling.models import Application, Booking
    from tests.security.access_matrix import CANDIDATE, COMPANY_ADMIN

    with app.app_context():
        upgrade()
        seed_demo(candidates=candidates, companies=60, year=2031)
        db.session.commit()
        edition = db.session.scalar(select(Edition).where(Edition.year == 2031))
        booking = db.session.scalars(select(Booking).where(Booking.active).order_by(Booking.id)).first()
        candidate = db.session.get(User, booking.candidate_id)
        participation = db.session.get(Participation, booking.participation_id)
        admin_id = db.session.scalar(select(CompanyMember.user_id).where(
            CompanyMember.company_id == participation.company_id, CompanyMember.is_admin))
        admin = db.session.get(User, admin_id)
        others = db.session.scalars(select(Booking.candidate_id).where(Booking.active, Booking.candidate_id
                                                                       != candidate.id).limit(30)).all()
        applied = set(db.session.scalars(select(Application.candidate_id).where(
            Application.participation_id == participation.id)))  # the demo's own applications
        db.session.add_all([Application(edition_id=edition.id, participation_id=participation.id, candidate_id=user_id,
                                        motivation="I would like to work in quality control.")
                            for user_id in dict.fromkeys([candidate.id, *others]) if user_id not in applied])
        db.session.flush()
        application_a = db.session.scalar(select(Application.id).where(
            Application.participation_id == participation.id, Application.candidate_id == candidate.id))
        _invitation, invitation_token = invite_colleague(participation.company, "newcomer@bench.example",
                                                         actor=admin)
        job = Job(kind="candidates.export", params={}, status="done", done=1, total=1, started_by_id=candidate.id,
                  finished_at=utcnow(), created_at=utcnow() - timedelta(seconds=5))
        db.session.add(job)
        feed = ics.create_or_renew_feed(candidate)
        lead = db.session.scalar(select(Lead).where(Lead.edition_id == edition.id,  # the demo's, or one scan
                                                    Lead.company_id == participation.company_id).order_by(Lead.id))
        if lead is None:
            lead = Lead(edition_id=edition.id, company_id=participation.company_id, candidate_id=candidate.id,
                        first_scanned_at=utcnow(), last_scanned_at=utcnow(), first_scanned_by_id=admin.id,
                        last_scanned_by_id=admin.id)
            db.session.add(lead)
        db.session.flush()
        ids = {"year": edition.year, "candidate_a": candidate.id, "booking_a": booking.id,
               "participation_x": participation.id, "application_a": application_a,
               "offer_x": db.session.scalar(select(JobOffer.id).where(
                   JobOffer.company_id == participation.company_id).order_by(JobOffer.id)),
               "invitation_token_x": invitation_token, "feed_token_a": ics.feed_token(feed),
               "job_a": job.id, "lead_x": lead.id, "bad_token": "not-a-valid-token"}
        db.session.commit()
        cookies = {CANDIDATE: _browsing_cookie(app, candidate), COMPANY_ADMIN: _browsing_cookie(app, admin)}
        db.session.remove()
        db.engine.dispose()
    return ids, cookies


def _browsing_cookie(app, user) -> str:
    """The session of someone who logged in and has opened a page since: the login's stamps and
    the CSRF token the first page put in it. (Without the token every page made one and sent a
    new cookie, which a browser keeps after its first page: work no visitor causes twice.)"""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    cookie = session_cookie(app, user, USER_AGENT)
    serializer = app.session_interface.get_signing_serializer(app)
    # An application context of its own: ``generate_csrf`` keeps its token in ``g``, so a second
    # user's cookie made in the same context got no token, and every page of theirs made one.
    with app.app_context(), app.test_request_context(headers={"User-Agent": USER_AGENT}):
        stamps = serializer.loads(cookie)
        session.update(stamps)
        generate_csrf()
        assert "csrf_token" in session
        return serializer.dumps(dict(session))


def _urls(app, ids: dict) -> list[tuple[str, str, str]]:
    """(label, role, URL) of every page, built as the access matrix builds them."""
    adapter = app.url_map.bind("localhost")
    chosen = []
    for access, role in pages():
        if access.endpoint in PROBES:
            continue
        values = {name: ids[ref] for name, ref in access.args.items()}
        values.update(access.query)
        chosen.append((access.endpoint, role, adapter.build(access.endpoint, values)))
    return chosen


def _get(port: int, path: str, cookie: str | None) -> tuple[int, float]:
    headers = {"User-Agent": USER_AGENT, "Accept-Language": "fr"}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def _measure(port: int, targets: list[tuple[str, str, str | None]]) -> dict[str, float]:
    """Median milliseconds per target (label, path, cookie), rounds interleaved."""
    for label, path, cookie in targets:  # warm: templates compiled, connections open
        for _ in range(3):
            status, _seconds = _get(port, path, cookie)
        assert status < 400, f"{label} {path}: {status}"
    times: dict[str, list[float]] = {label: [] for label, _, _ in targets}
    for _ in range(ROUNDS):
        for label, path, cookie in targets:
            times[label].append(_get(port, path, cookie)[1])
    return {label: statistics.median(values) * 1000 for label, values in times.items()}


def _report(name: str, ms: float, ratio: float, goal: float | None) -> bool:
    met = goal is None or ratio <= goal
    verdict = "" if goal is None else ("  goal met" if met else "  GOAL MISSED")
    goal_text = "" if goal is None else f" (goal ≤ {goal:g}×)"
    print(f"  {name:<58} {ms:7.2f} ms {ratio:6.2f}×{goal_text}{verdict}")
    return met


def _run(folder: Path, candidates: int, page_goal: float) -> None:
    settings = {**_settings(folder, f"sqlite:///{folder / 'pages.sqlite'}", None), "COOKIE_INSECURE_OK": "true"}
    app = create_app({**settings, "INSTANCE_PATH": str(folder)})
    started = time.perf_counter()
    ids, cookies = _world(app, candidates)
    seeded = time.perf_counter() - started
    urls = _urls(app, ids)
    server = Server(folder, settings, workers=1)
    try:
        targets = [("/livez", "/livez", None), ("/livez, logged in", "/livez", cookies["candidate"])]
        targets += [(f"{endpoint} ({role})", url, cookies[role]) for endpoint, role, url in urls]
        medians = _measure(server.port, targets)
    finally:
        server.stop()
    livez = medians["/livez"]
    print(f"\n--- pages on the demo edition with {candidates:,} candidates (seeded in {seeded:.0f} s), SQLite, "
          f"1 gunicorn worker, {ROUNDS} interleaved rounds, load average {os.getloadavg()[0]:.2f}")
    missed = []
    _report("/livez, anonymous", livez, 1.0, None)
    if not _report("/livez with a candidate's session (per-request overhead)", medians["/livez, logged in"],
                   medians["/livez, logged in"] / livez, 1.3):
        missed.append("/livez, logged in")
    for label, _path, _cookie in sorted(targets[2:], key=lambda target: -medians[target[0]]):
        if not _report(label, medians[label], medians[label] / livez, page_goal):
            missed.append(label)
    print(f"  {len(targets) - 2 - len([m for m in missed if m != '/livez, logged in'])} of {len(targets) - 2} pages "
          f"within {page_goal:g}× /livez")
    if STRICT:
        assert not missed, missed


def test_pages_on_the_demo_edition(tmp_path):
    _run(tmp_path, 1200, 4.0)


@pytest.mark.parametrize("candidates", [10_000])
def test_pages_at_ten_thousand_candidates(tmp_path, candidates):
    _run(tmp_path, candidates, 5.0)
