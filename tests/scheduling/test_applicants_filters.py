"""The applicants list's filters are kept once rendered (per language, address and choices):
a kept copy reads as a fresh rendering, and filters with an error are never kept."""

from __future__ import annotations

import re

import pytest

from jobday.scheduling.views import recruiter

QUERIES = ("", "?status=pending", "?level=master&area=rnd&sort=name", "?sort=level&page=2", "?status=&sort=")


def _filters(html: str) -> str:
    return re.search(r'<form method="get" action="/company/applicants".*?</form>', html, re.S).group(0)


@pytest.fixture
def kept(monkeypatch):
    monkeypatch.setattr(recruiter, "_KEPT_FILTERS", {})
    return recruiter._KEPT_FILTERS


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
