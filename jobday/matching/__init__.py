"""Matchmaking: a deterministic score between candidates' profiles and companies' offers, with
its reasons, for the candidates (companies and offers to meet) and the companies (candidates
who match their offers)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """"Companies you should meet" on the candidate's home, "best match" on the offer and
    exhibitor lists, and the companies the organiser's scheduler may suggest to candidates
    without wishes."""
    from jobday.candidates.home import register_home_section
    from jobday.companies.offers import register_company_suggester, register_exhibitor_ranker, register_offer_ranker
    from jobday.matching import home, suggestions

    register_home_section("companies_to_meet", home.companies_to_meet_section, order=12)
    register_offer_ranker(home.rank_offers_for)
    register_exhibitor_ranker(home.rank_exhibitors_for)
    register_company_suggester(suggestions.companies_for_candidates)
