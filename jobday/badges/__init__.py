"""Badges: unguessable codes, PDF badges for every person of an edition, bulk printing."""
