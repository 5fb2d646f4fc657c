"""The organisers' interview grid (issue 14, item 10): the candidate's name in each booked
cell (tooltip and text for screen readers), one table per half-day with a bounded number of
columns (the browser test checks that a half-day fits 1280 px: tests/e2e/test_back_office_e2e.py),
and companies in the reader's order, accents included."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest

from jobday.scheduling import booking as bookings
from jobday.scheduling.fair_grid import MAX_COLUMNS, column_of, grid
from tests import factories


@pytest.fixture
def organiser(db):
    return factories.make_user(roles=("admin",), email="anne@example.org")


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_booked_cell_names_the_candidate_for_the_eye_and_for_screen_readers(client, db, fair, organiser,
                                                                              login_as):
    zoe = factories.make_candidate(first_name="Zoë", last_name="Müller", email="zoe@example.org")
    factories.make_registration(zoe, fair.edition)
    bookings.book_slot(zoe, fair.acme_slots[1].id, actor=zoe)
    db.session.commit()
    login_as(organiser)
    html = client.get("/organiser/interviews").get_data(as_text=True)
    assert 'title="10:00 · Table 1 · Zoë Müller"' in html
    assert '<span class="visually-hidden">10:00 · Table 1 · Zoë Müller (réservé)</span>' in html
    assert 'title="09:30 · Table 1 · libre"' in html  # a free slot says so too


def test_one_table_per_half_day_each_with_its_own_fill(client, db, fair, organiser, login_as):
    bookings.book_slot(fair.alice, fair.acme_slots[0].id, actor=fair.alice)
    db.session.commit()
    login_as(organiser)
    html = client.get("/organiser/interviews").get_data(as_text=True)
    assert html.count('<table class="slot-table"') == 2
    morning, afternoon = html.split('<table class="slot-table"')[1:]
    morning_heads = re.findall(r'<th scope="col">(\d\d:\d\d)</th>', morning)
    afternoon_heads = re.findall(r'<th scope="col">(\d\d:\d\d)</th>', afternoon)
    assert morning_heads == ["09:30", "10:00", "10:30", "11:00", "11:30", "12:00"]
    assert afternoon_heads == ["13:30", "14:00", "14:30", "15:00", "15:30", "16:00"]
    text = _text(html)
    assert "matin" in text and "après-midi" in text
    assert "Acme Bio 17 % (1/6)" in _text(morning) and "Acme Bio 0 % (0/6)" in _text(afternoon)


def test_companies_are_in_the_readers_order_accents_included(client, db, fair, organiser, login_as):
    for name in ("Zeta Pharma", "Éclair Bio", "Ærøbio", "Çelik Labs", "eole"):
        factories.make_participation(factories.make_company(name=name), fair.edition)
    db.session.commit()
    login_as(organiser)
    html = client.get("/organiser/interviews").get_data(as_text=True)
    morning = html.split('<table class="slot-table"')[1]
    names = re.findall(r'<tr><th scope="row">([^<]+)</th>', morning)
    assert names == ["Acme Bio", "Ærøbio", "Biolab", "Çelik Labs", "Éclair Bio", "eole", "Zeta Pharma"]


def test_mixed_interview_plans_do_not_multiply_the_columns(db, fair):
    # Slots every 15, 20 and 25 minutes start at many different times in one morning.
    for n, (slot, pause) in enumerate(((10, 5), (15, 5), (20, 5), (25, 10))):
        factories.make_participation(factories.make_company(name=f"Plan {n}"), fair.edition, tables=3,
                                     slot_minutes=slot, pause_minutes=pause, hours="09:00-12:55")
    db.session.flush()
    morning = grid(fair.edition)[0]
    assert not morning.afternoon and 1 < len(morning.columns) <= MAX_COLUMNS
    for row in morning.rows:  # each slot sits in the column where it starts, in order
        for column, cells in row.cells.items():
            later = [c for c in morning.columns if c > column]
            assert all(column <= cell.starts_at < (later[0] if later else cell.starts_at + timedelta(1))
                       for cell in cells)
    # Every slot of the morning is in the grid once.
    assert sum(len(cells) for row in morning.rows for cells in row.cells.values()) == sum(
        row.total for row in morning.rows)


def test_columns_are_the_start_times_while_they_are_few():
    base = datetime(2027, 3, 18, 8, 30)
    few = [base + timedelta(minutes=25 * n) for n in range(MAX_COLUMNS)]
    column = column_of(few, timedelta(minutes=25))
    assert [column(t) for t in few] == few
    many = [base + timedelta(minutes=5 * n) for n in range(48)]  # four hours, every 5 minutes
    column = column_of(many, timedelta(minutes=25))
    assert len({column(t) for t in many}) <= MAX_COLUMNS
    assert all(column(t) <= t for t in many)


def test_the_grid_is_for_organisers_only(client, db, fair, login_as):
    login_as(fair.recruiter)
    assert client.get("/organiser/interviews").status_code == 403
    login_as("staff")
    assert client.get("/organiser/interviews").status_code == 403
