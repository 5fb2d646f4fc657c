"""The company side of exports: a recruiter downloads their own company's interview list,
the profiles its candidates agreed to share and its leads (met at the stand: the name only of
a candidate who took the access back); never another company's data."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_login import current_user

from jobday.accounts.limits import export_limit
from jobday.accounts.reauth import recent_login_required
from jobday.companies.services import approved_participation_of
from jobday.editions.services import current_edition
from jobday.security import Role, role_required
from jobday.staff import exports
from jobday.staff.audit import record_audit
from jobday.tabular import csv_response, xlsx_response
from jobday.web import attempt

bp = Blueprint("company_exports", __name__, url_prefix="/company/exports")


def _my_participation():
    participation = approved_participation_of(current_user, current_edition())
    if participation is None:
        abort(404)
    return participation


def _download(export: exports.Export, rows, participation, extension: str):
    name = export.filename(participation.edition.year, extension)
    if extension == "xlsx":
        return xlsx_response(export.headers, rows, name, title=str(export.label))
    return csv_response(export.headers, rows, name)


def _interviews(extension: str):
    participation = _my_participation()
    with attempt():
        record_audit("export", actor=current_user, object_type="participation", object_id=participation.id,
                     detail=f"kind=company_interviews;format={extension}")
    rows = exports.interview_rows(participation.edition, participation_id=participation.id)
    return _download(exports.EXPORTS["interviews"], rows, participation, extension)


def _profiles(extension: str):
    participation = _my_participation()
    with attempt():
        record_audit("cv_view", actor=current_user, object_type="participation", object_id=participation.id,
                     detail=f"kind=company_profiles;format={extension}")
    return _download(exports.COMPANY_PROFILES, exports.company_profile_rows(participation), participation,
                     extension)


@bp.get("/interviews.csv")
@role_required(Role.RECRUITER)
@recent_login_required
@export_limit
def interviews():
    return _interviews("csv")


@bp.get("/interviews.xlsx")
@role_required(Role.RECRUITER)
@recent_login_required
@export_limit
def interviews_xlsx():
    return _interviews("xlsx")


@bp.get("/profiles.csv")
@role_required(Role.RECRUITER)
@recent_login_required
@export_limit
def profiles():
    return _profiles("csv")


@bp.get("/profiles.xlsx")
@role_required(Role.RECRUITER)
@recent_login_required
@export_limit
def profiles_xlsx():
    return _profiles("xlsx")


def _leads(extension: str):
    from jobday.leads import exports as lead_exports
    from jobday.leads.forms import filters_from

    participation = _my_participation()
    with attempt():
        record_audit("export", actor=current_user, object_type="participation", object_id=participation.id,
                     detail=f"kind=company_leads;format={extension}")
    rows = list(lead_exports.lead_rows(participation.company_id, participation.edition_id, actor=current_user,
                                       filters=filters_from(request.args)))
    return _download(lead_exports.LEADS, rows, participation, extension)


@bp.get("/leads.csv")
@role_required(Role.RECRUITER)
@recent_login_required
@export_limit
def leads_csv():
    return _leads("csv")


@bp.get("/leads.xlsx")
@role_required(Role.RECRUITER)
@recent_login_required
@export_limit
def leads_xlsx():
    return _leads("xlsx")
