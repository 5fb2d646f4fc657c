"""Dashboard figures come from aggregations and the page's query count does not grow with data."""

from __future__ import annotations

from jobday.security import Role
from jobday.staff.dashboard import build_dashboard
from jobday.staff.people import PeopleFilter, search_people
from tests import factories


def test_figures(app, fair):
    board = build_dashboard(fair.edition)
    assert board.registered == 2
    assert board.bookings == 2
    assert board.without_interview == 0
    assert dict(board.by_level) == {"master": 2}
    assert {row.company: row.booked for row in board.fill} == {"Alpha Bio": 1, "Beta Pharma": 1}
    assert board.curve[-1][1] == 2


def test_last_years_edition_is_on_the_same_chart(app, fair):
    from datetime import date

    previous = factories.make_edition(year=fair.edition.year - 1, starts_on=date(2000, 1, 1))
    factories.make_registration(factories.make_candidate(), previous)
    board = build_dashboard(fair.edition)
    assert board.previous.id == previous.id
    assert board.previous_curve[-1][1] == 1


def _add_candidates(edition, n):
    for _ in range(n):
        factories.make_registration(factories.make_candidate(), edition)


def test_query_count_is_constant(app, client, login_as, fair, count_queries):
    login_as(Role.ADMIN)
    client.get("/staff")  # warm-up: the one-time check that the door's table exists
    counts = []
    for _round in range(2):
        with count_queries() as dashboard:
            assert client.get("/staff").status_code == 200
        with count_queries() as people:
            assert client.get("/staff/people").status_code == 200
        counts.append((len(dashboard), len(people)))
        _add_candidates(fair.edition, 30)
    assert counts[0] == counts[1]
    assert counts[0][0] <= 16 and counts[0][1] <= 8


def test_people_filters(app, fair):
    rows, total = search_people(PeopleFilter(q="sharer"), fair.edition)
    assert [row.id for row in rows] == [fair.sharing.id] and total == 1
    rows, _ = search_people(PeopleFilter(consent="all_exhibitors"), fair.edition)
    assert [row.id for row in rows] == [fair.sharing.id]
    rows, _ = search_people(PeopleFilter(consent="none", role="candidate"), fair.edition)
    assert [row.id for row in rows] == [fair.private.id]
    rows, _ = search_people(PeopleFilter(role="recruiter"), fair.edition)
    assert {row.id for row in rows} == {m.user_id for c in (fair.company_a, fair.company_b) for m in c.members}


def test_the_page_names_levels_and_areas_in_the_readers_language(client, login_as, fair):
    login_as("admin")
    french = client.get("/staff").get_data(as_text=True)
    english = client.get("/staff", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Master" in english and "Quality control" in english
    assert "Contrôle qualité" in french or "Contrôle de la qualité" in french
    assert "quality_control" not in french and "quality_control" not in english
