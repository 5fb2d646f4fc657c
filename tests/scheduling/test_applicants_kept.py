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
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


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
