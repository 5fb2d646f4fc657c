"""The company side of exports: a recruiter downloads their own company's interview list
and the profiles its candidates agreed to share; never another company's data."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from jobday.accounts.limits import export_limit
from jobday.accounts.reauth import recent_login_required
from jobday.companies.access import membership_of
from jobday.companies.services import participation_for
from jobday.editions.services import current_edition
from jobday.security import Role, role_required
from jobday.staff import exports
from jobday.staff.audit import record_audit
from jobday.staff.export_views import csv_response
from jobday.web import attempt

bp = Blueprint("company_exports", __name__, url_prefix="/company/exports")


def _my_participation():
    member = membership_of(current_user)
    edition = current_edition()
    participation = participation_for(member.company, edition) if member and edition else None
    if participation is None or not participation.is_approved:
        abort(404)
    return participation


@bp.get("/interviews.csv")
@role_required(Role.RECRUITER)
@recent_login_required
@export_limit
def interviews():
    participation = _my_participation()
    with attempt():
        record_audit("export", actor=current_user, object_type="participation", object_id=participation.id,
                     detail="kind=company_interviews;format=csv")
    rows = exports.interview_rows(participation.edition, participation_id=participation.id)
    return csv_response(exports.EXPORTS["interviews"].headers, rows,
                        f"interviews-{participation.edition.year}.csv")


@bp.get("/profiles.csv")
@role_required(Role.RECRUITER)
@recent_login_required
@export_limit
def profiles():
    participation = _my_participation()
    with attempt():
        record_audit("cv_view", actor=current_user, object_type="participation", object_id=participation.id,
                     detail="kind=company_profiles;format=csv")
    return csv_response(exports.COMPANY_PROFILE_HEADERS, exports.company_profile_rows(participation),
                        f"profiles-{participation.edition.year}.csv")
