"""Shared vocabularies: job areas, contract types, education levels, languages, regions.

Candidates' wishes and companies' offers use the same codes, so they live below both.
Each list holds ``(code, lazily translated label)`` pairs; the codes are stored.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

JOB_AREAS = (
    ("production", _l("Production")),
    ("quality_control", _l("Quality control")),
    ("quality_assurance", _l("Quality assurance")),
    ("rnd", _l("R&D")),
    ("maintenance", _l("Maintenance")),
    ("engineering", _l("Engineering")),
    ("regulatory", _l("Regulatory affairs")),
    ("logistics", _l("Logistics")),
    ("other", _l("Other")),
)

CONTRACT_TYPES = (
    ("permanent", _l("Permanent contract")),
    ("fixed_term", _l("Fixed-term contract")),
    ("internship", _l("Internship")),
    ("student_job", _l("Student job")),
)

EDUCATION_LEVELS = (
    ("cess", _l("Secondary school (CESS)")),
    ("bachelor", _l("Bachelor")),
    ("master", _l("Master")),
    ("phd", _l("PhD")),
    ("other", _l("Other")),
)

LANGUAGES = (
    ("fr", _l("French")),
    ("nl", _l("Dutch")),
    ("en", _l("English")),
    ("de", _l("German")),
)

REGIONS = (
    ("wallonia", _l("Wallonia")),
    ("brussels", _l("Brussels")),
    ("flanders", _l("Flanders")),
    ("abroad", _l("Outside Belgium")),
)


def codes(vocabulary) -> tuple[str, ...]:
    return tuple(code for code, _label in vocabulary)


def label(vocabulary, code: str) -> str:
    return str(dict(vocabulary).get(code, code))
