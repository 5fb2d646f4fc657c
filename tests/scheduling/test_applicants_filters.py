"""The applicants list's filters are kept once rendered (per language, address and choices):
a kept copy reads as a fresh rendering, and filters with an error are never kept. What the
address sends of them, once found valid, is known without building the form: an invalid value
is still refused."""

from __future__ import annotations

import re

import pytest

from jobday import fragments
from jobday.scheduling.views import recruiter

QUERIES = ("", "?status=pending", "?level=master&area=rnd&sort=name", "?sort=level&page=2", "?status=&sort=")


def _filters(html: str) -> str:
    return re.search(r'<form method="get" action="/company/applicants".*?</form>', html, re.S).group(0)


class _KeptFilters(dict):
    """``fragments``' kept parts, of which the filters are counted."""

    def __len__(self) -> int:
        return sum(1 for key in self if key[2][0] == "scheduling/_applicant_filters.html")

    def __bool__(self) -> bool:
        return len(self) > 0


@pytest.fixture
def kept(monkeypatch):
    store = _KeptFilters()
    monkeypatch.setattr(fragments, "_kept", store)
    monkeypatch.setattr(recruiter, "_VALID_FILTERS", {})
    return store


@pytest.mark.parametrize("language", ["fr", "en"])
def test_kept_filters_read_as_fresh_ones(app, client, fair, login_as, kept, monkeypatch, language):
    login_as(fair.recruiter)

    def filters_of_each_query():
        return {query: _filters(client.get(f"/company/applicants{query}", headers={"Accept-Language": language})
                                .get_data(as_text=True)) for query in QUERIES}

    monkeypatch.setattr(app.jinja_env, "auto_reload", True)  # as in development: rendered each time
    fresh = filters_of_each_query()
    assert not kept
    monkeypatch.setattr(app.jinja_env, "auto_reload", False)
    assert filters_of_each_query() == fresh  # rendered and kept
    assert len(kept) == len(QUERIES)
    assert filters_of_each_query() == fresh  # read from the kept copies
    assert 'selected value="pending"' in fresh["?status=pending"] and " open>" in fresh["?status=pending"]
    assert 'selected value="rnd"' in fresh["?level=master&area=rnd&sort=name"]
    assert '<details class="folded-filters">' in fresh[""]  # closed: nothing filtered


def test_filters_with_an_error_are_not_kept(client, fair, login_as, kept):
    login_as(fair.recruiter)
    html = client.get("/company/applicants?status=bogus", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Not a valid choice" in _filters(html)
    assert not kept


def test_a_query_found_valid_is_known_and_an_invalid_one_still_refused(client, fair, login_as, kept):
    login_as(fair.recruiter)
    for _ in range(2):
        html = client.get("/company/applicants?status=pending&sort=name", headers={"Accept-Language": "en"})
        assert 'selected value="pending"' in _filters(html.get_data(as_text=True))
    assert list(recruiter._VALID_FILTERS.values()) == [("pending", None, None, "name")]
    for query in ("?status=pending&sort=bogus", "?status=pending&sort=name&level=doctorate", "?status=bogus&sort=name"):
        response = client.get(f"/company/applicants{query}", headers={"Accept-Language": "en"})
        assert response.status_code == 200, (query, response.status_code)
        assert 'aria-invalid="true"' in _filters(response.get_data(as_text=True)), query
    assert len(recruiter._VALID_FILTERS) == 1
