"""Candidates who match the company's offers (``/company/matches``): among the candidates
registered for the edition who share their profile with every exhibitor, ranked by the match
score with its reasons, each with "invite to apply" or "propose a slot". A candidate who took
the company's access back at its stand is left out."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from jobday import paging
from jobday.leads import invitations, services
from jobday.leads.blueprint import bp, my_participation
from jobday.leads.models import Lead
from jobday.leads.views import invite_form, recruiter_required
from jobday.matching import loading
from jobday.matching.reasons import company_reasons
from jobday.matching.score import CandidateMatch, rank_candidates
from jobday.vocabulary import EducationLevel

SHOWN = 50  # the best matches
PER_PAGE = 20  # each with its forms: a page at a time


@dataclass
class MatchRow:
    candidate_id: int
    name: str
    level: str
    match: CandidateMatch
    reasons: list[str]
    invitation: object | None
    lead_id: int | None


@bp.get("/company/matches")
@recruiter_required
def matches():
    participation = my_participation()
    company_id, edition_id = participation.company_id, participation.edition_id
    withdrawn = select(Lead.candidate_id).where(Lead.company_id == company_id, Lead.edition_id == edition_id,
                                                Lead.access_withdrawn_at.is_not(None))
    offers = loading.company_offers(company_id, edition_id)
    profiles, names = loading.sharing_candidates(edition_id, excluded=withdrawn,
                                                 in_areas={area for offer in offers for area in offer.job_areas})
    full_names = {cid: f"{first} {last}".strip() for cid, (first, last) in names.items()}
    ranked = rank_candidates(profiles, company_id, offers,
                             name_of=lambda cid: " ".join(reversed(names.get(cid, ("", "")))))[:SHOWN]
    shown = paging.page_of(ranked, paging.requested(), PER_PAGE)
    sent = invitations.invitations_of_company(participation, [found.profile.candidate_id for found in shown],
                                              actor=current_user)
    leads = services.lead_ids_by_candidate(company_id, edition_id)
    shown.items = [MatchRow(found.profile.candidate_id, full_names.get(found.profile.candidate_id, ""),
                            EducationLevel.label_of(found.profile.education_level),
                            found, company_reasons(found.match.reasons), sent.get(found.profile.candidate_id),
                            leads.get(found.profile.candidate_id))
                   for found in shown]
    return render_template("leads/matches.html", participation=participation, rows=shown, has_offers=bool(offers),
                           invite_form=invite_form(participation))
