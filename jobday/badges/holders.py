"""Who gets a badge at an edition, with what is printed on it (read-only queries).

  staff       users holding the staff or admin (organiser) role
  recruiter   members of a company whose participation in the edition is approved
  candidate   candidates whose registration is confirmed ("registered")
  visitor     never derived: walk-ins get a badge at the door (issued explicitly)

A person holding several roles gets one badge, for the first role in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from jobday.accounts.models import User, UserRole
from jobday.badges.models import display_hash
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.models import APPROVED, Company, CompanyMember, Participation
from jobday.editions.models import Edition
from jobday.extensions import db
from jobday.security import Role

PRECEDENCE = ("staff", "recruiter", "candidate", "visitor")


@dataclass(frozen=True)
class Holder:
    user_id: int
    role: str
    first_name: str
    last_name: str
    company_id: int | None = None
    company_name: str = ""
    stand: str = ""
    locale: str = "fr"

    def snapshot(self) -> tuple[str, str, str, str, str, str]:
        return (self.role, self.first_name, self.last_name, self.company_name, self.stand, self.locale)

    @property
    def display_hash(self) -> str:
        return display_hash(*self.snapshot())


def _locale(value: str | None) -> str:
    languages = current_app.config["LANGUAGES"]
    return value if value in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def holders_for_edition(edition: Edition, *, user_id: int | None = None) -> dict[int, Holder]:
    """Everyone who should hold an active badge, by user id (one person when ``user_id``)."""
    found: dict[int, Holder] = {}

    def only(statement):
        return statement.where(User.id == user_id) if user_id is not None else statement

    staff = only(select(User.id, User.first_name, User.last_name, User.locale)
                 .join(UserRole, UserRole.user_id == User.id)
                 .where(UserRole.role.in_((str(Role.STAFF), str(Role.ADMIN))), User.is_disabled.is_(False))
                 .distinct())
    for uid, first, last, locale in db.session.execute(staff):
        found.setdefault(uid, Holder(uid, "staff", first, last, locale=_locale(locale)))

    recruiters = only(select(User.id, User.first_name, User.last_name, User.locale, Company.id, Company.name,
                             Participation.stand)
                      .join(CompanyMember, CompanyMember.user_id == User.id)
                      .join(Company, Company.id == CompanyMember.company_id)
                      .join(Participation, Participation.company_id == Company.id)
                      .where(Participation.edition_id == edition.id, Participation.status == APPROVED,
                             User.is_disabled.is_(False)))
    for uid, first, last, locale, company_id, company_name, stand in db.session.execute(recruiters):
        found.setdefault(uid, Holder(uid, "recruiter", first, last, company_id, company_name, stand or "",
                                     _locale(locale)))

    candidates = only(select(User.id, User.first_name, User.last_name, User.locale)
                      .join(Registration, Registration.user_id == User.id)
                      .where(Registration.edition_id == edition.id,
                             Registration.status == RegistrationStatus.REGISTERED,
                             User.is_disabled.is_(False)))
    for uid, first, last, locale in db.session.execute(candidates):
        found.setdefault(uid, Holder(uid, "candidate", first, last, locale=_locale(locale)))
    return found


def holder(user: User, edition: Edition) -> Holder | None:
    return holders_for_edition(edition, user_id=user.id).get(user.id)


def visitor(user: User) -> Holder:
    return Holder(user.id, "visitor", user.first_name, user.last_name, locale=_locale(user.locale))
