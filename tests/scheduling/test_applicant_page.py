"""The applicant page's reads (``scheduling.applicant_page``) held to the forms they replace:
the application only at its own company, the sharing rule as ``profile_shared`` says it, the
shared profile as ``get_profile`` reads it, and the free slots as ``free_future_slots``."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from jobday.candidates.consent import record_consents
from jobday.candidates.models import CandidateContractType, CandidateJobArea, CandidateLanguage, Registration
from jobday.candidates.pages import profile_facts
from jobday.candidates.profile_summary import shown_profile
from jobday.candidates.services import get_profile
from jobday.companies.models import SLOT_BLOCKED, SLOT_FREE
from jobday.db import utcnow
from jobday.scheduling import applicant_page, applications, waitlist
from jobday.scheduling.models import WaitlistEntry
from tests.scheduling.conftest import registered_candidate


def test_an_application_is_found_at_its_own_company_only(backend, db, fair):
    fair.acme.booking_mode = "apply"
    application = applications.apply_to_company(fair.alice, fair.acme, actor=fair.alice, motivation="Hello.")
    db.session.flush()
    assert applicant_page.application_of(application.id, fair.biolab) is None
    assert applicant_page.application_of(application.id + 1000, fair.acme) is None
    found, candidate, shared = applicant_page.application_of(application.id, fair.acme)
    assert (found, candidate, shared) == (application, fair.alice, False)


def test_the_sharing_read_with_the_application_is_profile_shared(backend, db, fair):
    fair.acme.booking_mode = "apply"
    application = applications.apply_to_company(fair.bob, fair.acme, actor=fair.bob, motivation="Hello.")
    db.session.flush()

    def both() -> bool:
        db.session.expire_all()
        in_row = applicant_page.application_of(application.id, fair.acme)[2]
        assert in_row == applications.profile_shared(fair.bob, fair.acme, fair.edition, applied=True)
        return in_row

    assert not both()
    record_consents(fair.bob, {"share_with_applied": True}, actor=fair.bob)
    assert both()
    record_consents(fair.bob, {"share_with_applied": False, "share_with_all_exhibitors": True}, actor=fair.bob)
    assert both()
    fair.bob.is_disabled = True
    db.session.flush()
    assert not both()
    fair.bob.is_disabled = False
    db.session.flush()
    assert both()
    db.session.scalar(select(Registration).where(Registration.user_id == fair.bob.id)).status = "withdrawn"
    db.session.flush()
    assert not both()


def test_the_shared_profile_reads_as_get_profile(backend, db, fair):
    full = registered_candidate(fair.edition, first_name="Dana", email="dana@example.org",
                                job_areas=("rnd", "engineering", "quality_assurance"))
    profile = get_profile(full)
    profile.phone, profile.postcode, profile.region = "+32470123456", "4000", "wallonia"
    profile.field_of_study, profile.years_experience, profile.about = "Chemistry", 3, "Hello."
    profile.availability_date = (utcnow() + timedelta(days=30)).date()
    profile.cv_stored_name, profile.cv_original_name = "stored.pdf", "dana.pdf"
    profile.languages = [CandidateLanguage(language=code, level=level)
                         for code, level in (("nl", "basic"), ("en", "good"), ("fr", "native"))]
    profile.contract_type_rows = [CandidateContractType(contract_type=code) for code in ("permanent", "internship")]
    bare = registered_candidate(fair.edition, first_name="Eli", email="eli@example.org", job_areas=())
    get_profile(bare).education_level = None
    no_profile = registered_candidate(fair.edition, first_name="Fay", email="fay@example.org", profile=False)
    db.session.commit()
    for user in (full, bare, fair.alice):
        db.session.expire_all()
        read = shown_profile(user.id)
        expected = get_profile(user)
        assert profile_facts(user, read) == profile_facts(user, expected)
        assert (read.has_cv, read.job_areas, read.contract_types, list(read.language_levels.items())) == (
            expected.has_cv, expected.job_areas, expected.contract_types, list(expected.language_levels.items()))
    assert shown_profile(full.id).job_areas == ["engineering", "quality_assurance", "rnd"]
    assert shown_profile(no_profile.id) is None
    assert db.session.get(CandidateJobArea, (full.id, "rnd")) is not None


def test_the_free_slot_rows_are_the_free_slots(backend, db, fair):
    now = fair.acme_slots[0].starts_at - timedelta(days=1)
    held, offered, taken = fair.acme_slots[1], fair.acme_slots[2], fair.acme_slots[3]
    held.held_by_candidate_id = fair.alice.id
    taken.status = SLOT_BLOCKED
    db.session.add(WaitlistEntry(edition_id=fair.edition.id, participation_id=fair.acme.id,
                                 candidate_id=fair.bob.id, status="offered", offered_slot_id=offered.id,
                                 offered_at=now, offer_expires_at=now + timedelta(hours=1)))
    db.session.flush()
    rows = waitlist.free_future_slot_rows(fair.acme.id, now)
    slots = waitlist.free_future_slots(fair.acme.id, now)
    assert [tuple(row) for row in rows] == [(slot.id, slot.starts_at, slot.ends_at, slot.table.name)
                                             for slot in slots]
    assert {held.id, offered.id, taken.id}.isdisjoint(row.id for row in rows)
    assert len(rows) == len([slot for slot in fair.acme_slots if slot.status == SLOT_FREE]) - 2
    assert waitlist.free_future_slot_rows(fair.acme.id, fair.acme_slots[5].starts_at) == \
        [row for row in rows if row.starts_at > fair.acme_slots[5].starts_at]
