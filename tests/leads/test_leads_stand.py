"""Scanning at the stand: a lead made or found again, every refusal, nonces, offline times,
and two recruiters scanning the same badge at the same moment (one lead, on both databases)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobday.companies.errors import NotCompanyMember
from jobday.db import utcnow
from jobday.extensions import db
from jobday.leads.errors import NotAtTheFair
from jobday.leads.models import Lead, LeadScan
from jobday.leads.stand import scan_at_stand, snapshot_key, stand_snapshot
from jobday.leads.vocabulary import StandResult
from tests import factories
from tests.leads.conftest import nonce


def _scan(stand, code, recruiter=None, **kwargs):
    kwargs.setdefault("nonce", nonce())
    return scan_at_stand(code, participation=stand.acme, actor=recruiter or stand.alice_recruiter, **kwargs)


def test_a_scan_makes_a_lead_and_a_second_scan_finds_it(stand):
    first = _scan(stand, stand.zoe.badge.code)
    assert first.result == StandResult.OK and first.new and first.name == "Zoë Müller"
    second = _scan(stand, stand.zoe.badge.code, stand.bruno_recruiter)
    assert second.result == StandResult.OK and not second.new and second.lead.id == first.lead.id
    lead = db.session.get(Lead, first.lead.id)
    assert (lead.company_id, lead.candidate_id, lead.edition_id) == (
        stand.acme.company_id, stand.zoe.id, stand.edition.id)
    assert lead.scan_count == 2
    assert lead.first_scanned_by_id == stand.alice_recruiter.id
    assert lead.last_scanned_by_id == stand.bruno_recruiter.id
    assert lead.first_scanned_at <= lead.last_scanned_at


def test_codes_typed_on_a_french_keyboard_are_read(stand):
    code = stand.zoe.badge.code
    azerty = code.translate(str.maketrans("1234567890", "&é\"'(-è_çà")).lower()
    assert _scan(stand, azerty).result == StandResult.OK


def test_a_retried_nonce_counts_once(stand):
    same = nonce()
    first = _scan(stand, stand.zoe.badge.code, nonce=same)
    again = _scan(stand, stand.zoe.badge.code, nonce=same)
    assert again.replayed and again.lead.id == first.lead.id
    assert db.session.scalar(select(func.count(LeadScan.id))) == 1
    assert db.session.get(Lead, first.lead.id).scan_count == 1
    # The same nonce from another recruiter is another scan (nonces are per recruiter).
    other = _scan(stand, stand.zoe.badge.code, stand.bruno_recruiter, nonce=same)
    assert not other.replayed and db.session.get(Lead, first.lead.id).scan_count == 2


def test_an_offline_scan_keeps_the_phone_time(stand):
    online = _scan(stand, stand.zoe.badge.code)
    earlier = factories.earlier_today(minutes=30)
    offline = _scan(stand, stand.zoe.badge.code, stand.bruno_recruiter, client_time=earlier)
    lead = db.session.get(Lead, online.lead.id)
    assert offline.result == StandResult.OK
    assert lead.first_scanned_at == earlier and lead.first_scanned_by_id == stand.bruno_recruiter.id
    assert lead.last_scanned_by_id == stand.alice_recruiter.id
    row = db.session.scalar(select(LeadScan).where(LeadScan.recruiter_id == stand.bruno_recruiter.id))
    assert row.is_offline and row.happened_at == earlier


def test_refusals_make_no_lead(stand, app):
    edition = stand.edition
    other_edition = factories.make_edition()
    revoked = factories.make_badge(factories.make_candidate(), edition, status="revoked")
    elsewhere = factories.make_badge(stand.zoe, other_edition)
    recruiter_badge = factories.make_badge(stand.biolab_recruiter, edition, role="recruiter")
    withdrawn_user = factories.make_candidate()
    factories.make_registration(withdrawn_user, edition, status="withdrawn")
    withdrawn = factories.make_badge(withdrawn_user, edition)
    unregistered = factories.make_badge(factories.make_candidate(), edition)
    cases = {
        "ZZZZZZZZZZZZZZZZZ": StandResult.UNKNOWN, "": StandResult.UNKNOWN,
        revoked.code: StandResult.REVOKED, elsewhere.code: StandResult.WRONG_EDITION,
        recruiter_badge.code: StandResult.NOT_CANDIDATE, withdrawn.code: StandResult.CANCELLED,
        unregistered.code: StandResult.CANCELLED,
    }
    for code, expected in cases.items():
        outcome = _scan(stand, code)
        assert outcome.result == expected, code
        assert outcome.lead is None and outcome.name == ""
    assert db.session.scalar(select(func.count(Lead.id))) == 0
    assert db.session.scalar(select(func.count(LeadScan.id))) == 0


def test_badges_count_on_the_days_of_the_fair_only(stand):
    tomorrow = utcnow() + timedelta(days=1, hours=1)
    assert _scan(stand, stand.zoe.badge.code, now=tomorrow).result == StandResult.NOT_TODAY
    assert _scan(stand, stand.zoe.badge.code, client_time=utcnow() - timedelta(days=2)).result == (
        StandResult.NOT_TODAY)
    assert db.session.scalar(select(func.count(Lead.id))) == 0


def test_only_the_companys_recruiters_scan_for_it(stand):
    with pytest.raises(NotCompanyMember):
        _scan(stand, stand.zoe.badge.code, stand.biolab_recruiter)
    with pytest.raises(NotCompanyMember):
        _scan(stand, stand.zoe.badge.code, stand.door)
    with pytest.raises(NotCompanyMember):
        _scan(stand, stand.zoe.badge.code, stand.yann)
    assert db.session.scalar(select(func.count(Lead.id))) == 0


def test_a_company_not_approved_scans_nothing(stand):
    stand.acme.status = "pending"
    db.session.flush()
    with pytest.raises(NotAtTheFair):
        _scan(stand, stand.zoe.badge.code)


def test_the_offline_copy_holds_names_keyed_by_hashed_codes(stand):
    factories.make_badge(stand.alice_recruiter, stand.edition, role="recruiter")
    factories.make_badge(factories.make_candidate(first_name="Old"), stand.edition, status="revoked")
    snapshot = stand_snapshot(stand.edition)
    assert sorted(item["name"] for item in snapshot) == ["Yann Dubois", "Zoë Müller"]
    assert {snapshot_key(stand.zoe.badge.code), snapshot_key(stand.yann.badge.code)} == {
        item["key"] for item in snapshot}
    text = repr(snapshot)
    assert stand.zoe.badge.code not in text and stand.yann.badge.code not in text
    assert all(set(item) == {"key", "name"} for item in snapshot)


def _race(app, stand, recruiters):
    """Each recruiter scans Zoë's badge in its own thread and connection, at the same moment."""
    barrier = threading.Barrier(len(recruiters))
    results, errors = [], []
    from jobday.db import reset_write_intent, set_write_intent
    from jobday.leads.stand import scan_at_stand as scan

    ids = [(r.id, stand.acme.id) for r in recruiters]
    code = stand.zoe.badge.code

    def run(user_id, participation_id):
        token = set_write_intent(True)
        try:
            with app.app_context():
                from jobday.accounts.models import User
                from jobday.companies.models import Participation

                user, participation = db.session.get(User, user_id), db.session.get(Participation, participation_id)
                db.session.commit()  # the reads above end: the scan's own transaction starts below
                barrier.wait()
                outcome = scan(code, participation=participation, actor=user, nonce=nonce())
                db.session.commit()
                results.append((outcome.lead.id, outcome.new))
                db.session.remove()
        except Exception as error:  # pragma: no cover - shown by the assertion
            errors.append(error)
        finally:
            reset_write_intent(token)

    threads = [threading.Thread(target=run, args=pair) for pair in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def _one_lead_from_a_race(app, stand):
    recruiters = [stand.alice_recruiter, stand.bruno_recruiter]
    recruiters += [factories.add_recruiter(stand.acme.company, first_name=f"R{n}") for n in range(4)]
    db.session.commit()
    results, errors = _race(app, stand, recruiters)
    assert errors == []
    assert len(results) == len(recruiters)
    assert len({lead_id for lead_id, _new in results}) == 1
    assert sum(1 for _id, new in results if new) == 1
    db.session.commit()  # the test's read transaction (SQLite's snapshot) predates the race
    lead = db.session.scalar(select(Lead))
    assert db.session.scalar(select(func.count(Lead.id))) == 1
    assert lead.scan_count == len(recruiters)
    assert db.session.scalar(select(func.count(LeadScan.id))) == len(recruiters)


def test_recruiters_scanning_at_once_make_one_lead(backend, app, stand):
    _one_lead_from_a_race(app, stand)
