"""A company's leads as rows for its CSV and Excel exports (written by ``jobday.tabular``, in
the reader's language: labels, not codes). A lead whose candidate took the access back keeps
the name only: every other cell is left empty, and "Profile shared" says no."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from jobday.accounts.models import User
from jobday.leads.services import LeadFilters, company_leads
from jobday.leads.vocabulary import LeadState
from jobday.tabular import table_phone


@dataclass(frozen=True)
class LeadExport:
    label: object
    headers: tuple  # lazily translated: read in the language of whoever downloads
    file_stem: object

    def filename(self, year: int, extension: str) -> str:
        return f"{self.file_stem}-{year}.{extension}"


LEADS = LeadExport(_l("Leads"), (
    _l("Family name"), _l("First name"), _l("Profile shared"), _l("E-mail"), _l("Phone"), _l("Education level"),
    _l("Field of study"), _l("Job areas"), _l("Contract types"), _l("Languages"), _l("Region"), _l("Rating"),
    _l("Tags"), _l("Follow-up"), _l("Offer discussed"), _l("Note"), _l("First scanned"), _l("Last scanned"),
    _l("Scanned by")), _l("leads"))


def lead_rows(company_id: int, edition_id: int, *, actor: User,
              filters: LeadFilters | None = None) -> Iterator[tuple]:
    for row in company_leads(company_id, edition_id, actor=actor, filters=filters, with_profiles=True):
        lead, user = row.lead, row.lead.candidate
        if not row.shared:
            yield (user.last_name, user.first_name, False) + ("",) * (len(LEADS.headers) - 3)
            continue
        profile = row.profile
        yield (
            user.last_name, user.first_name, True, user.email,
            table_phone(profile.phone) if profile else "",
            profile.education_level if profile else "",
            profile.field_of_study if profile else "",
            profile.job_areas if profile else [],
            profile.contract_types if profile else [],
            list(profile.language_levels) if profile else [],
            profile.region if profile else "",
            lead.rating if lead.rating is not None else "",
            [tag.name for tag in row.tags],
            LeadState(lead.state),
            lead.offer.title if lead.offer else "",
            lead.note,
            lead.first_scanned_at, lead.last_scanned_at,
            lead.last_scanned_by.display_name if lead.last_scanned_by else "",
        )
