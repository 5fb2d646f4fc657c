"""The candidate's side: take a company's access back or give it again, a recruiter's request
to share (once a day), erasure (notes go) and retention (leads go with the edition's data), the last
two on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from jobday.candidates.consent import record_consents
from jobday.candidates.erasure import erase_candidate
from jobday.db import utcnow
from jobday.errors import NotFound
from jobday.extensions import db
from jobday.leads import home_rows, sharing
from jobday.leads.errors import AlreadyAsked, LeadNotFound, NothingToAsk
from jobday.leads.models import Lead, LeadChange, LeadScan
from jobday.staff import retention
from tests import factories


def _lead(stand, candidate=None, company=None, **fields):
    return factories.make_lead(company or stand.acme.company, candidate or stand.zoe, stand.edition, **fields)


def test_the_candidate_sees_the_companies_holding_their_details(stand):
    acme = _lead(stand)
    biolab = _lead(stand, company=stand.biolab.company, last_scanned_at=utcnow() + timedelta(minutes=1))
    _lead(stand, stand.yann)
    biolab.access_withdrawn_at = utcnow()
    met = home_rows.companies_met(stand.zoe.id)
    assert [(lead.id, lead.company, lead.is_withdrawn) for lead in met] == [
        (biolab.id, stand.biolab.company.name, True), (acme.id, stand.acme.company.name, False)]


def test_only_the_candidate_takes_the_access_back(stand):
    lead = _lead(stand)
    for outsider in (stand.yann, stand.alice_recruiter, stand.door):
        with pytest.raises(LeadNotFound):
            sharing.withdraw_access(lead, actor=outsider)
    assert db.session.get(Lead, lead.id).access_withdrawn_at is None
    sharing.withdraw_access(lead, actor=stand.zoe)
    sharing.withdraw_access(lead, actor=stand.zoe)  # twice: one line of history
    changes = db.session.scalars(select(LeadChange).where(LeadChange.lead_id == lead.id)).all()
    assert [(c.field, c.old_value, c.new_value, c.actor_id) for c in changes] == [
        ("access", "granted", "withdrawn", stand.zoe.id)]
    with pytest.raises(LeadNotFound):
        sharing.restore_access(lead, actor=stand.yann)
    sharing.restore_access(lead, actor=stand.zoe)
    assert db.session.get(Lead, lead.id).access_withdrawn_at is None


def test_a_recruiter_asks_to_share_once_a_day(stand, mailbox):
    lead = _lead(stand)
    sharing.withdraw_access(lead, actor=stand.zoe)
    with pytest.raises(NotFound):
        sharing.request_share(lead, actor=stand.biolab_recruiter)
    sharing.request_share(lead, actor=stand.alice_recruiter)
    with pytest.raises(AlreadyAsked):
        sharing.request_share(lead, actor=stand.bruno_recruiter)
    with freeze_time(utcnow() + timedelta(days=1, minutes=1)):
        sharing.request_share(lead, actor=stand.bruno_recruiter)
    db.session.commit()
    assert [m["Subject"] for m in mailbox.to("zoe@example.org")] == [
        "Acme Bio souhaite voir votre profil"] * 2
    # Restoring the access answers the request.
    sharing.restore_access(lead, actor=stand.zoe)
    assert db.session.get(Lead, lead.id).share_requested_at is None


def test_nothing_to_ask_when_profile_and_cv_are_shared(stand):
    record_consents(stand.zoe, {"share_with_all_exhibitors": True}, actor=stand.zoe)
    lead = _lead(stand)
    with pytest.raises(NothingToAsk):
        sharing.request_share(lead, actor=stand.alice_recruiter)


def test_erasing_a_candidate_erases_their_leads_notes(backend, stand):
    lead = _lead(stand, note="Parle couramment néerlandais, rappeler lundi")
    other = _lead(stand, stand.yann, note="Note sur Yann")
    erase_candidate(stand.zoe)
    db.session.expire_all()
    lead = db.session.get(Lead, lead.id)
    assert lead.note == "" and lead.access_withdrawn_at is not None
    assert db.session.get(Lead, other.id).note == "Note sur Yann"
    assert lead.candidate.first_name == "" and lead.candidate.is_disabled


def test_leads_go_with_the_editions_data_retention(backend, stand):
    old_edition = factories.make_edition(starts_on=utcnow().date() - timedelta(days=800),
                                         retention_data_months=24)
    old = factories.make_lead(stand.acme.company, stand.zoe, old_edition, note="2024")
    db.session.add(LeadScan(lead_id=old.id, recruiter_id=stand.alice_recruiter.id, scope="u1", nonce="n-old"))
    current = _lead(stand, note="today")
    plan = retention.plan_purge()
    assert plan.lead_ids == [old.id]
    retention.apply_purge(plan, actor=None)
    db.session.expire_all()
    assert db.session.get(Lead, old.id) is None and db.session.get(Lead, current.id) is not None
    assert db.session.scalar(select(func.count(LeadScan.id))) == 0
    assert retention.plan_purge().lead_ids == []
