"""What candidates see of the companies: a company's page with its description, logo, website,
stand and offers; an offer's page with its description, its company and a Book / Apply button;
lists searched without regard to accents, with their result count, in the reader's order."""

from __future__ import annotations

import re

from tests import factories

EN = {"Accept-Language": "en"}


def _names(page: str, names: list[str]) -> list[str]:
    return sorted((name for name in names if name in page), key=page.index)


def _fair(db):
    edition = factories.make_edition()
    autolia = factories.make_participation(factories.make_company(
        name="Autolia", website="https://autolia.example", description_fr="Tests microbiologiques",
        description_en="Microbiology testing"), edition, stand="C3")
    aerofret = factories.make_participation(factories.make_company(name="Aérofret"), edition, stand="A1",
                                            booking_mode="apply")
    factories.make_participation(factories.make_company(name="Zymo"), edition, status="pending")
    qc = factories.make_offer(autolia.company, title="Technicien QC", description="Analyses de routine",
                              location="Gosselies")
    pharma = factories.make_offer(aerofret.company, title="Opérateur de production")
    candidate = factories.make_candidate()
    factories.make_registration(candidate, edition)
    db.session.commit()
    return autolia, aerofret, qc, pharma, candidate


def test_the_company_page_shows_what_the_company_says_and_its_offers(client, db, login_as):
    autolia, _aerofret, qc, _pharma, candidate = _fair(db)
    login_as(candidate)
    page = client.get(f"/interviews/companies/{autolia.id}", headers=EN).get_data(as_text=True)
    assert "Microbiology testing" in page and 'href="https://autolia.example"' in page and "C3" in page
    assert f'href="/offers/{qc.id}"' in page


def test_the_offer_page_names_its_company_and_leads_to_an_interview(client, db, login_as):
    autolia, aerofret, qc, pharma, candidate = _fair(db)
    page = client.get(f"/offers/{qc.id}", headers=EN).get_data(as_text=True)
    assert "Analyses de routine" in page and "Microbiology testing" in page and "C3" in page
    assert f'href="/interviews/companies/{autolia.id}"' in page and "Book an interview" in page
    page = client.get(f"/offers/{pharma.id}", headers=EN).get_data(as_text=True)
    assert f'href="/interviews/companies/{aerofret.id}/apply?offer={pharma.id}"' in page
    login_as(candidate)
    form = client.get(f"/interviews/companies/{aerofret.id}/apply?offer={pharma.id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{pharma.id}"|<option value="{pharma.id}" selected', form)


def test_lists_are_searched_without_accents_counted_and_in_the_readers_order(client, db, login_as):
    _autolia, _aerofret, _qc, _pharma, candidate = _fair(db)
    names = ["Aérofret", "Autolia", "Zymo"]
    exhibitors = client.get("/exhibitors", headers=EN).get_data(as_text=True)
    assert _names(exhibitors, names) == ["Aérofret", "Autolia"] and "2 exhibitors" in exhibitors
    found = client.get("/exhibitors?q=AEROF", headers=EN).get_data(as_text=True)
    assert _names(found, names) == ["Aérofret"] and "1 exhibitor" in found

    offers = client.get("/offers?q=operateur", headers=EN).get_data(as_text=True)
    assert "Opérateur de production" in offers and "Technicien QC" not in offers and "1 offer" in offers
    offers = client.get("/offers?q=gosselies", headers=EN).get_data(as_text=True)
    assert "Technicien QC" in offers and "1 offer" in offers

    login_as(candidate)
    listed = client.get("/interviews", headers=EN).get_data(as_text=True)
    assert _names(listed, names) == ["Aérofret", "Autolia"] and "2 companies" in listed
    listed = client.get("/interviews?q=aéro", headers=EN).get_data(as_text=True)
    assert _names(listed, names) == ["Aérofret"] and "1 company" in listed


def test_filters_fold_away_unless_one_is_in_use(client, db, login_as):
    _autolia, _aerofret, _qc, _pharma, candidate = _fair(db)
    login_as(candidate)
    for path in ("/offers", "/interviews"):
        page = client.get(path).get_data(as_text=True)
        assert '<details class="folded-filters">' in page, path
        page = client.get(f"{path}?area=production").get_data(as_text=True)
        assert '<details class="folded-filters" open>' in page, path


def test_offers_are_found_by_their_words_in_any_order_and_inclusive_forms(client, db):
    autolia, _aerofret, _qc, _pharma, _candidate = _fair(db)
    factories.make_offer(autolia.company, title="Technicien·ne contrôle qualité", location="Gosselies")
    db.session.commit()
    for query in ("technicien controle", "technicienne", "qualité technicien·ne", "controle gosselies autolia"):
        offers = client.get(f"/offers?q={query}", headers=EN).get_data(as_text=True)
        assert "Technicien·ne contrôle qualité" in offers and "1 offer" in offers, query
    offers = client.get("/offers?q=technicien pharma", headers=EN).get_data(as_text=True)
    assert "No offer matches these filters" in offers or "0 offers" in offers  # every word must be there
