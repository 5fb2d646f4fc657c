"""The lines of the recruiter's list of candidates who wished to meet the company, their words
worked out here: a translation and two lists of labels per line cost more in the template than
the line's markup (25 lines a page)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from jobday.paging import Page
from jobday.scheduling.applicant_lists import WishedRow
from jobday.vocabulary import REGISTRY


@dataclass(frozen=True)
class WishLine:
    candidate_id: int
    name: str
    choice: str  # "choice 1"
    shared: bool
    profile: str  # of a shared profile: "Master · Production, R&D · French, English"


def wish_lines(page: Page[WishedRow]) -> Page[WishLine]:
    """``page`` with its rows as lines."""
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

    lines = [WishLine(row.candidate_id, row.name, choice(row.rank), row.shared, profile(row)) for row in page]
    return Page(lines, page.number, page.size, page.total, page.param)
