"""Badges in a real browser: an organiser prints an edition's badges on A4 sheets of 8 from
the back office, follows the job page until the PDF is ready and downloads it; a candidate
downloads their own badge from their home page on a phone. The PDFs are read back: pages,
page size, and every QR code decoded by zxing-cpp."""

from __future__ import annotations

import math
import queue
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from jobday.badges.models import Badge
from jobday.extensions import db
from jobday.jobs.services import run_job
from jobday.security import Role
from tests import factories
from tests.badges.conftest import decoded_codes, page_sizes_mm, pdf_text
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.e2e

YEAR = 2031


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _edition_with_people(app, candidates: int) -> None:
    """An edition with ``candidates`` registered candidates, an approved company with two
    recruiters, and the organiser (who gets a staff badge)."""
    with app.app_context():
        edition = factories.make_edition(year=YEAR, name="Jobdays 2031")
        factories.make_user(roles=(Role.ADMIN,), email="olga@example.org", first_name="Olga",
                            last_name="Organiser", locale="en")
        for n in range(candidates):
            person = factories.make_candidate(email=f"cand{n}@example.org", first_name=f"Cand{n}",
                                              last_name="Janssens")
            factories.make_registration(person, edition)
        company = factories.make_company(name="Biolab SA")
        factories.add_recruiter(company, first_name="Jan", last_name="Smet")
        factories.make_participation(company, edition, status="approved", stand="B12")
        db.session.commit()


def _active_codes(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Badge.code).where(Badge.status == "active")))


class HandDrivenWorker:
    """Stands in for the huey consumer. Tests run jobs eagerly, inside the request that
    starts them, so the job page would only ever be seen finished; here the job waits in
    line until the test lets the worker run it (the real ``run_job``, on its own thread
    and connections, as the consumer does)."""

    def __init__(self, app) -> None:
        self.app = app
        self.waiting: queue.Queue[int] = queue.Queue()
        self.thread: threading.Thread | None = None
        app.extensions["jobday.huey_run_job"] = self.waiting.put

    def run_next(self) -> int:
        job_id = self.waiting.get(timeout=10)

        def work() -> None:
            with self.app.app_context():
                run_job(job_id)

        self.thread = threading.Thread(target=work, daemon=True)
        self.thread.start()
        return job_id

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join(timeout=60)


def test_an_organiser_prints_the_badges_on_a4_sheets_of_8(live_server, page, tmp_path):
    app, base = live_server.app, live_server.url
    _edition_with_people(app, candidates=7)  # 7 candidates + 2 recruiters + 1 organiser = 10 badges
    worker = HandDrivenWorker(app)
    _login(page, base, "olga@example.org")

    page.goto(f"{base}/staff/badges?year={YEAR}")
    assert page.locator("#layout").input_value() == "a4-8"  # the default layout
    page.select_option("#layout", "a4-8")
    page.locator("main form[method=get] button[type=submit]").click()
    preview = page.locator("main p[role=status]").inner_text()
    assert "10 badges on 2 pages" in preview
    page.locator("form[action*='/staff/badges/print'] button[type=submit]").click()

    # The job page, while the job waits for the worker: an open-ended progress bar, and the
    # page reloads itself.
    page.wait_for_url("**/jobs/*")
    assert page.locator("progress").count() == 1
    assert page.locator("progress").get_attribute("value") is None
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    job_id = worker.run_next()
    # The page refreshes itself until the job is done, then offers the PDF.
    download_link = page.locator(f"a[href='/jobs/{job_id}/download']")
    download_link.wait_for(timeout=60_000)
    worker.join()
    assert page.locator("progress").count() == 0 and page.locator("meta[http-equiv=refresh]").count() == 0
    assert "10 badges on 2 pages" in page.locator("main [role=status]").inner_text()
    status = page.request.get(f"{base}/jobs/{job_id}.json").json()
    assert (status["status"], status["done"], status["total"], status["percent"]) == ("done", 10, 10, 100)

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == f"badges-{YEAR}-a4-8.pdf"
    pdf = Path(download.path()).read_bytes()

    sizes = page_sizes_mm(pdf)
    assert len(sizes) == math.ceil(10 / 8) == 2
    assert all((round(w), round(h)) == (210, 297) for w, h in sizes)  # A4 portrait
    pages = decoded_codes(pdf)
    assert [len(codes) for codes in pages] == [8, 2]
    printed = [code for codes in pages for code in codes]
    assert len(set(printed)) == 10 and set(printed) == _active_codes(app)
    text = pdf_text(pdf)
    assert "Biolab SA" in text and "Olga" in text and "Cand6" in text

    # The print is recorded: printing the same badges again now needs a reason.
    page.goto(f"{base}/staff/badges?year={YEAR}&layout=a4-8")
    assert page.locator("#reason").count() == 1


def test_a_candidate_downloads_their_badge_from_home_on_a_phone(live_server, phone_page):
    app, base = live_server.app, live_server.url
    with app.app_context():
        edition = factories.make_edition(year=YEAR, name="Jobdays 2031")
        person = factories.make_candidate(email="lea@example.org", first_name="Léa", last_name="Dubois-Ñúñez")
        factories.make_registration(person, edition)
        db.session.commit()
        person_id = person.id
    page = phone_page
    _login(page, base, "lea@example.org")
    page.goto(f"{base}/candidate")

    link = page.locator(f".badge-card a[href='/badges/mine.pdf?year={YEAR}']")
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # within the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A tap opens the PDF in the browser's viewer (served inline, not as a download); the
    # viewer hides the bytes from the page, so the route keeps a copy on the way through.
    served = {}

    def keep_a_copy(route):
        response = route.fetch()
        served.update(status=response.status, headers=response.headers, body=response.body())
        route.fulfill(response=response)

    page.route("**/badges/mine.pdf*", keep_a_copy)
    link.tap()
    page.wait_for_url(f"**/badges/mine.pdf?year={YEAR}")
    assert served["status"] == 200 and served["headers"]["content-type"] == "application/pdf"
    assert "no-store" in served["headers"]["cache-control"]
    pdf = served["body"]
    assert [(round(w), round(h)) for w, h in page_sizes_mm(pdf)] == [(105, 148)]  # A6
    assert "Léa" in pdf_text(pdf)
    [[code]] = decoded_codes(pdf)
    with app.app_context():
        active = db.session.scalars(select(Badge.code).where(Badge.user_id == person_id,
                                                             Badge.status == "active")).one()
    assert code == active
