"""SQL queries per page do not grow with the data: every page a candidate or a recruiter can
open (the GET routes the access matrix lets them use) is requested on the access matrix's
small world, then again after the world has grown (more companies with offers and slots, more
candidates with registrations, bookings, applications, wishes and waiting-list places at the
recruiter's company and around the candidate), and must send the same number of statements.

The count also has a ceiling, so a page cannot quietly become a dozen round trips."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from jobday.extensions import db
from tests import factories
from tests.security import matrix_world as mw
from tests.security.access_matrix import CANDIDATE, COMPANY_ADMIN, MATRIX, RECRUITER, Access

MAX_QUERIES = 20  # the busiest pages (a recruiter's applicants and applicant) stay within this
# Documents and files, not pages: their cost is the PDF or the file (benched in bench_badges).
DOCUMENTS = frozenset({"scheduling.agenda_pdf", "badges.my_badge", "badges.download", "candidates.download_cv",
                       "scheduling.candidate_cv", "candidates.my_cv", "companies.logo", "static",
                       "checkin.service_worker", "jobs.download", "company_exports.interviews",
                       "company_exports.profiles", "leads.lead_cv", "leads.service_worker",
                       "company_exports.leads_csv", "company_exports.leads_xlsx"})
GROWTH = 12  # companies and candidates added
# The pages of a booking rush (issue 17), held to what they send now: the company page sent 14.
CEILINGS = {"GET scheduling.company": 6, "GET scheduling.companies": 4, "GET scheduling.agenda": 7}


def pages() -> list[tuple[Access, str]]:
    """(route, the role that opens it): a candidate where candidates may, else a company's
    administrator, else a recruiter."""
    chosen = []
    for access in MATRIX:
        if access.method != "GET" or access.endpoint in DOCUMENTS or access.api:
            continue
        role = next((r for r in (CANDIDATE, COMPANY_ADMIN, RECRUITER) if r in access.allow), None)
        if role is not None:
            chosen.append((access, role))
    return chosen


@pytest.fixture(scope="module")
def world(request, tmp_path_factory, smtp_server):
    yield from mw.module_world(request, tmp_path_factory, smtp_server, "queries")


def _count(world: mw.World, access: Access, role: str) -> tuple[int, int]:
    client = mw.client_for(world, role)
    mw.send(world, client, role, access)  # warm-up: first-use work (templates, caches) is not counted
    statements: list[str] = []

    def listen(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        response = mw.send(world, client, role, access)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return response.status_code, len([s for s in statements if s.split(None, 1)[0].upper() != "BEGIN"])


def _grow(world: mw.World) -> None:
    """More of everything the pages list, around the acting candidate and company."""
    from jobday.accounts.models import User
    from jobday.candidates.consent import record_consents
    from jobday.candidates.models import Registration
    from jobday.companies.models import Participation
    from jobday.editions.models import Edition
    from jobday.leads.models import LeadTag
    from jobday.scheduling.models import WAITING, Application, WaitlistEntry, Wish

    edition = db.session.get(Edition, world.ids["edition"])
    x = db.session.get(Participation, world.ids["participation_x"])
    candidate_a = world.ids["candidate_a"]
    slots = mw._slots(x)
    free = [slot for slot in slots if slot.held_by_candidate_id is None and slot.id != world.ids["free_slot_x"]]
    for n in range(GROWTH):
        company = factories.make_company(name=f"Growth Bio {n}")
        participation = factories.make_participation(company, edition, stand=f"G{n}")
        for title in ("QC analyst", "Process engineer"):
            factories.make_offer(company, title=f"{title} {n}")
        db.session.add(Wish(edition_id=edition.id, candidate_id=candidate_a, participation_id=participation.id,
                            rank=n + 2))
        db.session.add(WaitlistEntry(edition_id=edition.id, participation_id=participation.id,
                                     candidate_id=candidate_a, status=WAITING, passed_slot_ids=[]))
        db.session.add(Application(edition_id=edition.id, participation_id=participation.id,
                                   candidate_id=candidate_a, motivation="Also interested."))
        candidate = factories.make_candidate(first_name=f"Grow{n}", email=f"grow{n}@example.org")
        db.session.add(Registration(user_id=candidate.id, edition_id=edition.id, status="registered",
                                    registered_at=edition.registration_opens_at))
        db.session.add(Application(edition_id=edition.id, participation_id=x.id, candidate_id=candidate.id,
                                   motivation="Hello."))
        db.session.add(WaitlistEntry(edition_id=edition.id, participation_id=x.id, candidate_id=candidate.id,
                                     status=WAITING, passed_slot_ids=[]))
        if free:
            mw._book(candidate, x, free.pop(0))
        factories.add_recruiter(x.company, email=f"colleague{n}@x.example", first_name=f"Col{n}")
        # Leads at X's stand, with a tag, and candidates who share with every exhibitor (matches).
        lead = factories.make_lead(x.company, candidate, edition, rating=n % 5 + 1, note="Met")
        lead.tags = [db.session.get(LeadTag, world.ids["tag_x"])]
        record_consents(candidate, {"share_with_all_exhibitors": True}, actor=candidate)
        factories.make_lead(company, db.session.get(User, candidate_a), edition)
    db.session.commit()


def test_queries_per_page_do_not_grow_with_the_data(world):
    chosen = pages()
    assert len(chosen) > 30, "the walk lost its pages"
    before = {access.key: _count(world, access, role) for access, role in chosen}
    _grow(world)
    after = {access.key: _count(world, access, role) for access, role in chosen}
    failed = [key for key, (status, _n) in after.items() if status >= 400 or before[key][0] != status]
    assert not failed, f"pages that did not answer as on the small world: {[(k, after[k]) for k in failed]}"
    grown = {key: (before[key][1], n) for key, (_status, n) in after.items() if n > before[key][1]}
    assert not grown, f"queries that grow with the data (before, after): {grown}"
    heavy = {key: n for key, (_status, n) in after.items() if n > MAX_QUERIES}
    assert not heavy, f"pages over {MAX_QUERIES} queries: {heavy}"
    over = {key: after[key][1] for key, ceiling in CEILINGS.items() if after[key][1] > ceiling}
    assert not over, f"booking pages over their ceilings {CEILINGS}: {over}"
    print("\n".join(f"{key}: {n}" for key, (_status, n) in sorted(after.items(), key=lambda kv: -kv[1][1])))
