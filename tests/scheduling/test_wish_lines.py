"""The lines of the candidates who wished to meet a company: a shared profile's level (or that
it is not said), job areas and languages in the reader's words; nothing of a hidden one."""

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
