"""Bench: badge PDFs (issue 6, "Speed").

Goals, on this 2-core machine:
  - one badge PDF, warm process: median at most 30 ms;
  - 1,000 badges on A4 8-up, cold: under 6 s on 2 cores (chunks of ~100 over 2 processes,
    QR codes cached per code, fonts subset, a simple template), peak memory under 300 MB;
  - reprinting only the changed badges: 10 changed out of 1,000 in under 1 s;
and, for comparison, the plain one-document render of the same 1,000 badges in one process.

The same 1,000 synthetic persons every run (names with European accents, long names,
recruiters of 60 companies with stands); no database for the render figures, a real SQLite
database for the reprint figure.

Run with ``make bench`` or
``.venv/bin/python -m pytest tests/bench/bench_badges.py -o python_files='bench_*.py' \\
-p no:cacheprovider -s -q``.
``JOBDAY_BENCH_STRICT=1`` turns a missed goal into a failure.
"""

from __future__ import annotations

import gc
import io
import os
import random
import resource
import statistics
import time
from datetime import date

import pytest

from jobday.badges import documents, pdf
from jobday.badges.codes import ALPHABET, RANDOM_LENGTH, with_check
from jobday.badges.faces import BadgeData, EditionData

STRICT = os.environ.get("JOBDAY_BENCH_STRICT") == "1"
EDITION = EditionData("Jobdays 2027", date(2027, 3, 18), date(2027, 3, 18))
FIRST = ["Łukasz", "Søren", "François-Xavier", "Zoë", "Amélie", "Jürgen", "Iñaki", "Åsa", "Chloé", "Ömer",
         "Marie", "Thomas", "Nathalie", "Kévin", "Sarah", "Maximilien", "Anaïs", "Dragoș", "Pieter-Jan",
         "Lucía"]
LAST = ["Wiśniewski", "Ødegård", "Vandenbroucke-Dupont", "Müller", "Dubois", "Peeters", "Lambert", "Janssens",
        "Nguyễn", "Van den Bossche-de Schrijver", "Łopuszańska", "García Márquez", "Çelik", "Mertens", "Smet"]
COMPANIES = [f"Biotech {n} {suffix}" for n, suffix in
             zip(range(60), ["SA", "SRL", "NV", "Pharma", "Biologics SA", "Diagnostics"] * 10, strict=True)]


def persons(count: int = 1000, seed: int = 2027) -> list[BadgeData]:
    rng = random.Random(seed)
    people = []
    for n in range(count):
        code = with_check("".join(rng.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))
        role = "candidate" if n % 100 < 85 else "recruiter" if n % 100 < 98 else "staff"
        company, stand = "", ""
        if role == "recruiter":
            company_n = rng.randrange(len(COMPANIES))
            company, stand = COMPANIES[company_n], f"{'ABCDEF'[company_n % 6]}{company_n + 1}"
        people.append(BadgeData(code=code, role=role, first_name=rng.choice(FIRST),
                                last_name=rng.choice(LAST), company=company, stand=stand,
                                locale=rng.choice(["fr", "fr", "en"])))
    return people


def _report(name: str, value: float, unit: str, goal: float | None = None) -> None:
    verdict = "" if goal is None else ("  goal met" if value < goal or value == goal else "  GOAL MISSED")
    goal_text = "" if goal is None else f"  (goal ≤ {goal:g} {unit})"
    print(f"  {name:<58} {value:9.3f} {unit}{goal_text}{verdict}")
    if STRICT and goal is not None:
        assert value <= goal, f"{name}: {value:.3f} {unit} > {goal} {unit}"


def _pages(pdf_bytes: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)


def _max_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


@pytest.fixture
def qr_folder(app, tmp_path):
    app.config["BADGE_QR_FOLDER"] = str(tmp_path / "qr")
    return tmp_path / "qr"


def test_bench_badge_pdfs(app, qr_folder):
    people = persons()
    print(f"\n--- Badge PDFs: {len(people)} synthetic persons, load average {os.getloadavg()[0]:.2f}")

    # 1,000 badges on A4 8-up, cold: new worker processes, empty render caches, no QR image yet.
    # A fork server (what a threaded web or job worker uses; pytest has threads too) first.
    pdf._renderers.clear()
    gc.collect()
    started = time.perf_counter()
    chunked = documents.render_run(people, EDITION, "a4-8", processes=2)
    cold = time.perf_counter() - started
    assert _pages(chunked.pdf) == 125
    parent_mb, child_mb = _max_rss_mb(resource.RUSAGE_SELF), _max_rss_mb(resource.RUSAGE_CHILDREN)
    _report("1,000 badges A4 8-up, 2 processes (fork server), cold, QR made in the run", cold, "s", 6.0)
    _report("  peak memory: parent process (pytest + app)", parent_mb, "MB")
    _report("  peak memory: largest worker process", child_mb, "MB")
    _report("  peak memory: parent + 2 × largest worker (upper bound)", parent_mb + 2 * child_mb, "MB", 300)

    # The same with the QR images cached (made when the codes were issued).
    pdf._renderers.clear()
    started = time.perf_counter()
    documents.render_run(people, EDITION, "a4-8", processes=2)
    cached = time.perf_counter() - started
    _report("1,000 badges A4 8-up, 2 processes (fork server), cold, QR cached", cached, "s", 6.0)

    # Forked workers (what the CLI uses: a single-threaded process).
    app.config["BADGE_PDF_START_METHOD"] = "fork"
    pdf._renderers.clear()
    started = time.perf_counter()
    documents.render_run(people, EDITION, "a4-8", processes=2)
    forked = time.perf_counter() - started
    _report("1,000 badges A4 8-up, 2 forked processes, cold, QR cached", forked, "s", 6.0)

    # The merge alone.
    faces = documents.build_faces(people[:200], EDITION, "card")
    htmls = documents.chunk_html(faces, documents.layouts.get_layout("a4-8"))
    parts = pdf.render_chunks(htmls, documents.settings(), processes=1)
    started = time.perf_counter()
    pdf.merge(parts * 5)
    _report("  merging 10 chunks of 96-104 badges (PDFium)", time.perf_counter() - started, "s")

    # The plain render: one document, one process, same badges (caches warm, QR cached).
    started = time.perf_counter()
    plain = documents.render_run(people, EDITION, "a4-8", processes=1, chunk_badges=len(people))
    plain_seconds = time.perf_counter() - started
    assert _pages(plain.pdf) == 125
    _report("1,000 badges A4 8-up, one document, one process (plain)", plain_seconds, "s")
    _report("  ratio plain / chunked (QR cached)", plain_seconds / cached, "×")

    # One badge, warm process.
    item = people[0]
    for _ in range(3):
        documents.render_one(item, EDITION, "a6")
    times = []
    for n in range(30):
        started = time.perf_counter()
        documents.render_one(people[n], EDITION, "a6")
        times.append(time.perf_counter() - started)
    _report("one badge (A6), warm process, median of 30", statistics.median(times) * 1000, "ms", 30)
    _report("  the same, slowest of 30", max(times) * 1000, "ms")
