"""Profiles and offers read from the database for the score: only open offers of approved
exhibitors, only candidates registered and sharing with every exhibitor (latest choice), on
SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from jobday.candidates.consent import record_consents
from jobday.candidates.models import CandidateContractType, CandidateLanguage
from jobday.db import utcnow
from jobday.extensions import db
from jobday.matching import loading
from jobday.matching.score import Offer, Profile
from tests import factories


def _world():
    edition = factories.make_edition()
    acme = factories.make_company(name="Acme Bio")
    factories.make_participation(acme, edition)
    pending = factories.make_company(name="Pending Labs")
    factories.make_participation(pending, edition, status="pending")
    qc = factories.make_offer(acme, title="QC", job_areas=("quality_control", "rnd"), education_level="master",
                              region="wallonia")
    qc.languages = ["fr", "en"]
    closed = factories.make_offer(acme, title="Closed")
    closed.closed_at = utcnow()
    factories.make_offer(pending, title="Not approved")
    people = {}
    for name, consent, status in (("sharing", True, "registered"), ("private", False, "registered"),
                                  ("waiting", True, "waitlisted"), ("changed_mind", None, "registered")):
        user = factories.make_candidate(first_name=name.capitalize(), job_areas=("quality_control",))
        factories.make_registration(user, edition, status=status)
        if consent is not None:
            record_consents(user, {"share_with_all_exhibitors": consent}, actor=user)
        people[name] = user
    record_consents(people["changed_mind"], {"share_with_all_exhibitors": True}, actor=people["changed_mind"])
    record_consents(people["changed_mind"], {"share_with_all_exhibitors": False}, actor=people["changed_mind"])
    disabled = factories.make_candidate(first_name="Disabled")
    factories.make_registration(disabled, edition)
    record_consents(disabled, {"share_with_all_exhibitors": True}, actor=disabled)
    disabled.is_disabled = True
    sharing = people["sharing"]
    db.session.add_all([CandidateContractType(user_id=sharing.id, contract_type="permanent"),
                        CandidateLanguage(user_id=sharing.id, language="fr", level="native"),
                        CandidateLanguage(user_id=sharing.id, language="en", level="fluent")])
    from jobday.candidates.services import get_profile

    get_profile(sharing).region = "wallonia"
    db.session.commit()
    return edition, acme, qc, people


def _check(app):
    edition, acme, qc, people = _world()
    assert loading.edition_offers(edition.id) == [Offer(
        qc.id, acme.id, "QC", "master", frozenset({"quality_control", "rnd"}), "permanent",
        frozenset({"fr", "en"}), "wallonia")]
    assert loading.company_offers(acme.id, edition.id) == loading.edition_offers(edition.id)
    assert {cid: e.name for cid, e in loading.exhibitors(edition.id).items()} == {acme.id: "Acme Bio"}
    sharing = people["sharing"]
    profiles, names = loading.sharing_candidates(edition.id)
    assert profiles == [Profile(sharing.id, "master", frozenset({"quality_control"}), frozenset({"permanent"}),
                                frozenset({"fr", "en"}), "wallonia")]
    assert names == {sharing.id: ("Sharing", "Müller")}
    assert loading.profile_of(sharing.id) == profiles[0]
    assert loading.sharing_candidates(edition.id, excluded=select(db.literal(sharing.id)))[0] == []


def test_loading(backend, app):
    _check(app)


def _offers_in_areas_check():
    """The offers in some areas (a statement for the driver, an area in each slot) are the
    edition's offers (the statement of all) that have one of them, in the same order; with
    their exhibitors, each row followed by its company's name, participation and stand."""
    from itertools import combinations

    from jobday.vocabulary import JobArea

    edition, acme, qc, _people = _world()
    other = factories.make_company(name="Other Co")
    factories.make_participation(other, edition, stand="B2")
    factories.make_offer(other, title="Prod", job_areas=("production",))
    factories.make_offer(other, title="Both", job_areas=("production", "quality_control", "logistics"))
    db.session.commit()
    every = loading.edition_offers(edition.id)
    exhibitors = loading.exhibitors(edition.id)
    codes = [str(area) for area in JobArea]
    asked = [set(pair) for pair in combinations(("production", "quality_control", "rnd", "other"), 2)]
    asked += [{"rnd"}, {"other"}, set(codes), set(codes[:5])]
    for areas in asked:
        expected = [offer for offer in every if offer.job_areas & areas]
        assert loading.edition_offers(edition.id, in_areas=frozenset(areas)) == expected
        rows = loading.edition_offers_with_exhibitors(edition.id, frozenset(areas))
        assert loading.offer_rows(row[:8] for row in rows) == expected
        assert [loading.Exhibitor(row[1], row[8], row[9], row[10] or "") for row in rows] == [
            exhibitors[offer.company_id] for offer in expected]
    assert loading.edition_offers(edition.id, in_areas=frozenset()) == []
    assert loading.edition_offers_with_exhibitors(edition.id, frozenset()) == []


def test_offers_in_areas(backend, app):
    _offers_in_areas_check()
