"""The recruiter's two lists of people: the company's applicants (filtered, sorted) and the
candidates who wished to meet it, each a page at a time (``jobday.paging``), with what the
company may see of each person. A popular company has hundreds: the lists read light rows
for everyone (to filter, sort and count), and whole records only for the page shown; the
number of queries does not grow with the list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, bindparam, func, literal, select, type_coerce, union_all

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
from jobday.extensions import db
from jobday.paging import Page, clamp, page_of
from jobday.scheduling.applications import shortlisted_ids
from jobday.scheduling.models import Application, Wish

# Whether each person on a list shares their profile with the company, read with the list; the
# rule's sub-queries built once (building them cost as much as running the list).
_SHARES_AS_APPLICANT = shares_profile_with_company(User.id, bindparam("edition_id"), applied_or_booked=True)
_SHARES_AS_WISHER = shares_profile_with_company(User.id, bindparam("edition_id"),
                                                applied_or_booked=Application.id.is_not(None))

LEVEL_ORDER = {"cess": 0, "bachelor": 1, "master": 2, "phd": 3, "other": 4}


@dataclass
class ApplicantRow:
    application: Application
    candidate: User
    shared: bool
    shortlisted: bool
    education_level: str | None


def applicants(participation: Participation, *, actor: User, status: str = "", level: str = "", area: str = "",
               sort: str = "newest", shortlisted: set[int] | None = None, page: int = 1,
               per_page: int | None = None) -> Page[ApplicantRow]:
    """The company's applicants with what it may see of them; filters apply only to what
    the candidate shares (a hidden profile is never filtered on). ``per_page`` None: all."""
    require_member(participation.company_id, actor)
    query = (
        select(Application.id, Application.created_at, User.id, User.last_name, User.first_name,
               CandidateProfile.education_level,
               _SHARES_AS_APPLICANT)
        .join(User, User.id == Application.candidate_id)
        .join(CandidateProfile, CandidateProfile.user_id == User.id, isouter=True)
        .where(Application.participation_id == participation.id,
               # A condition, not a join: SQLite then starts from the company's applications,
               # not from every registration of the edition.
               select(Registration.id).where(Registration.user_id == User.id,
                                             Registration.edition_id == participation.edition_id,
                                             Registration.status == RegistrationStatus.REGISTERED).exists())
    )
    if status:
        query = query.where(Application.status == status)
    found = db.session.execute(query, {"edition_id": participation.edition_id}).all()
    sharing = {row[2] for row in found if row[6]}
    in_area = _with_area(sharing, area) if area else set()
    kept = [row for row in found
            if (not level or (row[2] in sharing and row[5] == level))
            and (not area or row[2] in in_area)]
    if sort == "oldest":
        kept.sort(key=lambda r: (r[1], r[0]))
    elif sort == "name":
        kept.sort(key=lambda r: (r[3].lower(), r[4].lower()))
    elif sort == "level":
        kept.sort(key=lambda r: (-LEVEL_ORDER.get((r[5] if r[2] in sharing else None) or "", -1), r[0]))
    else:
        kept.sort(key=lambda r: (r[1], r[0]), reverse=True)
    shown = page_of(kept, page, per_page or max(1, len(kept)))
    records = {application.id: (application, user) for application, user in db.session.execute(
        select(Application, User).join(User, User.id == Application.candidate_id)
        .where(Application.id.in_([row[0] for row in shown]))).all()} if shown else {}
    short = shortlisted_ids(participation.id) if shortlisted is None else shortlisted
    rows = []
    for row in shown:
        application, user = records[row[0]]
        shared = user.id in sharing
        rows.append(ApplicantRow(application, user, shared, user.id in short, row[5] if shared else None))
    return Page(rows, shown.number, shown.size, shown.total)


def _with_area(candidate_ids: set[int], area: str) -> set[int]:
    if not candidate_ids:
        return set()
    return set(db.session.scalars(select(CandidateJobArea.user_id).where(
        CandidateJobArea.user_id.in_(candidate_ids), CandidateJobArea.area == area)))


@dataclass
class WishedRow:
    """A candidate who wished to meet the company, with what they share of their profile."""

    wish: Wish
    candidate: User
    shared: bool
    education_level: str | None
    job_areas: list[str]
    languages: list[str]


@dataclass
class WishSummary:
    """How many candidates listed the company, and at which rank (``[(1, 40), (2, 35), ...]``)."""

    total: int
    by_rank: list[tuple[int, int]]


def wish_summary(participation: Participation) -> WishSummary:
    by_rank = [(rank, count) for rank, count in db.session.execute(
        select(Wish.rank, func.count()).where(Wish.participation_id == participation.id)
        .group_by(Wish.rank).order_by(Wish.rank)).all()]
    return WishSummary(sum(count for _rank, count in by_rank), by_rank)


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
    order = (Wish.rank, collated(User.last_name), collated(User.first_name), Wish.id)
    # The page's wishes first, then what is shown of each: the sharing rule is a sub-query a
    # row, worth asking for the page's rows only.
    page_ids = (select(Wish.id).join(User, User.id == Wish.candidate_id)
                .where(Wish.participation_id == participation.id)
                .order_by(*order).offset((number - 1) * size).limit(size).subquery())
    found = db.session.execute(
        select(Wish, User, CandidateProfile.education_level, _SHARES_AS_WISHER)
        .join(page_ids, page_ids.c.id == Wish.id)
        .join(User, User.id == Wish.candidate_id)
        .outerjoin(CandidateProfile, CandidateProfile.user_id == User.id)
        .outerjoin(Application, (Application.participation_id == Wish.participation_id)
                   & (Application.candidate_id == Wish.candidate_id))
        .order_by(*order), {"edition_id": participation.edition_id}
    ).all()
    shared = {user.id for _wish, user, _level, sharing in found if sharing}
    areas: dict[int, list[str]] = {}
    languages: dict[int, list[str]] = {}
    if shared:
        details = db.session.execute(union_all(
            select(CandidateJobArea.user_id, literal("area").label("kind"),
                   type_coerce(CandidateJobArea.area, String).label("code"))
            .where(CandidateJobArea.user_id.in_(shared)),
            select(CandidateLanguage.user_id, literal("language"), type_coerce(CandidateLanguage.language, String))
            .where(CandidateLanguage.user_id.in_(shared)),
        )).all()
        for user_id, kind, code in sorted(details, key=lambda row: (row[0], row[1], row[2])):
            (areas if kind == "area" else languages).setdefault(user_id, []).append(code)
    rows = [WishedRow(wish, user, user.id in shared, level if user.id in shared else None,
                      areas.get(user.id, []), languages.get(user.id, []))
            for wish, user, level, _sharing in found]
    return Page(rows, number, size, total, "wishes_page")
