"""The personal data download: a zip with a JSON of every personal field, and the CV.

Besides the readable sections (account, profile, consents with their texts, registrations),
``records`` holds every row kept about the person, found through the schema itself: each table
with a column referring to the user, or to a row that is theirs (their profile, badges and the
leads companies keep about them), and the e-mails sent to them. A table added later is in the
download without changing this module; only secrets (the password hash, the calendar feed's
secret, attachments' bytes) are left out."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

from sqlalchemy import or_, select

from jobday.accounts.models import User
from jobday.candidates import cv
from jobday.candidates.consent import CONSENT_TEXT_VERSION, CONSENT_TEXTS
from jobday.candidates.models import Consent, Registration
from jobday.candidates.services import get_profile
from jobday.db import utcnow
from jobday.extensions import db


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# Rows of these tables that are the person's make the rows referring to them theirs too.
OWN_PARENTS = ("users", "candidate_profiles", "badges", "leads")
SECRETS = {("users", "password_hash"), ("users", "session_version"), ("calendar_feeds", "version")}


def _cell(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return f"({len(bytes(value))} bytes)"
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_cell(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _cell(item) for key, item in value.items()}
    return str(value)


def kept_records(user: User) -> dict[str, list[dict]]:
    """Every row kept about ``user``, by table (see the module)."""
    owned: dict[str, list] = {}
    records: dict[str, list[dict]] = {}
    for table in db.metadata.sorted_tables:  # parents before the tables that refer to them
        conditions = []
        for column in table.columns:
            for key in column.foreign_keys:
                parent = key.column.table.name
                values = {row[key.column.name] for row in owned.get(parent, ())}
                if values:
                    conditions.append(column.in_(values))
        if table.name == "users":
            conditions = [table.c.id == user.id]
        elif table.name == "outbound_emails":
            conditions.append(table.c.recipient == user.email)
        if not conditions:
            continue
        rows = [dict(row) for row in db.session.execute(
            select(table).where(or_(*conditions)).order_by(*table.primary_key.columns)).mappings()]
        if table.name in OWN_PARENTS:
            owned[table.name] = rows
        if rows:
            records[table.name] = [{name: _cell(value) for name, value in row.items()
                                    if (table.name, name) not in SECRETS} for row in rows]
    return records


def personal_data(user: User) -> dict:
    profile = get_profile(user)
    data = {
        "exported_at": utcnow().isoformat(),
        "account": {
            "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
            "language": user.locale, "roles": sorted(str(role) for role in user.roles),
            "created_at": _value(user.created_at), "email_confirmed_at": _value(user.email_confirmed_at),
            "last_login_at": _value(user.last_login_at),
        },
        "profile": None,
        "consents": [
            {"kind": row.kind, "granted": row.granted, "text_version": row.text_version,
             "text": str(CONSENT_TEXTS[row.kind]) if row.text_version == CONSENT_TEXT_VERSION
             and row.kind in CONSENT_TEXTS else None,
             "recorded_at": _value(row.recorded_at)}
            for row in db.session.scalars(
                select(Consent).where(Consent.user_id == user.id).order_by(Consent.id))
        ],
        "registrations": [
            {"edition": row.edition.name, "year": row.edition.year, "status": row.status,
             "created_at": _value(row.created_at), "registered_at": _value(row.registered_at),
             "waitlisted_at": _value(row.waitlisted_at), "offered_at": _value(row.offered_at),
             "offer_expires_at": _value(row.offer_expires_at), "withdrawn_at": _value(row.withdrawn_at)}
            for row in db.session.scalars(select(Registration).where(Registration.user_id == user.id)
                                          .order_by(Registration.id))
        ],
    }
    data["records"] = kept_records(user)
    if profile is not None:
        data["profile"] = {
            "phone": profile.phone, "postcode": profile.postcode, "region": profile.region,
            "education_level": profile.education_level, "field_of_study": profile.field_of_study,
            "years_experience": profile.years_experience,
            "availability_date": _value(profile.availability_date), "about": profile.about,
            "languages": profile.language_levels, "job_areas": profile.job_areas,
            "contract_types": profile.contract_types,
            "cv": None if not profile.has_cv else {
                "file_name": profile.cv_original_name, "size": profile.cv_size,
                "uploaded_at": _value(profile.cv_uploaded_at), "in_this_zip_as": "cv.pdf"},
            "created_at": _value(profile.created_at), "updated_at": _value(profile.updated_at),
        }
    return data


def build_export(user: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("jobday-data.json", json.dumps(personal_data(user), ensure_ascii=False, indent=2))
        profile = get_profile(user)
        content = cv.read_cv(profile) if profile is not None else None
        if content is not None:
            archive.writestr("cv.pdf", content)
    return buffer.getvalue()
