"""What is printed on one badge, prepared in Python: texts in the person's language, names
cleaned and sized to fit, so that the template only places them.

Two designs: ``card`` (85.6 × 54 mm, landscape; the credit-card layout and the A4 8-up
sheet) and ``a6`` (105 × 148 mm, portrait; the A6 layout and the A4 4-up sheet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from jobday.badges import textfit
from jobday.badges.codes import for_humans
from jobday.badges.models import BadgeRole
from jobday.formats import format_date_range

CANDIDATE, RECRUITER, STAFF, VISITOR = BadgeRole
ROLES = tuple(BadgeRole)


@dataclass(frozen=True)
class FaceSpec:
    """Room for the names on one design, in millimetres and points."""

    name_width_mm: float
    first_max_pt: float
    first_two_line_pt: float
    first_min_pt: float
    last_max_pt: float
    last_two_line_pt: float
    last_min_pt: float
    subtitle_max_pt: float
    subtitle_min_pt: float


SPECS = {
    # Text column beside the QR code: 85.6 - 4 (left) - 3 (gap) - 29 (QR) - 3 (right).
    "card": FaceSpec(46.0, first_max_pt=20, first_two_line_pt=14, first_min_pt=11,
                     last_max_pt=13, last_two_line_pt=10.5, last_min_pt=8.5,
                     subtitle_max_pt=9, subtitle_min_pt=7),
    # Full width less 8 mm on each side.
    "a6": FaceSpec(89.0, first_max_pt=32, first_two_line_pt=24, first_min_pt=16,
                   last_max_pt=20, last_two_line_pt=16, last_min_pt=12,
                   subtitle_max_pt=14, subtitle_min_pt=10),
}


@dataclass(frozen=True)
class BadgeData:
    """The badge's own data, as the database snapshot (or a synthetic person) has it."""

    code: str
    role: str
    first_name: str
    last_name: str
    company: str = ""
    stand: str = ""
    locale: str | None = None


@dataclass(frozen=True)
class EditionData:
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Face:
    code: str
    code_text: str
    role: str
    lang: str
    name: str  # as printed, cleaned: for the overflow report
    first: textfit.Fit
    last: textfit.Fit
    subtitle: textfit.Fit  # the company, or the role in the person's language
    stand: str
    edition_line: str
    note: str = ""  # candidates: what showing the badge at a stand shares

    @property
    def fits(self) -> bool:
        return self.first.fits and self.last.fits

    @property
    def subtitle_text(self) -> str:
        return self.subtitle.lines[0] if self.subtitle.lines else ""


def role_label(role: str) -> str:
    """In the current locale. French uses inclusive forms: "Candidat·e"."""
    return BadgeRole(role).label


def _texts_for(locale: str, edition: EditionData) -> tuple[dict[str, str], str, str, str]:
    with force_locale(locale):
        labels = {role: role_label(role) for role in ROLES}
        when = format_date_range(edition.starts_on, edition.ends_on)
        note = _("Scanned at a stand, this badge shares your profile with that company (not your CV).")
        return labels, f"{edition.name} · {when}", _("Stand %(stand)s", stand="{stand}"), note


def build_faces(items: list[BadgeData], edition: EditionData, design: str) -> list[Face]:
    spec = SPECS[design]
    default_locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    texts: dict[str, tuple[dict[str, str], str, str, str]] = {}
    faces = []
    for item in items:
        lang = item.locale if item.locale in languages else default_locale
        if lang not in texts:
            texts[lang] = _texts_for(lang, edition)
        labels, edition_line, stand_label, note = texts[lang]
        company = textfit.clean(item.company)
        stand = textfit.clean(item.stand)
        first, last = textfit.clean(item.first_name), textfit.clean(item.last_name)
        subtitle = company if item.role == RECRUITER and company else labels.get(item.role, item.role)
        faces.append(Face(
            code=item.code, code_text=for_humans(item.code), role=item.role, lang=lang,
            name=f"{first} {last}".strip(),
            first=textfit.fit(first, width_mm=spec.name_width_mm, max_pt=spec.first_max_pt,
                              min_pt=spec.first_min_pt, two_line_max_pt=spec.first_two_line_pt,
                              weight="bold"),
            last=textfit.fit(last, width_mm=spec.name_width_mm, max_pt=spec.last_max_pt,
                             min_pt=spec.last_min_pt, two_line_max_pt=spec.last_two_line_pt,
                             weight="regular"),
            subtitle=textfit.fit(subtitle, width_mm=spec.name_width_mm, max_pt=spec.subtitle_max_pt,
                                 min_pt=spec.subtitle_min_pt, weight="bold", wrap=False),
            stand=stand_label.replace("{stand}", stand) if stand and item.role == RECRUITER else "",
            edition_line=edition_line,
            note=note if item.role == CANDIDATE else "",
        ))
    return faces


def overflow_report(faces: list[Face]) -> list[str]:
    """The names that still do not fit after shrinking and wrapping."""
    return [face.name for face in faces if not face.fits]
