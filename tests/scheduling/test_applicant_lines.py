"""The lines of the recruiter's lists: their addresses as url_for writes them, and for the
candidates who wished to meet the company a shared profile's level (or that it is not said),
job areas and languages in the reader's words; nothing of a hidden one."""

from __future__ import annotations

import re

import pytest

from jobday.candidates.consent import record_consents
from jobday.candidates.models import CandidateLanguage
from jobday.candidates.services import get_profile
from jobday.scheduling.models import Wish
from tests.scheduling.conftest import registered_candidate


@pytest.mark.parametrize("language, expected", [
    ("en", ["Level not said · Production, R&amp;D · English, French", "Master · Quality control"]),
    ("fr", ["Niveau non précisé · Production, R&amp;D · Anglais, Français", "Master · Contrôle qualité"]),
])
def test_a_wish_line_says_what_a_shared_profile_holds(client, db, fair, login_as, language, expected):
    dana = registered_candidate(fair.edition, first_name="Dana", email="dana@example.org",
                                job_areas=("rnd", "production"))
    profile = get_profile(dana)
    profile.education_level = None
    profile.languages = [CandidateLanguage(language="fr", level="native"),
                         CandidateLanguage(language="en", level="good")]
    for rank, person in enumerate((dana, fair.alice, fair.bob), start=1):
        db.session.add(Wish(edition_id=fair.edition.id, participation_id=fair.acme.id, candidate_id=person.id,
                            rank=rank))
    record_consents(dana, {"share_with_all_exhibitors": True}, actor=dana)
    record_consents(fair.alice, {"share_with_all_exhibitors": True}, actor=fair.alice)
    db.session.commit()
    login_as(fair.recruiter)
    html = client.get("/company/applicants", headers={"Accept-Language": language}).get_data(as_text=True)
    assert re.findall(r"<br><small>([^<]*)</small>", html) == expected
    assert html.count('<small class="hint">(') == 4  # three choices, one hidden profile
    assert ("choice 3" if language == "en" else "choix n°\u00a03") in html


def test_the_lines_addresses_are_url_for_s(app, db, fair, login_as):
    from flask import url_for

    from jobday.scheduling import applicant_lists, applications
    from jobday.scheduling.views.applicant_lines import applicant_lines, wish_lines

    fair.acme.booking_mode = "apply"
    for rank, person in enumerate((fair.alice, fair.bob), start=1):
        applications.apply_to_company(person, fair.acme, actor=person, motivation="Hello.")
        db.session.add(Wish(edition_id=fair.edition.id, participation_id=fair.acme.id, candidate_id=person.id,
                            rank=rank))
    applications.set_shortlisted(fair.acme, fair.bob.id, actor=fair.recruiter, shortlisted=True)
    db.session.commit()
    with app.test_request_context("/company/applicants"):
        rows = applicant_lists.applicants(fair.acme, actor=fair.recruiter, sort="name")
        wished = applicant_lists.wish_list(fair.acme)
        lines = applicant_lines(rows)
        assert [(line.url, line.shortlist_url, line.shortlisted) for line in lines] == [
            (url_for("scheduling.applicant", application_id=row.application_id),
             url_for("scheduling.shortlist", candidate_id=row.candidate_id), row.candidate_id == fair.bob.id)
            for row in rows]
        assert [(line.shortlist_url, line.shortlisted) for line in wish_lines(wished, {fair.bob.id})] == [
            (url_for("scheduling.shortlist", candidate_id=person.id), person is fair.bob)
            for person in (fair.alice, fair.bob)]
