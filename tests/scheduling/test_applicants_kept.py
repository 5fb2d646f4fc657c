"""The applicants page's lists and interview limit are kept once rendered for what they show
(``fragments.kept_with_token``): each session reads its own CSRF token in their forms, and a
decision, a shortlist, a limit, a shared profile or another language is a part of its own."""

from __future__ import annotations

import re

import pytest

from jobday.accounts import session_policy
from jobday.candidates.consent import record_consents
from jobday.scheduling import applications
from jobday.scheduling.models import Wish
from tests import factories

EN = {"Accept-Language": "en"}
TOKEN = re.compile(r'name="(?:[a-z]+-)?csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture
def listed(fair, db):
    """Alice and Bob applied to Acme and listed it (``fair.applied``: their applications)."""
    fair.acme.booking_mode = "apply"
    fair.applied = []
    for rank, person in enumerate((fair.alice, fair.bob), start=1):
        fair.applied.append(applications.apply_to_company(person, fair.acme, actor=person, motivation="Hello."))
        db.session.add(Wish(edition_id=fair.edition.id, participation_id=fair.acme.id, candidate_id=person.id,
                            rank=rank))
    db.session.commit()
    return fair


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _forms(html: str) -> dict[str, str]:
    """Each form's action and the shortlist's value or button, in page order."""
    return dict(re.findall(r'action="([^"]+)"><input type="hidden" name="csrf_token" value="[^"]+">'
                           r'<input type="hidden" name="shortlisted" value="(\d)">', html))


def test_each_session_reads_its_own_token_in_the_kept_lists(app, client, db, listed, login_as):
    login_as(listed.recruiter)
    first = client.get("/company/applicants", headers=EN).get_data(as_text=True)
    other = app.test_client()  # another browser, a colleague of the same company
    colleague = factories.add_recruiter(listed.acme.company, first_name="Lea")
    db.session.commit()
    with other.session_transaction() as session:
        session.update({"_user_id": colleague.get_id(), "_fresh": True,
                        **session_policy.login_stamps(remembered=False)})
    second = other.get("/company/applicants", headers=EN).get_data(as_text=True)
    first_tokens, second_tokens = set(TOKEN.findall(first)), set(TOKEN.findall(second))
    assert len(first_tokens) == 1 and len(second_tokens) == 1 and first_tokens != second_tokens
    assert "keptcsrftokenhole" not in second and TOKEN.sub("", _main(first)) == TOKEN.sub("", _main(second))
    assert len(TOKEN.findall(_main(second))) == 5  # the limit, two applicants, two wishes
    response = other.post(f"/company/candidates/{listed.bob.id}/shortlist",
                          data={"csrf_token": second_tokens.pop(), "shortlisted": "1"})
    assert response.status_code == 303


def test_the_kept_lists_follow_what_they_show(client, db, listed, login_as):
    """Each change alone, seen at once."""
    login_as(listed.recruiter)

    def page(headers=EN) -> str:
        return _main(client.get("/company/applicants", headers=headers).get_data(as_text=True))

    bob_shortlist = f"/company/candidates/{listed.bob.id}/shortlist"
    before = page()
    assert _forms(before)[bob_shortlist] == "1" and "Remove" not in before
    assert 'pill-warn">To decide<' in before and 'pill-ok">Accepted<' not in before
    assert before.count("profile not shared") == 4 and '<option selected value="1">1</option>' in before
    applications.set_shortlisted(listed.acme, listed.bob.id, actor=listed.recruiter, shortlisted=True)
    db.session.commit()
    shortlisted = page()
    assert _forms(shortlisted)[bob_shortlist] == "0"
    assert "Remove from shortlist</button>" in shortlisted and ">Remove</button>" in shortlisted
    applications.decide_application(listed.applied[0], actor=listed.recruiter, accept=True, message="")
    db.session.commit()
    assert 'pill-ok">Accepted<' in page()
    applications.set_interview_limit(listed.acme, 2, actor=listed.recruiter)
    db.session.commit()
    assert '<option selected value="2">2</option>' in page()
    record_consents(listed.bob, {"share_with_all_exhibitors": True}, actor=listed.bob)
    db.session.commit()
    assert page().count("profile not shared") == 2
    french = page({"Accept-Language": "fr"})
    assert 'pill-ok">Acceptée<' in french and "Remove from shortlist" not in french


def test_the_applicant_pages_kept_parts_follow_what_they_show(app, client, db, listed, login_as):
    """One application's page: the unsent forms' fields are kept with each page's token, a sent
    form shows what was sent and its errors; the slots offered and the shared profile follow
    the data."""
    from jobday.candidates.services import get_profile
    from jobday.scheduling import booking as bookings

    login_as(listed.recruiter)
    alice, bob = listed.applied
    url = f"/company/applicants/{alice.id}"

    def page(target=url) -> str:
        return _main(client.get(target, headers=EN).get_data(as_text=True))

    pending = page()
    assert 'name="decision-csrf_token"' in pending and "Choose accept or decline." not in pending
    other = app.test_client()
    colleague = factories.add_recruiter(listed.acme.company, first_name="Lea")
    db.session.commit()
    with other.session_transaction() as session:
        session.update({"_user_id": colleague.get_id(), "_fresh": True,
                        **session_policy.login_stamps(remembered=False)})
    theirs = _main(other.get(url, headers=EN).get_data(as_text=True))
    assert set(TOKEN.findall(theirs)) != set(TOKEN.findall(pending)) and len(set(TOKEN.findall(theirs))) == 1
    assert "keptcsrftokenhole" not in theirs and TOKEN.sub("", theirs) == TOKEN.sub("", pending)
    refused = client.post_form(url, {"decision-message": "Sent text", "decision-submit": "y"}, headers=EN)
    assert refused.status_code == 400
    assert "Choose accept or decline." in refused.get_data(as_text=True) and "Sent text" in refused.get_data(
        as_text=True)
    assert "Choose accept or decline." not in page() and "Sent text" not in page()

    for application in (alice, bob):
        applications.decide_application(application, actor=listed.recruiter, accept=True, message="")
    db.session.commit()
    slots = listed.acme_slots
    offered = page()
    assert f'<option value="{slots[1].id}">' in offered and f'<option value="{slots[2].id}">' in offered
    applications.propose_slot(bob, slots[1].id, actor=listed.recruiter)
    applications.confirm_proposal(bob, actor=listed.bob)  # Bob's now: not Alice's to take
    db.session.commit()
    assert f'value="{slots[1].id}"' not in page()
    biolab_twin = next(s for s in listed.biolab_slots if s.starts_at == slots[2].starts_at)
    bookings.book_slot(listed.alice, biolab_twin.id, actor=listed.alice, notify_candidate=False)
    db.session.commit()
    after = page()
    assert f'<option disabled value="{slots[2].id}">' in after and "another interview at that time" in after
    refused = client.post_form(url, {"propose-slot_id": "", "propose-submit": "y"}, headers=EN)
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert 'aria-invalid="true"' not in page()

    record_consents(listed.alice, {"share_with_all_exhibitors": True}, actor=listed.alice)
    profile = get_profile(listed.alice)
    profile.postcode = "4000"
    db.session.commit()
    assert "<dd>4000</dd>" in page()
    profile.postcode = "1348"
    db.session.commit()
    shown = page()
    assert "<dd>1348</dd>" in shown and "<dd>4000</dd>" not in shown
    assert "<dd>1348</dd>" in page(f"/company/applicants/{alice.id}")  # kept, the same
