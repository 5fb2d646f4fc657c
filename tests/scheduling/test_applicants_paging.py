"""A popular company's applicants and the candidates who wished to meet it come a page at a
time, with the counts of the whole list, a French pager that keeps the filters, and a
summary of the wishes by rank."""

from __future__ import annotations

import re

import pytest

from jobday.scheduling import applications
from jobday.scheduling.models import Wish
from jobday.scheduling.views import recruiter
from tests.scheduling.conftest import registered_candidate

FR = {"Accept-Language": "fr"}


@pytest.fixture
def popular(fair, db, monkeypatch):
    """Acme with five applicants (Alice, Bob, Carol, Dana, Eli) and their wishes, two a page."""
    monkeypatch.setattr(recruiter, "APPLICANTS_PER_PAGE", 2)
    monkeypatch.setattr(recruiter, "WISHES_PER_PAGE", 2)
    fair.acme.booking_mode = "apply"
    people = [fair.alice, fair.bob, fair.carol,
              registered_candidate(fair.edition, first_name="Dana", last_name="Zed", email="dana@example.org"),
              registered_candidate(fair.edition, first_name="Eli", last_name="Zed", email="eli@example.org")]
    for rank, person in enumerate(people):
        applications.apply_to_company(person, fair.acme, actor=person, motivation="Hello.")
        db.session.add(Wish(edition_id=fair.edition.id, participation_id=fair.acme.id, candidate_id=person.id,
                            rank=1 if rank < 3 else 2))
    db.session.commit()
    return people


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/company/applicants/\d+">([^<]+)</a>', html)


def _text(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_applicants_come_a_page_at_a_time_with_the_whole_count(client, fair, popular, login_as):
    login_as(fair.recruiter)
    first = client.get("/company/applicants?sort=name", headers=FR).get_data(as_text=True)
    text = _text(first)
    assert "5 candidatures." in text
    assert "1 à 2 sur 5 · page 1 sur 3" in text and "Page suivante" in text
    assert len(_names(first)) == 2
    seen = set(_names(first))
    for number in (2, 3):
        page = client.get(f"/company/applicants?sort=name&page={number}", headers=FR).get_data(as_text=True)
        seen |= set(_names(page))
    assert len(seen) == 5  # every applicant once, none lost between pages


def test_the_pager_keeps_the_filters_and_the_other_list(client, fair, popular, login_as):
    login_as(fair.recruiter)
    html = client.get("/company/applicants?status=pending&sort=name&wishes_page=2", headers=FR).get_data(as_text=True)
    assert "5 candidatures correspondent." in _text(html)
    following = re.findall(r'<a href="([^"]+)" rel="next">', html.replace("&amp;", "&"))
    applicants_next = next(link for link in following if "#wishes" not in link)
    assert set(applicants_next.split("?")[1].split("&")) == {"status=pending", "sort=name", "wishes_page=2", "page=2"}
    wishes_next = next(link for link in following if "#wishes" in link)
    assert set(wishes_next.split("?")[1].split("#")[0].split("&")) == {"status=pending", "sort=name", "wishes_page=3"}


def test_a_page_past_the_end_shows_the_last_one(client, fair, popular, login_as):
    login_as(fair.recruiter)
    text = _text(client.get("/company/applicants?page=999&wishes_page=abc", headers=FR).get_data(as_text=True))
    assert "5 à 5 sur 5 · page 3 sur 3" in text and "Page précédente" in text


def test_the_wishes_are_summarised_by_rank_and_paged(client, fair, popular, login_as):
    login_as(fair.recruiter)
    html = client.get("/company/applicants", headers=FR).get_data(as_text=True)
    text = _text(html)
    assert "5 candidat·es ont choisi votre entreprise\u00a0:" in text
    assert "3 en choix n°\u00a01 · 2 en choix n°\u00a02" in text
    assert "1 à 2 sur 5 · page 1 sur 3" in text
    assert 'href="/company/applicants?wishes_page=2#wishes"' in html
    last = _text(client.get("/company/applicants?wishes_page=3", headers=FR).get_data(as_text=True))
    assert "Eli Zed" in last and "Alice" not in last.split("ont choisi votre entreprise")[1]


def test_url_options_in_the_address_are_not_kept(client, fair, popular, login_as):
    login_as(fair.recruiter)
    html = client.get("/company/applicants?_scheme=javascript&_anchor=x&sort=name", headers=FR).get_data(as_text=True)
    pager_links = re.findall(r'<a href="([^"]+)" rel="(?:next|prev)">', html)
    assert pager_links and all(link.startswith("/company/applicants?") and "javascript" not in link
                               and "_anchor" not in link and "#x" not in link for link in pager_links)


def test_one_page_needs_no_pager(client, db, fair, login_as):
    fair.acme.booking_mode = "apply"
    applications.apply_to_company(fair.alice, fair.acme, actor=fair.alice, motivation="Hello.")
    db.session.commit()
    login_as(fair.recruiter)
    html = client.get("/company/applicants", headers=FR).get_data(as_text=True)
    assert 'class="pager"' not in html and "1 candidature." in _text(html)


def test_what_is_beside_the_lists_is_read_as_each_question_reads_it(backend, db, fair):
    from jobday.scheduling import applicant_lists
    from jobday.scheduling.booking import max_per_candidate

    def as_each() -> applicant_lists.BesideTheLists:
        return applicant_lists.BesideTheLists(applications.shortlisted_ids(fair.acme.id),
                                              applicant_lists.wish_summary(fair.acme), max_per_candidate(fair.acme.id))

    assert applicant_lists.beside_the_lists(fair.acme) == as_each() == applicant_lists.BesideTheLists(
        set(), applicant_lists.WishSummary(0, []), 1)
    fair.acme.booking_mode = "apply"
    for rank, person in enumerate((fair.alice, fair.bob, fair.carol)):
        applications.apply_to_company(person, fair.acme, actor=person, motivation="Hello.")
        db.session.add(Wish(edition_id=fair.edition.id, participation_id=fair.acme.id, candidate_id=person.id,
                            rank=2 if rank else 1))
    db.session.flush()
    for person in (fair.alice, fair.carol):
        applications.set_shortlisted(fair.acme, person.id, actor=fair.recruiter, shortlisted=True)
    applications.set_interview_limit(fair.acme, 3, actor=fair.recruiter)
    db.session.flush()
    beside = applicant_lists.beside_the_lists(fair.acme)
    assert beside == as_each()
    assert (beside.shortlisted, beside.wishes.by_rank, beside.wishes.total, beside.interview_limit) == (
        {fair.alice.id, fair.carol.id}, [(1, 1), (2, 2)], 3, 3)
