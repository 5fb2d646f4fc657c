"""The demo edition: realistic, deterministic (same seed, same data) and fast.

Rows are inserted in bulk and every demo account shares one password hash, so 1,200
candidates take a second or two rather than minutes of password hashing.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext, ngettext
from sqlalchemy import func, insert, select

from jobday.accounts.models import User, UserRole, new_session_version
from jobday.accounts.passwords import hash_password
from jobday.badges.services import sync_edition
from jobday.db import utcnow
from jobday.demo import data
from jobday.demo.seed_candidates import seed_candidates
from jobday.demo.seed_companies import seed_companies
from jobday.demo.seed_journeys import seed_journeys
from jobday.demo.seed_leads import seed_leads
from jobday.demo.seed_scheduling import seed_scheduling
from jobday.editions.services import create_edition, get_edition_by_year
from jobday.extensions import db
from jobday.security import Role

DEMO_PASSWORD = "demo-jobdays-wallonia"
DEMO_LOGINS = (
    ("admin", "admin@jobday.example"),
    ("staff", "door@jobday.example"),
    ("recruiter", "recruiter@jobday.example"),
    ("candidate", "candidate@jobday.example"),
)
STAFF_COUNT = 4


@dataclass
class SeedSummary:
    edition: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = ", ".join(_count(what, n) for what, n in self.counts.items())
        return gettext("Demo edition %(edition)s: %(parts)s.", edition=self.edition, parts=parts)


def _count(what: str, n: int) -> str:
    """The seed's counts in words (each msgid written out for the catalogue)."""
    words = {
        "organisers": lambda: ngettext("%(num)d organiser", "%(num)d organisers", n),
        "door staff": lambda: ngettext("%(num)d member of the door staff", "%(num)d members of the door staff", n),
        "recruiters": lambda: ngettext("%(num)d recruiter", "%(num)d recruiters", n),
        "candidates": lambda: ngettext("%(num)d candidate", "%(num)d candidates", n),
        "companies": lambda: ngettext("%(num)d company", "%(num)d companies", n),
        "approved companies": lambda: ngettext("%(num)d approved company", "%(num)d approved companies", n),
        "job offers": lambda: ngettext("%(num)d job offer", "%(num)d job offers", n),
        "interview slots": lambda: ngettext("%(num)d interview slot", "%(num)d interview slots", n),
        "candidate profiles": lambda: ngettext("%(num)d candidate profile", "%(num)d candidate profiles", n),
        "registrations": lambda: ngettext("%(num)d registration", "%(num)d registrations", n),
        "interview wishes": lambda: ngettext("%(num)d interview wish", "%(num)d interview wishes", n),
        "interviews booked": lambda: ngettext("%(num)d interview booked", "%(num)d interviews booked", n),
        "demo CV": lambda: ngettext("%(num)d demo CV", "%(num)d demo CVs", n),
        "applications to decide": lambda: ngettext("%(num)d application to decide", "%(num)d applications to decide",
                                                   n),
        "demo interviews": lambda: ngettext("%(num)d interview of the demo logins",
                                            "%(num)d interviews of the demo logins", n),
        "badges": lambda: ngettext("%(num)d badge", "%(num)d badges", n),
        "leads met at the stands": lambda: ngettext("%(num)d lead met at a stand", "%(num)d leads met at a stand",
                                                    n),
    }
    return words[what]()  # a count without words here is a KeyError in the seed's test


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count(User.id))) == 0


def seed_demo(*, candidates: int = 1200, companies: int = 60, year: int) -> SeedSummary:
    rng = random.Random(year)
    now = utcnow()
    edition = get_edition_by_year(year) or create_edition(
        year=year, name=f"Jobdays {year}", starts_on=_fair_day(year),
        venue_name="Biopark Charleroi Brussels South", venue_address="Rue Adrienne Bolland, 6041 Gosselies",
        map_url="https://www.openstreetmap.org/search?query=6041%20Gosselies",
        description_fr="Le salon de l'emploi des biotechnologies en Wallonie.",
        description_en="The biotech job fair of Wallonia.",
        booking_opens_at=now - timedelta(days=1),  # the demo is for trying: booking is open at once
    )
    builder = _UserBuilder(hash_password(DEMO_PASSWORD))
    builder.add("admin@jobday.example", "Anne", "Organisatrice", Role.ADMIN, locale="fr")
    builder.add("door@jobday.example", "Thomas", "Portier", Role.STAFF, locale="fr")
    for n in range(2, STAFF_COUNT + 1):
        first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.FAMILY_NAMES)
        builder.add(f"door{n}@jobday.example", first, last, Role.STAFF)
    builder.add("recruiter@jobday.example", "Sophie", "Recruteuse", Role.RECRUITER, locale="fr")
    for company in data.COMPANIES[:companies]:
        domain = company[4]
        for _ in range(rng.randint(1, 4)):
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.FAMILY_NAMES)
            builder.add(f"{_slug(first)}.{_slug(last)}@{domain}", first, last, Role.RECRUITER)
    builder.add("candidate@jobday.example", "Zoë", "Müller", Role.CANDIDATE, locale="fr")
    for n in range(candidates - 1):
        first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.FAMILY_NAMES)
        builder.add(f"{_slug(first)}.{_slug(last)}.{n}@candidates.example", first, last, Role.CANDIDATE,
                    locale=rng.choice(("fr", "fr", "fr", "en")))
    builder.flush()
    company_counts = seed_companies(edition, rng, companies=companies)
    candidate_counts = seed_candidates(edition, rng)
    journey_counts = seed_journeys(edition, rng)
    scheduling_counts = seed_scheduling(edition, rng)
    # Everyone taking part has a badge from the start, as they would have registering by hand.
    badges = len(sync_edition(edition, actor=None).issue)
    lead_counts = seed_leads(edition)
    return SeedSummary(edition=edition.name, counts={
        "organisers": 1, "door staff": STAFF_COUNT, "recruiters": builder.count(Role.RECRUITER),
        "candidates": max(candidates, 1), "companies": companies, **company_counts, **candidate_counts,
        **scheduling_counts, **journey_counts, "badges": badges, **lead_counts,
    })


def _fair_day(year: int) -> date:
    """The third Thursday of March."""
    day = date(year, 3, 1)
    day += timedelta(days=(3 - day.weekday()) % 7)
    return day + timedelta(weeks=2)


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_name.lower() if ch.isalnum()) or "x"


class _UserBuilder:
    """Collects users and inserts them with two bulk statements."""

    def __init__(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.rows: list[dict] = []
        self.roles: list[tuple[str, Role]] = []
        self.seen: set[str] = set()
        self.now = utcnow()

    def add(self, email: str, first: str, last: str, role: Role, locale: str | None = None) -> None:
        if email in self.seen:
            return
        self.seen.add(email)
        self.rows.append({
            "email": email, "password_hash": self.password_hash, "first_name": first,
            "last_name": last, "locale": locale, "email_confirmed_at": self.now,
            "created_at": self.now, "session_version": new_session_version(), "is_disabled": False,
        })
        self.roles.append((email, role))

    def count(self, role: Role) -> int:
        return sum(1 for _email, held in self.roles if held == role)

    def flush(self) -> None:
        existing = set(db.session.scalars(select(User.email)))
        rows = [row for row in self.rows if row["email"] not in existing]
        if rows:
            db.session.execute(insert(User), rows)
        ids = dict(db.session.execute(select(User.email, User.id)).all())
        role_rows = [{"user_id": ids[email], "role": str(role)} for email, role in self.roles
                     if email not in existing]
        if role_rows:
            db.session.execute(insert(UserRole), role_rows)
