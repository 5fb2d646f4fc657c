"""Matchmaking: a deterministic score between candidates' profiles and companies' offers, with
its reasons, for the candidates (companies and offers to meet) and the companies (candidates
who match their offers)."""
