"""Fixtures of the back office: an edition with candidates (consenting or not), companies, bookings."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import event

from jobday.candidates.models import Consent
from jobday.extensions import db as _db
from tests import factories


def grant(user, kind: str, granted: bool = True) -> None:
    _db.session.add(Consent(user_id=user.id, kind=kind, granted=granted, text_version="2026-1"))
    _db.session.flush()


@dataclass
class Fair:
    edition: object
    sharing: object  # shares with all exhibitors
    private: object  # shares with no one
    company_a: object
    company_b: object
    part_a: object
    part_b: object


@pytest.fixture
def fair(app):
    from jobday.companies.models import InterviewSlot, InterviewTable
    from jobday.scheduling.models import Booking

    edition = factories.make_edition()
    sharing = factories.make_candidate(first_name="Ana", last_name="Sharer", email="ana@example.org")
    private = factories.make_candidate(first_name="Bob", last_name="Private", email="bob@example.org")
    grant(sharing, "share_with_all_exhibitors")
    grant(private, "share_with_all_exhibitors", False)
    for user in (sharing, private):
        factories.make_registration(user, edition)
    company_a, company_b = factories.make_company(name="Alpha Bio"), factories.make_company(name="Beta Pharma")
    part_a = factories.make_participation(company_a, edition)
    part_b = factories.make_participation(company_b, edition)
    slots = {}
    for part in (part_a, part_b):
        slots[part.id] = list(_db.session.scalars(
            _db.select(InterviewSlot).join(InterviewTable).where(InterviewTable.participation_id == part.id)
            .order_by(InterviewSlot.starts_at)))
    # Ana meets Alpha, Bob meets Beta.
    for user, part in ((sharing, part_a), (private, part_b)):
        slot = slots[part.id][0]
        factories.hold_slot(slot, user)
        _db.session.add(Booking(edition_id=edition.id, participation_id=part.id, slot_id=slot.id,
                                candidate_id=user.id, starts_at=slot.starts_at, ends_at=slot.ends_at))
    _db.session.flush()
    _db.session.commit()
    return Fair(edition, sharing, private, company_a, company_b, part_a, part_b)


@pytest.fixture
def count_queries(app):
    @contextmanager
    def counter():
        statements: list[str] = []

        def _listen(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", _listen)
        try:
            yield statements
        finally:
            event.remove(_db.engine, "before_cursor_execute", _listen)

    return counter
