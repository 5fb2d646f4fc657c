"""The dashboard says what it plots (issue 14, item 12): the per-company chart is a fill rate in
%, and the registrations curve ends at the headline figure, withdrawn people counted apart."""

from __future__ import annotations

import re

from jobday.candidates.models import Registration
from jobday.db import utcnow
from jobday.security import Role
from jobday.staff.dashboard import build_dashboard
from tests import factories

FR = {"Accept-Language": "fr"}


def test_the_curve_ends_at_the_headline_and_withdrawn_people_are_apart(app, db, client, login_as):
    edition = factories.make_edition()
    people = [factories.make_candidate(first_name=f"P{n}") for n in range(5)]
    for person in people:
        factories.make_registration(person, edition, registered_at=utcnow())
    db.session.flush()
    gone = db.session.scalar(db.select(Registration).where(Registration.user_id == people[0].id))
    gone.status = "withdrawn"
    db.session.commit()
    board = build_dashboard(edition)
    assert board.registered == 4 and board.withdrawn == 1
    assert board.curve[-1][1] == board.registered
    login_as(Role.ADMIN)
    html = client.get(f"/staff?year={edition.year}", headers=FR).get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "1 inscription retirée" in text  # "and 1 withdrawn, not counted"


def test_the_company_chart_says_fill_rate_in_percent(app, db, client, login_as):
    edition = factories.make_edition()
    factories.make_participation(factories.make_company(name="Crèvecœur Bio"), edition)
    db.session.commit()
    login_as(Role.ADMIN)
    html = client.get(f"/staff?year={edition.year}", headers=FR).get_data(as_text=True)
    assert "Taux de remplissage par entreprise, en pourcentage" in html
    chart = html[html.index('aria-label="Taux de remplissage par entreprise'):]
    chart = chart[:chart.index("</svg>")]
    assert re.search(r'class="chart-value">0\u202f%</text>', chart)
