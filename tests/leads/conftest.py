"""The stand's fixtures: an edition taking place today, two exhibitors (Acme with two
recruiters, Biolab), candidates registered with badges, door staff."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from jobday.candidates.consent import record_consents
from jobday.extensions import db as _db
from jobday.security import Role
from tests import factories

_nonces = itertools.count(1)


def nonce() -> str:
    return f"stand-{next(_nonces):08d}"


def registered(edition, *, badge: bool = True, consent: str | None = None, **fields):
    user = factories.make_candidate(**fields)
    factories.make_registration(user, edition)
    if consent:
        record_consents(user, {consent: True}, actor=user)
    if badge:
        user.badge = factories.make_badge(user, edition)
    return user


def build_stand(edition):
    acme_company = factories.make_company(name="Acme Bio")
    acme = factories.make_participation(acme_company, edition, stand="A1")
    biolab = factories.make_participation(factories.make_company(name="Biolab"), edition, stand="B2")
    world = SimpleNamespace(
        edition=edition, acme=acme, biolab=biolab,
        alice_recruiter=factories.company_admin(acme_company),
        bruno_recruiter=factories.add_recruiter(acme_company, first_name="Bruno", last_name="Lenoir"),
        biolab_recruiter=factories.company_admin(biolab.company),
        zoe=registered(edition, first_name="Zoë", last_name="Müller", email="zoe@example.org"),
        yann=registered(edition, first_name="Yann", last_name="Dubois", email="yann@example.org",
                        consent="share_with_all_exhibitors"),
        door=factories.make_user(roles=(Role.STAFF,), email="door@example.org"),
    )
    _db.session.commit()
    return world


@pytest.fixture
def today_edition(app):
    edition = factories.make_edition_today()
    _db.session.commit()
    return edition


@pytest.fixture
def stand(today_edition):
    return build_stand(today_edition)


@pytest.fixture
def future_stand(app):
    """The same people at an edition 60 days ahead (free slots to invite to)."""
    return build_stand(factories.make_edition())
