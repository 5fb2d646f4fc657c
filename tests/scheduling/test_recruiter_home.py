"""The recruiter's company page counts what to act on (applications to decide, interviews today,
the waiting list) with links there and to the exports; the wish list shows each candidate's
level, job areas and languages as far as the candidate shares them."""

from __future__ import annotations

import re

from freezegun import freeze_time

from jobday.candidates.consent import record_consents
from jobday.candidates.models import CandidateLanguage
from jobday.scheduling import applications, waitlist, wishes
from jobday.scheduling import booking as bookings
from tests.scheduling.conftest import registered_candidate

EN = {"Accept-Language": "en"}


def _count(page: str, words: str) -> int:
    match = re.search(r"<strong>(\d+)</strong>\s*" + re.escape(words), page)
    assert match, words
    return int(match.group(1))


def test_the_company_page_counts_what_to_act_on(backend, client, db, fair, login_as):
    fair.acme.booking_mode = "apply"
    applications.apply_to_company(fair.alice, fair.acme, actor=fair.alice, motivation="QC")
    bob_app = applications.apply_to_company(fair.bob, fair.acme, actor=fair.bob, motivation="QC")
    applications.decide_application(bob_app, actor=fair.recruiter, accept=True, message="")
    bookings.book_slot(fair.bob, fair.acme_slots[0].id, actor=fair.bob)
    fair.acme.booking_mode = "open"
    for slot in fair.acme_slots[1:]:
        other = registered_candidate(fair.edition)
        bookings.book_slot(other, slot.id, actor=other)
    waitlist.join_waitlist(fair.carol, fair.acme, actor=fair.carol)
    db.session.commit()

    login_as(fair.recruiter)
    page = client.get("/company", headers=EN).get_data(as_text=True)
    assert _count(page, "application to decide") == 1
    assert _count(page, "interviews today") == 0
    assert _count(page, "candidate on the waiting list") == 1
    assert 'href="/company/applicants?status=pending"' in page and 'href="/company/day"' in page
    assert 'href="/company/exports/interviews.xlsx"' in page and 'href="/company/exports/profiles.csv"' in page

    with freeze_time(fair.acme_slots[0].starts_at.replace(hour=6)):
        login_as(fair.recruiter)
        page = client.get("/company", headers=EN).get_data(as_text=True)
    assert _count(page, "interviews today") == len(fair.acme_slots)


def test_a_pending_company_has_no_counts(client, db, fair, login_as):
    fair.acme.status = "pending"
    db.session.commit()
    login_as(fair.recruiter)
    assert "To act on" not in client.get("/company", headers=EN).get_data(as_text=True)


def test_the_wish_list_shows_what_each_candidate_shares(backend, client, db, fair, login_as):
    fair.edition.wishes_open_at = fair.edition.registration_opens_at
    fair.edition.wishes_close_at = fair.edition.booking_closes_at
    db.session.add(CandidateLanguage(user_id=fair.alice.id, language="nl", level="fluent"))
    record_consents(fair.alice, {"share_with_all_exhibitors": True}, actor=fair.alice)
    record_consents(fair.bob, {"share_with_applied": True}, actor=fair.bob)  # he did not apply
    for candidate in (fair.alice, fair.bob):
        wishes.set_wishes(candidate, fair.edition, [fair.acme.id], actor=candidate)
    db.session.commit()
    login_as(fair.recruiter)
    page = client.get("/company/applicants", headers=EN).get_data(as_text=True)
    wished = page[page.index("wish-list"):]
    alice = wished[wished.index("Alice"):wished.index("Bob")]
    bob = wished[wished.index("Bob"):]
    assert "Master" in alice and "Quality control" in alice and "Dutch" in alice
    assert "profile not shared" in bob and "Master" not in bob and "Quality control" not in bob
