"""The lines of the recruiter's two lists (the applicants, the candidates who wished to meet the
company), their words and addresses worked out here: a link, a date, a translation or a list of
labels per line cost more in the template than the line's markup (25 lines a list)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from jobday.formats import format_datetime
from jobday.paging import Page
from jobday.scheduling.applicant_lists import ApplicantRow, WishedRow
from jobday.vocabulary import REGISTRY


@dataclass(frozen=True)
class ApplicantLine:
    url: str
    name: str
    shared: bool
    applied_on: str
    status: str
    shortlist_url: str
    shortlisted: bool


@dataclass(frozen=True)
class WishLine:
    name: str
    choice: str  # "choice 1"
    shared: bool
    profile: str  # of a shared profile: "Master · Production, R&D · French, English"
    shortlist_url: str
    shortlisted: bool


def applicant_lines(page: Page[ApplicantRow]) -> Page[ApplicantLine]:
    """``page`` with its rows as lines."""
    applicant_url = url_by_id("scheduling.applicant", "application_id")
    shortlist_url = url_by_id("scheduling.shortlist", "candidate_id")
    lines = [ApplicantLine(applicant_url(row.application_id), row.name, row.shared, format_datetime(row.applied_at),
                           row.status, shortlist_url(row.candidate_id), row.shortlisted) for row in page]
    return Page(lines, page.number, page.size, page.total, page.param)


def wish_lines(page: Page[WishedRow], shortlisted: set[int]) -> Page[WishLine]:
    """``page`` with its rows as lines."""
    shortlist_url = url_by_id("scheduling.shortlist", "candidate_id")
    words: dict[tuple[str, str], str] = {}
    choices: dict[int, str] = {}

    def word(vocabulary: str, code: str) -> str:
        found = words.get((vocabulary, code))
        if found is None:
            found = words[(vocabulary, code)] = REGISTRY[vocabulary](code).label
        return found

    def profile(row: WishedRow) -> str:
        if not row.shared:
            return ""
        parts = [row.education_level.label if row.education_level else _("Level not said")]
        if row.job_areas:
            parts.append(", ".join(word("JobArea", code) for code in row.job_areas))
        if row.languages:
            parts.append(", ".join(word("Language", code) for code in row.languages))
        return " · ".join(parts)

    def choice(rank: int) -> str:
        if rank not in choices:
            choices[rank] = _("choice %(n)d", n=rank)
        return choices[rank]

    lines = [WishLine(row.name, choice(row.rank), row.shared, profile(row), shortlist_url(row.candidate_id),
                      row.candidate_id in shortlisted) for row in page]
    return Page(lines, page.number, page.size, page.total, page.param)


def url_by_id(endpoint: str, name: str) -> Callable[[int], str]:
    """``url_for(endpoint, name=id)`` for the lines of a list, from one address built."""
    prefix, _marker, suffix = url_for(endpoint, **{name: _URL_MARKER}).partition(str(_URL_MARKER))
    return lambda object_id: f"{prefix}{object_id}{suffix}"


_URL_MARKER = 918273645  # an id no line has, replaced in the built address
