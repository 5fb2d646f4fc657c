"""The company list's free slots, counted by the list's one statement on SQLite and PostgreSQL:
a slot counts when it is free, nobody holds it and it starts after the moment asked; a company
without tables counts none; the candidate's own interviews are marked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from jobday.companies.models import SLOT_BLOCKED, InterviewSlot, InterviewTable
from jobday.extensions import db as _db
from jobday.scheduling import booking as bookings
from jobday.scheduling.queries import approved_companies
from tests import factories


def _listed(edition, **asked) -> dict[str, tuple[int, bool]]:
    return {row.company.name: (row.free_slots, row.booked_by_me) for row in approved_companies(edition.id, **asked)}


def test_free_slots_are_counted_per_company(backend, fair):
    acme = fair.acme_slots
    bookings.book_slot(fair.alice, acme[0].id, actor=fair.alice)  # booked: held by Alice
    acme[1].status = SLOT_BLOCKED  # a break
    acme[2].held_by_candidate_id = fair.bob.id  # held while Bob books it
    factories.make_participation(factories.make_company(name="Pending Ltd"), fair.edition, status="pending")
    bare = factories.make_participation(factories.make_company(name="Cobalt"), fair.edition)
    table_ids = [table.id for table in bare.tables]
    _db.session.execute(delete(InterviewSlot).where(InterviewSlot.table_id.in_(table_ids)))
    _db.session.execute(delete(InterviewTable).where(InterviewTable.id.in_(table_ids)))  # no table at all
    _db.session.commit()

    assert _listed(fair.edition) == {"Acme Bio": (9, False), "Biolab": (12, False), "Cobalt": (0, False)}
    assert _listed(fair.edition, candidate_id=fair.alice.id)["Acme Bio"] == (9, True)
    assert _listed(fair.edition, candidate_id=fair.bob.id)["Acme Bio"] == (9, False)
    # After the fourth slot of each company starts: Acme's first three are gone already.
    after = acme[3].starts_at
    assert _listed(fair.edition, now=after) == {"Acme Bio": (8, False), "Biolab": (8, False), "Cobalt": (0, False)}
    assert _listed(fair.edition, now=after - timedelta(seconds=1))["Biolab"] == (9, False)
    assert _listed(fair.edition, now=acme[-1].starts_at) == {"Acme Bio": (0, False), "Biolab": (0, False),
                                                             "Cobalt": (0, False)}


def test_filters_keep_the_counts(backend, fair):
    factories.make_offer(fair.biolab.company, contract_type="internship")
    _db.session.commit()
    assert _listed(fair.edition, contract="internship") == {"Biolab": (12, False)}
    assert _listed(fair.edition, search="acme") == {"Acme Bio": (12, False)}
