"""The back office's words, as an organiser reads them in French (issue 14, item 14): the person
record speaks of the organiser acting on someone else, an approved company has one stand field,
a campaign has one greeting, the edition form's help texts agree, an edition ahead is "à venir"."""

from __future__ import annotations

import re
from datetime import timedelta

from jobday.db import utcnow
from jobday.editions.services import EditionPhase, edition_phase
from jobday.security import Role
from jobday.staff import campaigns
from jobday.staff.models import Campaign
from tests import factories

FR = {"Accept-Language": "fr"}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_person_record_offers_to_withdraw_the_registration_not_to_unsubscribe(app, db, client, login_as):
    edition = factories.make_edition()
    candidate = factories.make_candidate(first_name="Zoë", last_name="Müller")
    factories.make_registration(candidate, edition)
    db.session.commit()
    login_as(Role.ADMIN)
    page = _text(client.get(f"/staff/people/{candidate.id}", headers=FR))
    assert "Retirer l'inscription" in page or "Retirer l’inscription" in page
    assert "désinscrire" not in page


def test_an_approved_company_shows_one_stand_field(app, db, client, login_as):
    edition = factories.make_edition()
    company = factories.make_company(name="Crèvecœur Bio")
    participation = factories.make_participation(company, edition, stand="B12")
    db.session.commit()
    login_as(Role.ADMIN)
    html = client.get(f"/staff/companies/{participation.id}",
                      headers=FR).get_data(as_text=True)
    assert html.count('name="stand"') == 1
    pending = factories.make_participation(factories.make_company(name="Ærø Labs"), edition, status="pending")
    db.session.commit()
    html = client.get(f"/staff/companies/{pending.id}", headers=FR).get_data(as_text=True)
    assert html.count('name="stand"') == 1  # chosen with the approval


def test_the_campaign_preview_greets_once(app, db, client, login_as):
    edition = factories.make_edition()
    candidate = factories.make_candidate(first_name="Zoë", last_name="Müller", email="zoe@example.org")
    factories.make_registration(candidate, edition)
    organiser = login_as(Role.ADMIN)
    own = Campaign(edition_id=edition.id, audience="registered", subject_fr="Infos", subject_en="",
                   body_fr="Bonjour à toutes et à tous,\n\nLe parking est gratuit.", body_en="",
                   created_by_id=organiser.id)
    bare = Campaign(edition_id=edition.id, audience="registered", subject_fr="Infos", subject_en="",
                    body_fr="Le parking est gratuit.", body_en="", created_by_id=organiser.id)
    db.session.add_all([own, bare])
    db.session.commit()
    page = _text(client.get(f"/staff/campaigns/{own.id}", headers=FR))
    assert page.count("Bonjour") == 1 and "Bonjour Zoë" not in page
    page = _text(client.get(f"/staff/campaigns/{bare.id}", headers=FR))
    assert page.count("Bonjour") == 1 and "Bonjour Zoë" in page


def test_a_greeting_is_recognised_only_at_the_start():
    assert campaigns.opens_with_greeting("Bonjour,\nLe parking…")
    assert campaigns.opens_with_greeting("  Chère candidate, cher candidat,")
    assert campaigns.opens_with_greeting("Hello everyone!")
    assert not campaigns.opens_with_greeting("Le parking est gratuit. Bonjour chez vous.")
    assert not campaigns.opens_with_greeting("Bonjournée")


def test_the_edition_forms_say_one_thing_about_empty_dates(app, db, client, login_as):
    edition = factories.make_edition()
    db.session.commit()
    login_as(Role.ADMIN)
    new = _text(client.get("/staff/editions/new", headers=FR))
    edit = _text(client.get(f"/staff/editions/{edition.year}/edit", headers=FR))
    assert "date habituelle" in new and "ne limite rien" not in new
    assert new.count("aucune limite") == 1  # the capacity's, not the dates'
    assert "ne limite rien" in edit and "date habituelle" not in edit
    for page in (new, edit):
        assert page.count("après le salon") == 3  # the three retention periods, said alike


def test_an_edition_three_months_ahead_is_upcoming_not_under_way(app, db, client, login_as):
    today = utcnow().date()
    ahead = factories.make_edition(year=today.year + 1, starts_on=today + timedelta(days=92))
    past = factories.make_edition(year=today.year - 1, starts_on=today - timedelta(days=200))
    db.session.commit()
    login_as(Role.ADMIN)
    page = client.get("/staff/editions", headers=FR).get_data(as_text=True)
    assert "à venir" in _text_of_row(page, ahead.year) and "en cours" not in _text_of_row(page, ahead.year)
    assert "terminée" in _text_of_row(page, past.year)
    assert edition_phase(ahead, ahead.starts_on) == EditionPhase.ONGOING
    assert edition_phase(ahead, ahead.ends_on + timedelta(days=1)) == EditionPhase.PAST


def _text_of_row(page: str, year: int) -> str:
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if f"<td>{year} " in r)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
