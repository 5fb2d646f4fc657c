"""The lead page's lines read as plain rows: who scanned the badge (offline, the phone's time),
who changed what, who invited for which slot; a departed colleague is "someone"."""

from __future__ import annotations

from datetime import timedelta

from jobday.db import utcnow
from jobday.extensions import db
from jobday.formats import format_datetime
from jobday.leads.models import InterviewInvitation, LeadChange, LeadScan
from tests import factories
from tests.scheduling.conftest import slots_of

EN = {"Accept-Language": "en"}


def test_the_lead_page_says_who_scanned_changed_and_invited(app, client, login_as, future_stand):
    stand = future_stand
    lead = factories.make_lead(stand.acme.company, stand.zoe, stand.edition)
    slot = slots_of(stand.acme)[1]
    now = utcnow().replace(microsecond=0)
    phone_time = now - timedelta(hours=3)
    db.session.add_all([
        LeadScan(lead_id=lead.id, recruiter_id=None, scope="u0", nonce="gone-00001", scanned_at=now,
                 client_time=phone_time, is_offline=True),
        LeadScan(lead_id=lead.id, recruiter_id=stand.bruno_recruiter.id, scope=f"u{stand.bruno_recruiter.id}",
                 nonce="bruno-0001", scanned_at=now),
        LeadChange(lead_id=lead.id, actor_id=None, changed_at=now, field="note"),
        LeadChange(lead_id=lead.id, actor_id=stand.bruno_recruiter.id, changed_at=now, field="rating", new_value="4"),
        InterviewInvitation(edition_id=stand.edition.id, participation_id=stand.acme.id, candidate_id=stand.zoe.id,
                            kind="slot", source="lead", slot_id=slot.id, status="pending",
                            created_by_id=stand.bruno_recruiter.id, created_at=now),
    ])
    db.session.commit()
    login_as(stand.alice_recruiter)
    page = client.get(f"/company/leads/{lead.id}", headers=EN).get_data(as_text=True)
    with app.test_request_context():
        phone, slot_time = format_datetime(phone_time), format_datetime(slot.starts_at)
    history = page[page.index('id="history-heading"'):]
    assert f"{phone} · someone · scanned the badge (offline)" in history
    assert "someone · changed the note" in history and "Bruno Lenoir · rating: ★★★★" in history
    assert "Bruno Lenoir · scanned the badge</li>" in history
    assert "by Bruno Lenoir, waiting for the candidate." in page and f"({slot_time})" in page


def test_the_shared_profile_reads_as_the_orm_profile(app, stand):
    from datetime import date

    from jobday.candidates import cv
    from jobday.candidates.models import CandidateContractType, CandidateJobArea, CandidateLanguage
    from jobday.candidates.pages import profile_facts
    from jobday.candidates.profile_summary import shown_profile as shared_profile
    from jobday.candidates.services import get_profile

    zoe, yann = stand.zoe, stand.yann
    profile = get_profile(zoe)
    profile.region, profile.phone, profile.postcode, profile.years_experience = "wallonia", "+32470123456", "4000", 3
    profile.field_of_study, profile.availability_date, profile.about = "Chimie", date(2031, 9, 1), "<b>moi</b>"
    db.session.add_all([CandidateJobArea(user_id=zoe.id, area="rnd"),
                        CandidateContractType(user_id=zoe.id, contract_type="permanent"),
                        CandidateContractType(user_id=zoe.id, contract_type="internship"),
                        CandidateLanguage(user_id=zoe.id, language="nl", level="basic"),
                        CandidateLanguage(user_id=zoe.id, language="fr", level="native")])
    cv.store_cv(profile, factories.make_pdf(), "cv-zoe.pdf")
    db.session.commit()
    for lang in ("fr", "en"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            for user in (zoe, yann):
                db.session.expire_all()
                plain, orm = shared_profile(user.id), get_profile(user)
                assert [(str(term), value) for term, value in profile_facts(user, plain)] == [
                    (str(term), value) for term, value in profile_facts(user, orm)]
                assert plain.has_cv == orm.has_cv
    assert shared_profile(stand.door.id) is None


def test_the_lead_on_page_reads_as_the_lead(app, stand):
    """The page's plain lead says what the Lead and its Users say: values, tags, who scanned
    first (a departed one: none), a withdrawn access, an erased candidate's e-mail as name, and
    what the rules read of it (what is shared, the profile's facts)."""
    from jobday.candidates.pages import profile_facts
    from jobday.leads.lead_page import lead_on_page
    from jobday.leads.services import lead_of_company, what_is_shared

    company, edition = stand.acme.company, stand.edition
    zoe = factories.make_lead(company, stand.zoe, edition, recruiter=stand.bruno_recruiter, rating=4,
                              state="contacted", note="<b>vu</b>", share_requested_at=utcnow())
    zoe.scan_count = 3
    zoe.tags = [factories.make_tag(company, name) for name in ("Stage", "Chimie")]
    yann = factories.make_lead(company, stand.yann, edition, access_withdrawn_at=utcnow())
    stand.yann.first_name = stand.yann.last_name = ""  # as an erased account shows
    other = factories.make_lead(stand.biolab.company, stand.zoe, edition)
    db.session.commit()
    for lead in (zoe, yann):
        plain = lead_on_page(lead.id, company.id, edition.id)
        orm = lead_of_company(lead.id, stand.acme)
        for name in ("id", "candidate_id", "version", "rating", "state", "note", "offer_id", "scan_count",
                     "first_scanned_at", "share_requested_at", "access_withdrawn_at", "is_withdrawn"):
            assert getattr(plain, name) == getattr(orm, name), name
        assert plain.tag_ids == {tag.id for tag in orm.tags}
        for name in ("id", "first_name", "last_name", "email", "is_disabled", "display_name"):
            assert getattr(plain.candidate, name) == getattr(orm.candidate, name), name
        assert (plain.first_scanned_by.display_name if plain.first_scanned_by else None) == (
            orm.first_scanned_by.display_name if orm.first_scanned_by else None)
        assert what_is_shared(plain, stand.acme) == what_is_shared(orm, stand.acme)
        with app.test_request_context():
            assert [(str(t), v) for t, v in profile_facts(plain.candidate, None)] == [
                (str(t), v) for t, v in profile_facts(orm.candidate, None)]
    assert lead_on_page(other.id, company.id, edition.id) is None  # another company's
    assert lead_on_page(zoe.id, company.id, edition.id + 1) is None
    db.session.delete(stand.bruno_recruiter)  # a departed colleague
    db.session.commit()
    assert lead_on_page(zoe.id, company.id, edition.id).first_scanned_by is None
