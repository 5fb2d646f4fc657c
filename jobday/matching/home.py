""""Companies you should meet" on the candidate's home: the best-matching exhibitors of the
edition with their reasons; nothing when no offer fits the profile."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from jobday.candidates.home import HomeSection
from jobday.matching import loading
from jobday.matching.reasons import company_reasons, offer_reasons
from jobday.matching.score import Profile, rank_companies, rank_offers

SHOWN = 5
SECTION = "matching/_home_section.html"


def _to_meet(profile: Profile, rows, limit: int) -> list[dict]:
    """The best-matching exhibitors among ``rows`` (``loading.edition_offers_with_exhibitors``)."""
    offers = loading.offer_rows(row[:8] for row in rows)
    exhibitors = {row[1]: loading.Exhibitor(row[1], row[8], row[9], row[10] or "") for row in rows}
    ranking = rank_companies(profile, offers, name_of=lambda cid: exhibitors[cid].name)
    return [{"exhibitor": exhibitors[m.company_id], "match": m, "reasons": company_reasons(m.reasons)}
            for m in ranking[:limit]]


def _offers_to_meet(profile: Profile | None, edition_id: int) -> list:
    return loading.edition_offers_with_exhibitors(edition_id, profile.job_areas) if profile is not None else []


def recommendations(user_id: int, edition_id: int, limit: int = SHOWN) -> list[dict]:
    profile = loading.profile_of(user_id)
    return _to_meet(profile, _offers_to_meet(profile, edition_id), limit) if profile is not None else []


_MAX_OFFER_SETS, _MAX_SECTIONS = 64, 1024  # forgotten all at once beyond
# The offers as read (with their exhibitors) -> (the profile's choices, language, address root)
# -> the section's markup: all it shows, so never older than the offers and the profile just read
# (many candidates chose alike, and the home is asked for again and again).
_kept: dict[tuple, dict[tuple, Markup]] = {}


def _choices(profile: Profile | None) -> tuple | None:
    if profile is None:
        return None
    return (profile.education_level, profile.job_areas, profile.contract_types, profile.languages, profile.region)


def companies_to_meet_section(user, edition, registration) -> HomeSection | None:
    if edition is None:
        return None
    profile = loading.profile_of(user.id)
    rows = tuple(_offers_to_meet(profile, edition.id))
    if current_app.jinja_env.auto_reload:  # templates reloading (development): rendered each time
        return HomeSection(SECTION, html=_render(profile, rows))
    sections = _kept.get(rows)
    if sections is None:
        if len(_kept) >= _MAX_OFFER_SETS:
            _kept.clear()
        sections = _kept[rows] = {}
    key = (_choices(profile), str(get_locale()), request.script_root)
    html = sections.get(key)
    if html is None:
        if len(sections) >= _MAX_SECTIONS:
            sections.clear()
        html = sections[key] = _render(profile, rows)
    return HomeSection(SECTION, html=html)


def _render(profile: Profile | None, rows) -> Markup:
    found = _to_meet(profile, rows, SHOWN) if profile is not None else []
    return Markup(render_template(SECTION, context={"recommendations": found}))


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
