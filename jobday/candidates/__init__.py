"""Candidates: profile, CV, consent, registration to an edition, and self-service."""
