"""Fixtures for the scheduling tests: an edition with registered candidates and companies
whose slots are generated (1 table, 09:30-12:30 and 13:30-16:30, 20-minute slots every 30
minutes: 12 slots a table)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from jobday.companies.models import InterviewSlot, InterviewTable
from jobday.extensions import db as _db
from tests import factories


def slots_of(participation) -> list[InterviewSlot]:
    return list(
        _db.session.scalars(
            select(InterviewSlot)
            .join(InterviewTable)
            .where(InterviewTable.participation_id == participation.id)
            .order_by(InterviewSlot.starts_at, InterviewTable.name)
        )
    )


def registered_candidate(edition, **fields):
    user = factories.make_candidate(**fields)
    factories.make_registration(user, edition)
    return user


@pytest.fixture
def fair(app):
    edition = factories.make_edition(interview_gap_minutes=10, max_interviews_per_candidate=4)
    acme = factories.make_participation(factories.make_company(name="Acme Bio"), edition, stand="A1")
    biolab = factories.make_participation(factories.make_company(name="Biolab"), edition, stand="B2")
    alice = registered_candidate(edition, first_name="Alice", email="alice@example.org")
    bob = registered_candidate(edition, first_name="Bob", email="bob@example.org")
    carol = registered_candidate(edition, first_name="Carol", email="carol@example.org")
    _db.session.commit()
    return SimpleNamespace(
        edition=edition,
        acme=acme,
        biolab=biolab,
        alice=alice,
        bob=bob,
        carol=carol,
        acme_slots=slots_of(acme),
        biolab_slots=slots_of(biolab),
        recruiter=factories.company_admin(acme.company),
    )


@pytest.fixture(autouse=True)
def show_unexpected_errors(monkeypatch):
    import traceback

    import jobday.errors

    monkeypatch.setattr(jobday.errors.log, "exception", lambda *args, **kwargs: traceback.print_exc())
