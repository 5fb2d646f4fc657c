""""Companies you should meet" on the candidate's home: the best-matching exhibitors of the
edition with their reasons; nothing when no offer fits the profile."""

from __future__ import annotations

from jobday.candidates.home import HomeSection
from jobday.matching import loading
from jobday.matching.reasons import company_reasons, offer_reasons
from jobday.matching.score import rank_companies, rank_offers

SHOWN = 5


def recommendations(user_id: int, edition_id: int, limit: int = SHOWN) -> list[dict]:
    profile = loading.profile_of(user_id)
    if profile is None:
        return []
    exhibitors = loading.exhibitors(edition_id)
    ranking = rank_companies(profile, loading.edition_offers(edition_id, in_areas=profile.job_areas),
                             name_of=lambda cid: exhibitors[cid].name if cid in exhibitors else "")
    return [{"exhibitor": exhibitors[m.company_id], "match": m, "reasons": company_reasons(m.reasons)}
            for m in ranking[:limit] if m.company_id in exhibitors]


def companies_to_meet_section(user, edition, registration) -> HomeSection | None:
    if edition is None:
        return None
    return HomeSection("matching/_home_section.html", {"recommendations": recommendations(user.id, edition.id)})


def rank_offers_for(user, edition, offers) -> list[tuple]:
    """"Best match" on the offer list: the given offers that fit the candidate's profile first
    (best first, with their reasons), then the others in their order, without reasons."""
    profile = loading.profile_of(user.id) if edition is not None else None
    if profile is None:
        return [(offer, []) for offer in offers]
    by_id = {offer.id: offer for offer in offers}
    fitting_areas = loading.edition_offers(edition.id, in_areas=profile.job_areas)
    scored = rank_offers(profile, [o for o in fitting_areas if o.id in by_id])
    first = [(by_id[m.offer.id], offer_reasons(m)) for m in scored]
    fitting = {m.offer.id for m in scored}
    return first + [(offer, []) for offer in offers if offer.id not in fitting]


def rank_exhibitors_for(user, edition, rows) -> list[tuple]:
    """"Best match" on the exhibitors: the given (company, participation) rows whose offers fit
    the candidate's profile first (best first, with their reasons), then the others in their
    order, without reasons."""
    profile = loading.profile_of(user.id) if edition is not None else None
    if profile is None:
        return [(row, []) for row in rows]
    by_company = {row[0].id: row for row in rows}
    names = {company_id: row[0].name for company_id, row in by_company.items()}
    offers = [o for o in loading.edition_offers(edition.id, in_areas=profile.job_areas)
              if o.company_id in by_company]
    ranking = rank_companies(profile, offers, name_of=lambda cid: names.get(cid, ""))
    first = [(by_company[m.company_id], company_reasons(m.reasons)) for m in ranking]
    fitting = {m.company_id for m in ranking}
    return first + [(row, []) for row in rows if row[0].id not in fitting]
