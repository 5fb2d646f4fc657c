"""A company's leads: what a recruiter sees (profile from the badge, CV only with consent,
nothing after a withdrawal), edits with history and versions, filters, tags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from jobday.candidates import cv
from jobday.candidates.consent import record_consents
from jobday.candidates.services import get_profile
from jobday.companies.errors import NotCompanyMember
from jobday.extensions import db
from jobday.leads import services, sharing
from jobday.leads.errors import AccessWithdrawn, InvalidLeadInput, LeadChanged, LeadNotFound
from jobday.leads.models import Lead, LeadChange
from jobday.leads.services import LeadFilters, LeadInput
from jobday.leads.stand import lead_lines
from tests import factories


def _lead(stand, candidate=None, **fields):
    return factories.make_lead(stand.acme.company, candidate or stand.zoe, stand.edition, **fields)


def _edit(lead, actor, **changes):
    data = dict(version=lead.version, rating=lead.rating, state=lead.state, note=lead.note,
                tag_ids=tuple(t.id for t in lead.tags), offer_id=lead.offer_id)
    data.update(changes)
    return services.update_lead(lead, LeadInput(**data), actor=actor)


def test_the_badge_shares_the_profile_and_the_cv_needs_consent(stand):
    lead = _lead(stand)
    cv.store_cv(get_profile(stand.zoe), factories.make_pdf(), "cv.pdf")
    assert services.what_is_shared(lead, stand.acme) == services.Sharing(profile=True, cv=False)
    record_consents(stand.zoe, {"share_with_all_exhibitors": True}, actor=stand.zoe)
    assert services.what_is_shared(lead, stand.acme) == services.Sharing(profile=True, cv=True)
    record_consents(stand.zoe, {"share_with_all_exhibitors": False}, actor=stand.zoe)
    assert services.what_is_shared(lead, stand.acme).cv is False


def test_a_withdrawn_access_hides_everything_at_once(stand):
    record_consents(stand.zoe, {"share_with_all_exhibitors": True}, actor=stand.zoe)
    lead = _lead(stand, rating=5, note="Excellent en HPLC")
    sharing.withdraw_access(lead, actor=stand.zoe)
    assert services.what_is_shared(lead, stand.acme) == services.Sharing(False, False)
    [row] = services.company_leads(stand.acme.company_id, stand.edition.id, actor=stand.alice_recruiter,
                                   with_profiles=True)
    assert row.shared is False and row.profile is None and row.tags == []
    with pytest.raises(AccessWithdrawn):
        _edit(lead, stand.alice_recruiter, rating=1)
    sharing.restore_access(lead, actor=stand.zoe)
    assert services.what_is_shared(lead, stand.acme).profile is True


def test_another_companys_recruiter_door_staff_and_candidates_get_not_found(stand):
    lead = _lead(stand)
    for outsider in (stand.biolab_recruiter, stand.door, stand.zoe, stand.yann):
        with pytest.raises(LeadNotFound):
            services.lead_for_company(lead.id, outsider)
        with pytest.raises(NotCompanyMember):
            _edit(lead, outsider, rating=2)
        with pytest.raises(NotCompanyMember):
            services.company_leads(stand.acme.company_id, stand.edition.id, actor=outsider)
    assert services.lead_for_company(lead.id, stand.bruno_recruiter).id == lead.id
    assert db.session.get(Lead, lead.id).rating is None


def test_colleagues_edit_the_same_lead_and_history_says_who_changed_what(stand):
    lead = _lead(stand)
    priority = factories.make_tag(stand.acme.company, "Profil prioritaire")
    offer = factories.make_offer(stand.acme.company)
    _edit(lead, stand.alice_recruiter, rating=4, tag_ids=(priority.id,), note="Vue au stand")
    _edit(lead, stand.bruno_recruiter, state="contacted", offer_id=offer.id)
    lead = db.session.get(Lead, lead.id)
    assert (lead.rating, lead.state, lead.note, [t.name for t in lead.tags], lead.offer_id) == (
        4, "contacted", "Vue au stand", ["Profil prioritaire"], offer.id)
    assert lead.version == 3 and lead.updated_by_id == stand.bruno_recruiter.id
    changes = [(c.actor_id, c.field, c.old_value, c.new_value) for c in services.history_of(lead)]
    alice, bruno = stand.alice_recruiter.id, stand.bruno_recruiter.id
    assert sorted(changes) == sorted([
        (alice, "rating", "", "4"), (alice, "tags", "", "Profil prioritaire"), (alice, "note", "", ""),
        (bruno, "state", "to_contact", "contacted"), (bruno, "offer", "", str(offer.id))])


def test_an_edit_from_an_older_page_is_refused(stand):
    lead = _lead(stand)
    old_version = lead.version
    _edit(lead, stand.alice_recruiter, rating=3)
    with pytest.raises(LeadChanged):
        _edit(lead, stand.bruno_recruiter, version=old_version, rating=1)
    assert db.session.get(Lead, lead.id).rating == 3


def test_an_unchanged_form_writes_nothing(stand):
    lead = _lead(stand)
    _edit(lead, stand.alice_recruiter)
    assert lead.version == 1
    assert db.session.scalars(select(LeadChange)).all() == []


@pytest.mark.parametrize("changes, field", [
    ({"rating": 6}, "rating"), ({"rating": 0}, "rating"), ({"state": "married"}, "state"),
    ({"note": "x" * 5001}, "note"), ({"tag_ids": (999_999,)}, "tags"), ({"offer_id": 999_999}, "offer_id"),
])
def test_bad_input_is_refused_with_its_field(stand, changes, field):
    lead = _lead(stand)
    with pytest.raises(InvalidLeadInput) as refused:
        _edit(lead, stand.alice_recruiter, **changes)
    assert refused.value.details["field"] == field
    assert db.session.get(Lead, lead.id).version == 1


def test_another_companys_tags_and_offers_are_refused(stand):
    lead = _lead(stand)
    theirs = factories.make_tag(stand.biolab.company, "Leur tag")
    their_offer = factories.make_offer(stand.biolab.company)
    with pytest.raises(InvalidLeadInput):
        _edit(lead, stand.alice_recruiter, tag_ids=(theirs.id,))
    with pytest.raises(InvalidLeadInput):
        _edit(lead, stand.alice_recruiter, offer_id=their_offer.id)


def test_profiles_only_when_asked(stand):
    zoe = _lead(stand)
    yann = _lead(stand, stand.yann)
    zoe.last_scanned_at = yann.last_scanned_at + timedelta(minutes=5)
    db.session.flush()

    def rows(**options):
        return services.company_leads(stand.acme.company_id, stand.edition.id, actor=stand.alice_recruiter,
                                      **options)

    assert [row.lead.id for row in rows()] == [zoe.id, yann.id]
    assert [row.profile for row in rows()] == [None, None]  # the lists show no profile
    assert [row.profile.user_id for row in rows(with_profiles=True)] == [stand.zoe.id, stand.yann.id]


def test_filters(stand):
    priority = factories.make_tag(stand.acme.company, "Prioritaire")
    offer = factories.make_offer(stand.acme.company)
    zoe = _lead(stand, rating=5, state="contacted", offer_id=offer.id)
    zoe.tags = [priority, factories.make_tag(stand.acme.company, "Électronique")]  # in the reader's order: É, P
    yann = _lead(stand, stand.yann, rating=2)
    hidden = _lead(stand, registered_candidate(stand), rating=5, state="contacted", offer_id=offer.id)
    hidden.tags = [priority]
    sharing.withdraw_access(hidden, actor=hidden.candidate)
    _lead_other_company = factories.make_lead(stand.biolab.company, stand.zoe, stand.edition, rating=5)

    def names(**filters):
        rows = services.company_leads(stand.acme.company_id, stand.edition.id, actor=stand.bruno_recruiter,
                                      filters=LeadFilters(**filters))
        return sorted(row.lead.candidate_id for row in rows)

    assert names() == sorted([zoe.candidate_id, yann.candidate_id, hidden.candidate_id])
    assert names(min_rating=4) == [zoe.candidate_id]
    assert names(min_rating=2) == sorted([zoe.candidate_id, yann.candidate_id])
    assert names(state="contacted") == [zoe.candidate_id]
    assert names(tag_id=priority.id) == [zoe.candidate_id]
    assert names(offer_id=offer.id) == [zoe.candidate_id]
    for filters in ({}, {"min_rating": 2}, {"state": "contacted"}, {"tag_id": priority.id}, {"offer_id": offer.id}):
        assert _lines(stand, lead_lines, filters) == _lines(stand, services.company_leads, filters), filters


def _lines(stand, listing, filters):
    """What the leads list shows of each line: the list page's plain lines (``lead_lines``)
    against the ORM leads of ``company_leads`` (the exports')."""
    rows = listing(stand.acme.company_id, stand.edition.id, actor=stand.bruno_recruiter, filters=LeadFilters(**filters))
    return [(row.lead.id, row.lead.candidate.display_name, row.lead.rating, str(row.lead.state_label),
             row.lead.last_scanned_at, row.shared, [tag.name for tag in row.tags]) for row in rows]


def registered_candidate(stand):
    from tests.leads.conftest import registered

    return registered(stand.edition, first_name="Hélène", last_name="Cœur")


def test_tags_are_the_companys_own_and_unique(stand):
    tag = services.add_tag(stand.acme.company_id, "  Stage   été ", actor=stand.bruno_recruiter)
    assert tag.name == "Stage été"
    with pytest.raises(InvalidLeadInput):
        services.add_tag(stand.acme.company_id, "STAGE ÉTÉ", actor=stand.alice_recruiter)
    with pytest.raises(InvalidLeadInput):
        services.add_tag(stand.acme.company_id, "", actor=stand.alice_recruiter)
    with pytest.raises(InvalidLeadInput):
        services.add_tag(stand.acme.company_id, "x" * 41, actor=stand.alice_recruiter)
    with pytest.raises(NotCompanyMember):
        services.add_tag(stand.acme.company_id, "Intrus", actor=stand.biolab_recruiter)
    assert [t.name for t in services.company_tags(stand.acme.company_id)] == ["Stage été"]
    # Biolab may have its own tag with the same name.
    services.add_tag(stand.biolab.company_id, "Stage été", actor=stand.biolab_recruiter)


def test_deleting_a_tag_takes_it_off_the_leads(stand):
    lead = _lead(stand)
    tag = factories.make_tag(stand.acme.company, "Chimie")
    lead.tags = [tag]
    db.session.flush()
    with pytest.raises(LeadNotFound):
        services.delete_tag(tag.id, actor=stand.biolab_recruiter)
    services.delete_tag(tag.id, actor=stand.alice_recruiter)
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).tags == []
    assert services.company_tags(stand.acme.company_id) == []
