"""Candidates who match the company's offers (``/company/matches``): among the candidates
registered for the edition who share their profile with every exhibitor, ranked by the match
score with its reasons, each with "invite to apply" or "propose a slot". A candidate who took
the company's access back at its stand is left out."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select

from jobday import paging
from jobday.companies.access import require_member
from jobday.db import utcnow
from jobday.leads.blueprint import bp, my_participation
from jobday.leads.models import Lead
from jobday.leads.page_rows import SentInvitation, invitation_statuses, lead_ids_of, slot_choices
from jobday.leads.views import recruiter_required
from jobday.matching import loading
from jobday.matching.reasons import company_reasons
from jobday.matching.score import CandidateMatch, rank_candidates
from jobday.vocabulary import EducationLevel

SHOWN = 50  # the best matches
PER_PAGE = 20  # each with its forms: a page at a time
_MARKER = 987654321  # a candidate or lead id in a URL built once, replaced by each row's

# Those one of the company's offers fits; those who took its access back at its stand are left out.
_sharing_in_areas = loading.SharingInAreas(excluded=select(Lead.candidate_id).where(
    Lead.company_id == bindparam("company_id"), Lead.edition_id == bindparam("edition_id"),
    Lead.access_withdrawn_at.is_not(None)), fitting=True)


@dataclass
class MatchRow:
    candidate_id: int
    name: str
    level: str
    match: CandidateMatch
    reasons: list[str]
    invitation: SentInvitation | None
    lead_id: int | None
    invite_url: str
    lead_url: str | None


@bp.get("/company/matches")
@recruiter_required
def matches():
    participation = my_participation()
    company_id, edition_id = participation.company_id, participation.edition_id
    require_member(company_id, current_user)
    offers = loading.company_offers(company_id, edition_id)
    profiles, names = _sharing_in_areas(edition_id, {area for offer in offers for area in offer.job_areas},
                                        company_id=company_id, offer_ids=[offer.id for offer in offers])
    ranked = rank_candidates(profiles, company_id, offers,
                             name_of=lambda cid: " ".join(reversed(names.get(cid, ("", "")))))[:SHOWN]
    shown = paging.page_of(ranked, paging.requested(), PER_PAGE)
    ids = [found.profile.candidate_id for found in shown]
    sent = invitation_statuses(participation.id, ids)
    leads = lead_ids_of(company_id, edition_id, ids)
    marker = str(_MARKER)
    invite_url = url_for("leads.invite", candidate_id=_MARKER, back="matches")
    lead_url = url_for("leads.lead", lead_id=_MARKER)
    rows, said = [], {}  # many candidates fit for the same reasons: each set put in words once
    for found in shown:
        cid = found.profile.candidate_id
        first, last = names.get(cid, ("", ""))
        lead_id = leads.get(cid)
        reasons = said.get(found.match.reasons)
        if reasons is None:
            reasons = said[found.match.reasons] = company_reasons(found.match.reasons)
        rows.append(MatchRow(cid, f"{first} {last}".strip(), EducationLevel.label_of(found.profile.education_level),
                             found, reasons, sent.get(cid), lead_id,
                             invite_url.replace(marker, str(cid)),
                             lead_url.replace(marker, str(lead_id)) if lead_id else None))
    shown.items = rows
    return render_template("leads/matches.html", participation=participation, rows=shown, has_offers=bool(offers),
                           slot_choices=slot_choices(participation.id, utcnow()))
