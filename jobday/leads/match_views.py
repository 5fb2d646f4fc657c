"""Candidates who match the company's offers (``/company/matches``): among the candidates
registered for the edition who share their profile with every exhibitor, ranked by the match
score with its reasons, each with "invite to apply" or "propose a slot". A candidate who took
the company's access back at its stand is left out."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, select

from jobday import fragments, paging
from jobday.change_stamps import CANDIDATES, KeptByStamp
from jobday.companies.access import require_member
from jobday.db import utcnow
from jobday.driver_sql import DriverStatement
from jobday.leads.blueprint import bp, my_participation
from jobday.leads.models import InterviewInvitation, Lead
from jobday.leads.page_rows import SentInvitation, choices_of_slots
from jobday.leads.views import recruiter_required
from jobday.matching import loading
from jobday.matching.candidate_rows import rank_candidate_rows, ranked
from jobday.matching.reasons import company_reasons
from jobday.matching.score import Reasons
from jobday.scheduling.waitlist import free_future_slot_rows
from jobday.vocabulary import EducationLevel

SHOWN = 50  # the best matches
KEPT = 200  # the best matches kept between views: the page's 50 once the leads' withdrawals are left out
PER_PAGE = 20  # each with its forms: a page at a time
_MARKER = 987654321  # a candidate or lead id in a URL built once, replaced by each row's

# Those one of the company's offers fits, ranked; kept between requests while no candidate's
# data changed (``change_stamps``) and the offers read at each view are the same.
_sharing_fitting = loading.SharingInAreas(fitting=True)
_kept_rankings = KeptByStamp(CANDIDATES)
# The company's own, read at each view: its leads (a candidate who took its access back at its
# stand is left out) and its invitations (the latest one's status shown). As many rows as the
# company has leads and invitations, whatever the number of candidates.
_LEADS = DriverStatement(select(Lead.candidate_id, Lead.id, Lead.access_withdrawn_at.is_not(None)).where(
    Lead.company_id == bindparam("company_id"), Lead.edition_id == bindparam("edition_id")))
_INVITATIONS = DriverStatement(
    select(InterviewInvitation.candidate_id, InterviewInvitation.status)
    .where(InterviewInvitation.participation_id == bindparam("participation_id")).order_by(InterviewInvitation.id))


def _ranking(company_id: int, edition_id: int, offers: list) -> list[tuple]:
    return rank_candidate_rows(
        _sharing_fitting.rows(edition_id, {area for offer in offers for area in offer.job_areas},
                              offer_ids=[offer.id for offer in offers]),
        company_id, offers)


@bp.get("/company/matches")
@recruiter_required
def matches():
    participation = my_participation()
    company_id, edition_id = participation.company_id, participation.edition_id
    require_member(company_id, current_user)
    offers = loading.company_offers(company_id, edition_id)
    best, count = _kept_rankings.get(
        (edition_id, company_id, tuple(offers)), lambda: _best_of(_ranking(company_id, edition_id, offers)),
        keep_if=lambda: loading.company_offers(company_id, edition_id) == offers)  # no offer changed meanwhile
    leads = {candidate_id: (lead_id, withdrawn) for candidate_id, lead_id, withdrawn
             in _LEADS.session_all(company_id=company_id, edition_id=edition_id)}
    found = _not_withdrawn(best, leads)
    if len(found) < SHOWN and count > len(best):  # more left out than were kept: the whole ranking
        found = _not_withdrawn(_ranking(company_id, edition_id, offers), leads)
    shown = paging.page_of(found, paging.requested(), PER_PAGE)
    invitations = dict(_INVITATIONS.session_all(participation_id=participation.id))  # the latest last
    # What each line shows, as plain values (the list is kept under them): id, first name,
    # family name, level, reasons (score.Reasons's facts), latest invitation's status, lead id
    shown.items = [(c.candidate_id, c.first_name, c.last_name, c.education_level, _facts(c.match.reasons),
                    invitations.get(c.candidate_id), leads.get(c.candidate_id, (None,))[0])
                   for c in ranked(shown.items)]
    listed = _match_list(shown, participation.id) if shown else Markup("")
    return render_template("leads/matches.html", participation=participation, rows=shown, has_offers=bool(offers),
                           match_list=listed)


def _best_of(ranking: list[tuple]) -> tuple[tuple, int]:
    """The first ``KEPT`` of the ranking, and how many it has."""
    return tuple(ranking[:KEPT]), len(ranking)


def _not_withdrawn(ranking, leads: dict) -> list[tuple]:
    """The first ``SHOWN`` of the ranking, without those who took the company's access back at
    its stand (``leads``: candidate id -> lead id, withdrawn)."""
    return [entry for entry in ranking if not leads.get(entry[3], (None, False))[1]][:SHOWN]


def _facts(reasons: Reasons) -> tuple:
    return reasons.areas, reasons.levels, reasons.contracts, reasons.languages, reasons.regions


def _match_list(rows: paging.Page[tuple], participation_id: int) -> Markup:
    """The page's list with its forms, kept for what it shows (the rows, the free slots, where
    it starts), each form's CSRF token filled in."""
    slots = tuple(free_future_slot_rows(participation_id, utcnow()))
    return fragments.kept_with_token(("leads/_match_list.html", tuple(rows.items), slots, rows.first),
                                     lambda: _render_match_list(rows, slots))


def _render_match_list(rows: paging.Page[tuple], slots) -> str:
    marker = str(_MARKER)
    invite_url = url_for("leads.invite", candidate_id=_MARKER, back="matches")
    lead_url = url_for("leads.lead", lead_id=_MARKER)
    said: dict = {}  # many candidates fit for the same reasons: each set put in words once
    lines = []
    for candidate_id, first, last, level, facts, invitation, lead_id in rows:
        reasons = said.get(facts)
        if reasons is None:
            reasons = said[facts] = company_reasons(Reasons(*facts))
        lines.append(MatchLine(candidate_id, f"{first} {last}".strip(), EducationLevel.label_of(level), reasons,
                               SentInvitation(invitation) if invitation else None, lead_id,
                               invite_url.replace(marker, str(candidate_id)),
                               lead_url.replace(marker, str(lead_id)) if lead_id else None))
    return render_template("leads/_match_list.html", first=rows.first, lines=lines,
                           slot_choices=choices_of_slots(slots))


@dataclass
class MatchLine:
    """A row in words, as the template shows it."""

    candidate_id: int
    name: str
    level: str
    reasons: list[str]
    invitation: SentInvitation | None
    lead_id: int | None
    invite_url: str
    lead_url: str | None
