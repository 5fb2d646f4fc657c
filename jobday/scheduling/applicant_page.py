"""What the recruiter's page of one applicant reads: the application with its candidate and
whether they share their profile with the company, in one statement (a shared profile is
``candidates.profile_summary.shown_profile``)."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from jobday.accounts.models import User
from jobday.candidates.consent import shares_profile_with_company
from jobday.companies.models import Participation
from jobday.extensions import db
from jobday.scheduling.models import Application

# The application, only if it is to the company's participation (another company's is not
# found), with its candidate and the sharing rule; built once.
_APPLICATION = (
    select(Application, User, shares_profile_with_company(User.id, bindparam("edition_id"),
                                                          applied_or_booked=True).label("shared"))
    .join(User, User.id == Application.candidate_id)
    .where(Application.id == bindparam("application_id"), Application.participation_id == bindparam("participation_id"))
)


def application_of(application_id: int, participation: Participation) -> tuple[Application, User, bool] | None:
    """The application to ``participation``, its candidate, and whether they share their profile
    with the company (they applied); None when the company has no such application."""
    found = db.session.execute(_APPLICATION, {"application_id": application_id, "participation_id": participation.id,
                                              "edition_id": participation.edition_id}).first()
    return None if found is None else (found[0], found[1], bool(found.shared))
