"""Leads: recruiters scan the badges of the candidates who visit their stand, note them and
follow them up; candidates see which companies hold their details and can take that back."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Signal receivers (erasure, withdrawn registrations)."""
    from jobday.candidates.signals import candidate_erased, registration_withdrawn
    from jobday.leads import retention

    candidate_erased.connect(retention.erase_candidate_leads)
    registration_withdrawn.connect(retention.end_invitations_of_withdrawn)
