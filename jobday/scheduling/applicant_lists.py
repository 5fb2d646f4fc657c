"""The recruiter's two lists of people: the company's applicants (filtered, sorted) and the
candidates who wished to meet it, each a page at a time (``jobday.paging``), with what the
company may see of each person. A popular company has hundreds: the lists read plain rows
(to filter, sort and count), and the job areas and languages only for the page shown; the
number of queries does not grow with the list. The statements are sent to the driver
(``jobday.driver_sql``), or for the page of wishes (its LIMIT is not plain SQL for it) through
the session's connection: without the ORM's handling of a statement (nothing to flush here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, literal, select, union_all

from jobday.accounts.models import User
from jobday.candidates.consent import shares_profile_with_company
from jobday.candidates.models import (
    CandidateJobArea,
    CandidateLanguage,
    CandidateProfile,
    Registration,
    RegistrationStatus,
)
from jobday.collation import collated
from jobday.companies.access import require_member
from jobday.companies.models import Participation
from jobday.driver_sql import DriverStatement
from jobday.extensions import db
from jobday.paging import Page, clamp, page_of
from jobday.scheduling.applications import shortlisted_ids
from jobday.scheduling.booking import DEFAULT_MAX_PER_CANDIDATE
from jobday.scheduling.models import Application, InterviewPolicy, Shortlist, Wish
from jobday.vocabulary import EducationLevel, as_code, codes_of, split_codes

# Whether each person on a list shares their profile with the company, read with the list; the
# rule's sub-queries built once (building them cost as much as running the list).
_SHARES_AS_APPLICANT = shares_profile_with_company(User.id, bindparam("edition_id"), applied_or_booked=True)
_SHARES_AS_WISHER = shares_profile_with_company(User.id, bindparam("edition_id"),
                                                applied_or_booked=Application.id.is_not(None))

LEVEL_ORDER = {"cess": 0, "bachelor": 1, "master": 2, "phd": 3, "other": 4}


@dataclass
class ApplicantRow:
    """An application as the list shows it: plain values, not ORM records."""

    application_id: int
    applied_at: datetime
    status: str
    candidate_id: int
    name: str
    shared: bool
    shortlisted: bool
    education_level: str | None


# The company's applications with their candidates, whose registration is a condition, not a
# join: SQLite then starts from the company's applications, not from every registration of the
# edition. Built once, with and without the status filter.
_APPLICANTS = (
    select(Application.id, Application.created_at, as_code(Application.status).label("status"),
           User.id.label("user_id"), User.first_name, User.last_name, User.email,
           as_code(CandidateProfile.education_level).label("education_level"), _SHARES_AS_APPLICANT.label("shared"))
    .join(User, User.id == Application.candidate_id)
    .join(CandidateProfile, CandidateProfile.user_id == User.id, isouter=True)
    .where(Application.participation_id == bindparam("participation_id"),
           select(Registration.id).where(Registration.user_id == User.id,
                                         Registration.edition_id == bindparam("edition_id"),
                                         Registration.status == RegistrationStatus.REGISTERED).exists())
)
_APPLICANTS_WITH_STATUS = DriverStatement(_APPLICANTS.where(Application.status == bindparam("status")))
_APPLICANTS = DriverStatement(_APPLICANTS)
_display_name = User.display_name.fget  # reads first_name, last_name and email: a row has them


def applicants(participation: Participation, *, actor: User, status: str = "", level: str = "", area: str = "",
               sort: str = "newest", shortlisted: set[int] | None = None, page: int = 1,
               per_page: int | None = None) -> Page[ApplicantRow]:
    """The company's applicants with what it may see of them; filters apply only to what
    the candidate shares (a hidden profile is never filtered on). ``per_page`` None: all."""
    require_member(participation.company_id, actor)
    values = {"participation_id": participation.id, "edition_id": participation.edition_id}
    if status:
        found = _APPLICANTS_WITH_STATUS.session_all(**values, status=status)
    else:
        found = _APPLICANTS.session_all(**values)
    sharing = {row.user_id for row in found if row.shared}
    in_area = _with_area(sharing, area) if area else set()
    kept = [row for row in found
            if (not level or (row.shared and row.education_level == level))
            and (not area or row.user_id in in_area)]
    if sort == "oldest":
        kept.sort(key=lambda r: (r.created_at, r.id))
    elif sort == "name":
        kept.sort(key=lambda r: (r.last_name.lower(), r.first_name.lower()))
    elif sort == "level":
        kept.sort(key=lambda r: (-LEVEL_ORDER.get((r.education_level if r.shared else None) or "", -1), r.id))
    else:
        kept.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    shown = page_of(kept, page, per_page or max(1, len(kept)))
    short = shortlisted_ids(participation.id) if shortlisted is None else shortlisted
    rows = [ApplicantRow(row.id, row.created_at, row.status, row.user_id, _display_name(row), bool(row.shared),
                         row.user_id in short, row.education_level if row.shared else None)
            for row in shown]
    return Page(rows, shown.number, shown.size, shown.total)


_IN_AREA = select(CandidateJobArea.user_id).where(CandidateJobArea.user_id.in_(bindparam("ids", expanding=True)),
                                                   CandidateJobArea.area == bindparam("area"))


def _with_area(candidate_ids: set[int], area: str) -> set[int]:
    if not candidate_ids:
        return set()
    return set(db.session.connection().execute(_IN_AREA, {"ids": list(candidate_ids), "area": area}).scalars())


@dataclass
class WishedRow:
    """A candidate who wished to meet the company, with what they share of their profile."""

    rank: int
    candidate_id: int
    name: str
    shared: bool
    education_level: EducationLevel | None
    job_areas: tuple[str, ...]  # tuples: a page's rows are a key of its kept markup
    languages: tuple[str, ...]


@dataclass
class WishSummary:
    """How many candidates listed the company, and at which rank (``[(1, 40), (2, 35), ...]``)."""

    total: int
    by_rank: list[tuple[int, int]]


_WISH_SUMMARY = DriverStatement(select(Wish.rank, func.count())
                                .where(Wish.participation_id == bindparam("participation_id"))
                                .group_by(Wish.rank).order_by(Wish.rank))


def wish_summary(participation: Participation) -> WishSummary:
    by_rank = [(rank, count) for rank, count in _WISH_SUMMARY.session_all(participation_id=participation.id)]
    return WishSummary(sum(count for _rank, count in by_rank), by_rank)


@dataclass
class BesideTheLists:
    """What the page shows beside its two lists: who is shortlisted, the wishes by rank, and how
    many interviews one candidate may have with the company."""

    shortlisted: set[int]
    wishes: WishSummary
    interview_limit: int


# The three in one statement (one statement each cost more to ask than to answer).
_BESIDE = DriverStatement(union_all(
    select(literal("shortlisted").label("kind"), Shortlist.candidate_id.label("value"), literal(0).label("count"))
    .where(Shortlist.participation_id == bindparam("participation_id")),
    select(literal("rank"), Wish.rank, func.count()).where(Wish.participation_id == bindparam("participation_id"))
    .group_by(Wish.rank),
    select(literal("limit"), InterviewPolicy.max_per_candidate, literal(0))
    .where(InterviewPolicy.participation_id == bindparam("participation_id")),
))


def beside_the_lists(participation: Participation) -> BesideTheLists:
    """``shortlisted_ids``, ``wish_summary`` and ``booking.max_per_candidate`` in one statement."""
    shortlisted, by_rank, limit = set(), [], None
    for kind, value, count in _BESIDE.session_all(participation_id=participation.id):
        if kind == "shortlisted":
            shortlisted.add(value)
        elif kind == "rank":
            by_rank.append((value, count))
        else:
            limit = value
    by_rank.sort()
    return BesideTheLists(shortlisted, WishSummary(sum(count for _rank, count in by_rank), by_rank),
                          limit or DEFAULT_MAX_PER_CANDIDATE)


def wish_list(participation: Participation, *, page: int = 1, per_page: int | None = None,
              total: int | None = None) -> Page[WishedRow]:
    """The candidates who listed the company, by rank then name; level, job areas and languages
    of those who share their profile with it (for those who also applied here, their consent to
    share with the companies they apply to counts). ``total``: the count, when the page already
    has it (``wish_summary``)."""
    if total is None:
        total = wish_summary(participation).total
    size = per_page or max(1, total)
    number = clamp(page, total, size)
    if not total:
        return Page([], number, size, total, "wishes_page")
    found = _wish_page().session_all(participation_id=participation.id, edition_id=participation.edition_id,
                                     offset=(number - 1) * size, limit=size)
    rows = [WishedRow(row.rank, row.user_id, _display_name(row), True,
                      EducationLevel(row.education_level) if row.education_level else None,
                      _sorted_codes(row.areas), _sorted_codes(row.languages))
            if row.shared else WishedRow(row.rank, row.user_id, _display_name(row), False, None, (), ())
            for row in found]
    return Page(rows, number, size, total, "wishes_page")


_WISH_PAGES: dict = {}  # the page's statement per collation (the reader's language, the database's)


def _wish_page():
    """The page's wishes first, then what is shown of each: the sharing rule is a sub-query a
    row, worth asking for the page's rows only."""
    last_name = collated(User.last_name)  # kept per collation: a key
    statement = _WISH_PAGES.get(last_name)
    if statement is None:
        order = (Wish.rank, last_name, collated(User.first_name), Wish.id)
        page_ids = (select(Wish.id).join(User, User.id == Wish.candidate_id)
                    .where(Wish.participation_id == bindparam("participation_id"))
                    .order_by(*order).offset(bindparam("offset")).limit(bindparam("limit")).subquery())
        # Straight to the driver: finding this tree of sub-queries in SQLAlchemy's cache cost
        # more than SQLite's own work for a page of wishes.
        statement = _WISH_PAGES[last_name] = DriverStatement(
            select(Wish.rank, User.id.label("user_id"), User.first_name, User.last_name, User.email,
                   as_code(CandidateProfile.education_level).label("education_level"),
                   _SHARES_AS_WISHER.label("shared"), _WISHER_AREAS.label("areas"),
                   _WISHER_LANGUAGES.label("languages"))
            .join(page_ids, page_ids.c.id == Wish.id)
            .join(User, User.id == Wish.candidate_id)
            .outerjoin(CandidateProfile, CandidateProfile.user_id == User.id)
            .outerjoin(Application, (Application.participation_id == Wish.participation_id)
                       & (Application.candidate_id == Wish.candidate_id))
            .order_by(*order))
    return statement


# Each wisher's job areas and languages, read with the page's rows; shown only for those who
# share their profile.
_WISHER_AREAS = codes_of(CandidateJobArea.area, CandidateJobArea.user_id == User.id)
_WISHER_LANGUAGES = codes_of(CandidateLanguage.language, CandidateLanguage.user_id == User.id)


def _sorted_codes(codes: str | None) -> tuple[str, ...]:
    return tuple(sorted(split_codes(codes)))
