"""Sorting in the reader's language and searching without accents or capitals, with names
that break naive code (Zoë Müller, Crèvecœur, Ærø, Çelik, Ñúñez), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from jobday.collation import collated, fold, sorted_by
from jobday.companies.models import Company
from jobday.extensions import db as _db
from tests import factories

BOTH = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
COMPANIES = ["Autolia", "Zymo Labs", "Çelik Pharma", "Ærø Bio", "Aérofret", "Crèvecœur", "Ñúñez Lab", "abcam"]
READER_ORDER = ["abcam", "Ærø Bio", "Aérofret", "Autolia", "Çelik Pharma", "Crèvecœur", "Ñúñez Lab", "Zymo Labs"]


def test_folding_drops_accents_ligatures_and_capitals():
    assert [fold(name) for name in ("Zoë Müller", "Crèvecœur", "Ærø", "Çelik", "Ñúñez", "  Straße ")] == [
        "zoe muller", "crevecoeur", "aero", "celik", "nunez", "strasse"]


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_python_lists_sort_in_the_readers_order(app, locale):
    with force_locale(locale):
        assert sorted_by(COMPANIES, key=str) == READER_ORDER
    assert sorted(COMPANIES) != READER_ORDER  # code-point order is what this replaces


@pytest.mark.parametrize("backend", BOTH)
@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_database_sorts_in_the_readers_order(app, backend, locale):
    for name in COMPANIES:
        factories.make_company(name=name)
    _db.session.commit()
    with force_locale(locale):
        names = list(_db.session.scalars(select(Company.name).order_by(collated(Company.name), Company.id)))
    assert names == READER_ORDER


def test_a_kept_collated_column_follows_the_language_and_the_database(app):
    names = {(locale, dialect): collated(Company.name, locale, dialect).right.collation
             for locale in ("fr", "en") for dialect in ("sqlite", "postgresql")}
    assert names == {("fr", "sqlite"): "jobday_fr", ("en", "sqlite"): "jobday_en",
                     ("fr", "postgresql"): "fr-BE-x-icu", ("en", "postgresql"): "en-GB-x-icu"}
    assert collated(Company.name, "en", "sqlite") is collated(Company.name, "en", "sqlite")
    assert collated(Company.name_key, "en", "sqlite").left.key == "name_key"  # each column its own


@pytest.mark.parametrize("backend", BOTH)
def test_people_are_found_without_accents_or_capitals(app, backend, client, login_as):
    from jobday.staff import people

    edition = factories.make_edition()
    for first, last in (("Zoë", "Müller"), ("Émile", "Crèvecœur"), ("Björn", "Ærø"), ("Ayşe", "Çelik"),
                        ("José", "Ñúñez"), ("Anne", "Muller-Dupont")):
        factories.make_registration(factories.make_candidate(first_name=first, last_name=last), edition)
    _db.session.commit()

    def found(query: str) -> list[str]:
        rows, _total = people.search_people(people.PeopleFilter(q=query), edition)
        return [f"{row.first_name} {row.last_name}" for row in rows]

    assert found("muller") == ["Zoë Müller", "Anne Muller-Dupont"]  # Müller before Muller-Dupont
    assert found("MÜLLER zoe") == ["Zoë Müller"]
    assert found("crevecoeur") == found("Crèvecœur") == ["Émile Crèvecœur"]
    assert found("aero") == ["Björn Ærø"]
    assert found("celik") == ["Ayşe Çelik"]
    assert found("nunez jose") == ["José Ñúñez"]
    assert found("100%") == [] and found("_") == []  # wildcards are plain characters
    login_as("admin", first_name="Olga", last_name="Admin")
    page = client.get("/staff/people?q=crevecoeur").get_data(as_text=True)
    assert "Crèvecœur" in page and "Müller" not in page


@pytest.mark.parametrize("backend", BOTH)
def test_the_search_key_follows_a_change_of_name(app, backend):
    from jobday.accounts.models import User

    user = factories.make_user(first_name="Zoë", last_name="Müller")
    _db.session.commit()
    assert user.search_key.startswith("zoe muller ")
    user.last_name = "Ñúñez"
    _db.session.commit()
    key = _db.session.scalar(select(User.search_key).where(User.id == user.id))
    assert key.startswith("zoe nunez ") and "muller" not in key


@pytest.mark.parametrize("backend", BOTH)
def test_the_door_finds_a_badge_without_accents(app, backend, client, login_as):
    from jobday.editions.services import current_edition

    edition = factories.make_edition(starts_on=__import__("datetime").date.today())
    assert current_edition().id == edition.id
    for first, last in (("Zoë", "Müller"), ("Ayşe", "Çelik"), ("Anne", "Mulder")):
        factories.make_badge(factories.make_user(first_name=first, last_name=last), edition)
    _db.session.commit()
    login_as("staff", first_name="Dora", last_name="Door")
    names = [b["name"] for b in client.get("/door/search?q=MULL").get_json()["badges"]]
    assert names == ["Zoë Müller"]
    assert [b["name"] for b in client.get("/door/search?q=celik").get_json()["badges"]] == ["Ayşe Çelik"]


@pytest.mark.parametrize("backend", BOTH)
def test_candidates_find_and_order_companies_without_accents(app, backend, client, login_as):
    from jobday.scheduling.queries import approved_companies

    edition = factories.make_edition()
    for name in COMPANIES:
        factories.make_participation(factories.make_company(name=name), edition)
    _db.session.commit()
    with force_locale("fr"):
        assert [row.company.name for row in approved_companies(edition.id)] == READER_ORDER
        assert [row.company.name for row in approved_companies(edition.id, search="crevecoeur")] == ["Crèvecœur"]
        assert [row.company.name for row in approved_companies(edition.id, search="AERO")] == ["Ærø Bio",
                                                                                            "Aérofret"]
    candidate = factories.make_candidate()
    factories.make_registration(candidate, edition)
    _db.session.commit()
    login_as(candidate)
    page = client.get("/interviews").get_data(as_text=True)
    assert page.index("Aérofret") < page.index("Autolia") < page.index("Çelik Pharma") < page.index("Zymo Labs")
