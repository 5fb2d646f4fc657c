"""The personal data download: a zip with a JSON of every personal field, and the CV."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

from sqlalchemy import select

from jobday.accounts.models import User
from jobday.candidates import cv
from jobday.candidates.models import Consent, Registration
from jobday.candidates.services import get_profile
from jobday.db import utcnow
from jobday.extensions import db


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


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
