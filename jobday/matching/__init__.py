"""Matchmaking: a deterministic score between candidates' profiles and companies' offers, with
its reasons, for the candidates (companies and offers to meet) and the companies (candidates
who match their offers)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """"Companies you should meet" on the candidate's home, "best match" on the offer list."""
    from jobday.candidates.home import register_home_section
    from jobday.companies.offers import register_offer_ranker
    from jobday.matching import home

    register_home_section("companies_to_meet", home.companies_to_meet_section, order=12)
    register_offer_ranker(home.rank_offers_for)
