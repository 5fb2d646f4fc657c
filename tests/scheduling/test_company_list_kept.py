"""The company list's parts kept once written (its untouched filters, the lines' fixed parts and
its lines, ``scheduling.views.candidate``): the page reads as when each was written afresh (as
while templates reload, in development), for each reader, language and change of the list."""

from __future__ import annotations

import re

import pytest

from jobday import fragments
from jobday.scheduling import booking as bookings
from jobday.scheduling.views import candidate


def _main(response) -> str:
    html = response.get_data(as_text=True)
    return re.search(r'<main id="main" class="container">.*</main>', html, re.S).group(0)


@pytest.fixture
def nothing_kept(monkeypatch):
    monkeypatch.setattr(fragments, "_kept", {})
    monkeypatch.setattr(candidate, "_LINE_PARTS", {})
    candidate._line.cache_clear()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_kept_list_reads_as_a_fresh_one(app, client, db, fair, login_as, nothing_kept, monkeypatch, language):
    headers = {"Accept-Language": language}

    def pages() -> list[str]:
        found = []
        for reader in (fair.alice, fair.bob):
            login_as(reader)
            found += [_main(client.get(f"/interviews{query}", headers=headers)) for query in ("", "?q=acme")]
        return found

    def kept_and_fresh() -> list[str]:
        monkeypatch.setattr(app.jinja_env, "auto_reload", False)
        kept = pages()
        assert pages() == kept  # read from what was kept
        assert candidate._LINE_PARTS and candidate._line.cache_info().hits
        assert any(key[2][0] == "scheduling/_company_filters.html" for key in fragments._kept)
        monkeypatch.setattr(app.jinja_env, "auto_reload", True)  # as in development: written each time
        candidate._line.cache_clear()
        candidate._LINE_PARTS.clear()
        assert pages() == kept and candidate._line.cache_info().currsize == 0
        return kept

    before = kept_and_fresh()
    bookings.book_slot(fair.alice, fair.acme_slots[2].id, actor=fair.alice, notify_candidate=False)  # one free less
    db.session.commit()
    after = kept_and_fresh()
    assert after[0] != before[0] and after[2] != before[2] and after[0] != after[2]
    booked = "Réservés" if language == "fr" else "Booked"
    assert after[0].count(f">{booked}<") == 1 and f">{booked}<" not in after[2]
