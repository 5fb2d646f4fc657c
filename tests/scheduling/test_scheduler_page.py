"""The scheduler page speaks plainly (issue 14, item 9): each figure explained, why the
greedy baseline can score more weighted wishes, what was fixed before the run at the top,
the candidates left without an interview, and who gained or lost an interview since another
run. The tables are sortable in the browser (tests/e2e/test_back_office_e2e.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from jobday.companies.models import SLOT_BLOCKED
from jobday.db import utcnow
from jobday.scheduling import booking as bookings
from jobday.scheduling import wishes
from jobday.scheduling.models import ScheduleAssignment, ScheduleRun
from tests import factories
from tests.scheduling.conftest import registered_candidate


@pytest.fixture
def organiser(db):
    return factories.make_user(roles=("admin",), email="anne@example.org")


@pytest.fixture
def wished(fair, db):
    fair.edition.wishes_open_at = utcnow() - timedelta(days=1)
    fair.edition.wishes_close_at = utcnow() + timedelta(days=1)
    fair.zoe = registered_candidate(fair.edition, first_name="Zoë", last_name="Müller", email="zoe@example.org")
    for user, ranked in ((fair.alice, [fair.acme, fair.biolab]), (fair.bob, [fair.acme]),
                         (fair.carol, [fair.biolab, fair.acme]), (fair.zoe, [fair.acme])):
        wishes.set_wishes(user, fair.edition, [p.id for p in ranked], actor=user, period="all")
    db.session.commit()
    return fair


def _run(client):
    assert client.post_form("/organiser/scheduler/run", {"keep_locks": "y"}).status_code == 303


def _latest(db) -> ScheduleRun:
    return db.session.scalar(select(ScheduleRun).order_by(ScheduleRun.id.desc()))


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_each_figure_is_explained_and_why_the_baseline_can_weigh_more(client, db, wished, organiser, login_as):
    login_as(organiser)
    _run(client)
    run = _latest(db)
    page = _text(client.get("/organiser/scheduler").get_data(as_text=True))
    for sentence in (
        "Ce qu'un·e organisateur·rice ferait à la main",
        "Parmi les candidat·es qui ont classé au moins une entreprise, celles et ceux qui ont au moins un entretien",
        "avec 8 souhaits permis, un premier choix compte 8 points et le dernier 1 point",
        "La référence gloutonne peut faire mieux ici",
        "Attentes de plus d'une heure entre deux entretiens",
    ):
        assert sentence in page, sentence
    assert "de plus que le planificateur" not in page  # the baseline does not weigh more in this run

    run.stats = {**run.stats, "weight": 70, "coverage": 4,
                 "baseline": {**run.stats["baseline"], "weight": 75, "coverage": 2}}
    db.session.commit()
    page = _text(client.get("/organiser/scheduler").get_data(as_text=True))
    assert ("Dans cette exécution, la référence satisfait 5 souhaits pondérés de plus que le planificateur, "
            "mais laisse 2 candidat·es de plus sans aucun entretien.") in page


def test_locked_interviews_and_existing_bookings_come_first(client, db, wished, organiser, login_as):
    existing = bookings.book_slot(wished.carol, wished.biolab_slots[0].id, actor=wished.carol)
    db.session.commit()
    login_as(organiser)
    _run(client)
    run = _latest(db)
    alice = db.session.scalar(select(ScheduleAssignment).where(
        ScheduleAssignment.run_id == run.id, ScheduleAssignment.candidate_id == wished.alice.id).limit(1))
    client.post_form(f"/organiser/scheduler/runs/{run.id}/assignments/{alice.id}/lock")
    html = client.get("/organiser/scheduler").get_data(as_text=True)
    fixed = html.index('id="fixed"')
    figures = html.index('class="figures"')
    assert fixed < figures
    top = _text(html[fixed:figures])
    assert "1 entretien verrouillé" in top and "Alice" in top and "Déverrouiller" in top
    assert "1 réservation existante" in top and "Biolab" in top and "Carol" in top
    assert existing.starts_at  # listed at its time, before the run's figures


def test_the_candidates_left_without_an_interview_are_listed(client, db, wished, organiser, login_as):
    for slot in wished.acme_slots:  # Bob and Zoë wished only Acme, which now has no free slot
        slot.status = SLOT_BLOCKED
    db.session.commit()
    login_as(organiser)
    _run(client)
    run = _latest(db)
    assert sorted(run.stats["unplaced"]) == sorted([wished.bob.id, wished.zoe.id])
    html = client.get("/organiser/scheduler").get_data(as_text=True)
    section = _text(html[html.index('id="unplaced">') + len('id="unplaced">'):])
    assert section.startswith("2 candidat·es sans entretien")
    # By family name in the reader's order, with what they wished and a link to their record.
    assert section.index("Bob") < section.index("Zoë Müller") and "zoe@example.org" in section
    assert f'href="/staff/people/{wished.zoe.id}"' in html


def test_no_unplaced_list_for_a_run_that_did_not_record_it(client, db, wished, organiser, login_as):
    login_as(organiser)
    _run(client)
    run = _latest(db)
    run.stats = {key: value for key, value in run.stats.items() if key != "unplaced"}
    db.session.commit()
    html = client.get("/organiser/scheduler").get_data(as_text=True)
    assert 'id="unplaced"' not in html and client.get("/organiser/scheduler").status_code == 200


def test_the_difference_with_an_earlier_run_names_who_gained_and_who_lost(client, db, wished, organiser,
                                                                          login_as):
    login_as(organiser)
    _run(client)
    first = _latest(db)
    assert {a.candidate_id for a in first.assignments} >= {wished.bob.id, wished.zoe.id}
    for slot in wished.acme_slots:
        slot.status = SLOT_BLOCKED
    dave = registered_candidate(wished.edition, first_name="Dave", last_name="Ærø", email="dave@example.org")
    wishes.set_wishes(dave, wished.edition, [wished.biolab.id], actor=dave, period="all")
    db.session.commit()
    _run(client)
    second = _latest(db)

    html = client.get("/organiser/scheduler").get_data(as_text=True)
    compare = _text(html[html.index('id="compare"'):html.index('class="publish-box"')])
    assert f"Comparé à l'exécution n° {first.id}" in compare
    gained = compare[compare.index("gagne"):compare.index("perd")]
    lost = compare[compare.index("perd"):]
    assert "Dave Ærø" in gained and "+ Biolab" in gained
    assert "Bob" in lost and "Zoë Müller" in lost and "− Acme Bio" in lost and "Dave" not in lost
    assert "Alice" in lost  # she had Acme and Biolab, now only Biolab

    # Another edition's run is not offered and not used: the default comparison stays.
    other = ScheduleRun(edition_id=factories.make_edition(year=2020).id, status="preview",
                        finished_at=utcnow(), stats={})
    db.session.add(other)
    db.session.commit()
    html = client.get(f"/organiser/scheduler?compare={other.id}").get_data(as_text=True)
    assert f"Comparé à l'exécution n° {first.id}" in _text(html) and f'value="{other.id}"' not in html
    assert second.id != first.id


def test_a_first_run_has_nothing_to_compare(client, db, wished, organiser, login_as):
    login_as(organiser)
    _run(client)
    html = client.get("/organiser/scheduler").get_data(as_text=True)
    assert 'id="compare"' not in html


def test_the_page_before_any_run_still_shows_what_is_fixed(client, db, wished, organiser, login_as):
    bookings.book_slot(wished.carol, wished.biolab_slots[0].id, actor=wished.carol)
    db.session.commit()
    login_as(organiser)
    page = _text(client.get("/organiser/scheduler").get_data(as_text=True))
    assert "1 réservation existante" in page and "Le planificateur n'a pas encore tourné" in page


def test_its_tables_are_marked_sortable_and_read_in_order_without_javascript(client, db, wished, organiser,
                                                                             login_as):
    factories.make_participation(factories.make_company(name="Ærøbio"), wished.edition)
    db.session.commit()
    login_as(organiser)
    _run(client)
    html = client.get("/organiser/scheduler").get_data(as_text=True)
    assert '<table class="striped" data-sortable>' in html and "js/sortable.js" in html
    fill = _text(html[html.index("Remplissage par entreprise"):])
    assert fill.index("Acme Bio") < fill.index("Ærøbio") < fill.index("Biolab")


def test_a_finished_run_leads_on_to_the_schedule_it_proposes(client, db, wished, organiser, login_as):
    login_as(organiser)
    response = client.post_form("/organiser/scheduler/run", {"keep_locks": "y"})
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="/organiser/scheduler"' in job_page
    assert "Voir le planning proposé et le publier" in job_page
