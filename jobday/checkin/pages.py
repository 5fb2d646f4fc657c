"""The door's pages: the scanner (``/door``) and its service worker, name search, walk-in
registration, gate devices (organisers) and the arrivals board (organisers)."""

from __future__ import annotations

from flask import abort, jsonify, make_response, redirect, render_template, request, session, url_for
from flask_babel import _
from flask_login import current_user
from sqlalchemy import select

from jobday.badges.blueprint import pdf_response
from jobday.badges.files import filename
from jobday.badges.layouts import SINGLE_LAYOUTS
from jobday.badges.models import Badge
from jobday.checkin import board as board_module
from jobday.checkin import offline
from jobday.checkin.blueprint import bp
from jobday.checkin.devices import create_device, devices_of, get_device, revoke_device
from jobday.checkin.forms import DOOR_FORMATS, DeviceForm, WalkInForm
from jobday.checkin.services import MESSAGES, inside_among
from jobday.checkin.walkin import print_at_the_door, register_walk_in
from jobday.collation import collated, like_folded
from jobday.db import utcnow
from jobday.editions.web import edition_or_404
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.forms import ActionForm
from jobday.security import Role, role_required
from jobday.web import attempt

SEARCH_MIN, SEARCH_LIMIT = 3, 20
DOOR_GATE, DOOR_LAYOUT = "door_gate", "door_badge_layout"  # the door's choices, kept in the session


@bp.get("/door")
@role_required(Role.STAFF)
def door():
    edition = edition_or_404()
    return render_template("checkin/door.html", edition=edition, can_force=current_user.has_role(Role.ADMIN),
                           messages=MESSAGES, walk_in_form=_walk_in_form(formdata=None), door_formats=DOOR_FORMATS,
                           walked_in=_walked_in(edition, request.args.get("walk_in", type=int)))


def _walk_in_form(**kwargs) -> WalkInForm:
    """The walk-in form, with the door's gate and badge format of the last walk-in."""
    return WalkInForm(gate=session.get(DOOR_GATE, "A"), layout=session.get(DOOR_LAYOUT, "a6"), **kwargs)


def _walked_in(edition, badge_id: int | None) -> Badge | None:
    """The walk-in just registered, whose badge the door page offers to print."""
    badge = db.session.get(Badge, badge_id) if badge_id else None
    return badge if badge is not None and badge.is_active and badge.edition_id == edition.id else None


@bp.get("/door/sw.js")
def service_worker():
    """The service worker, served from /door/ so that its scope covers the scanner page."""
    return offline.service_worker("/door", "checkin/door.html")


@bp.get("/door/search")
@role_required(Role.STAFF)
def search():
    """Badges of the edition whose holder's name or company contains the query (at least 3
    letters; accents and case do not matter), valid ones first, with whether the person is inside."""
    query = (request.args.get("q") or "").strip()[:100]
    if len(query) < SEARCH_MIN:
        return jsonify({"error": "too_short", "message": _("Type at least 3 letters.")}), 400
    edition = edition_or_404()
    badges = db.session.scalars(select(Badge).where(
        Badge.edition_id == edition.id, Badge.search_key.like(like_folded(query), escape="\\"))
        .order_by(Badge.status, collated(Badge.last_name), collated(Badge.first_name), Badge.id)
        .limit(SEARCH_LIMIT)).all()
    inside = inside_among([b.id for b in badges], edition.id)
    return jsonify({"badges": [{"code": b.code, "name": f"{b.first_name} {b.last_name}".strip(),
                                "company": b.company_name, "role": b.role, "role_label": b.role.label,
                                "status": b.status, "status_label": b.status.label, "inside": b.id in inside}
                               for b in badges]})


@bp.route("/door/walk-in", methods=["GET", "POST"])
@role_required(Role.STAFF)
def walk_in():
    """Registers a walk-in and lets them in, then back to the door, which offers the badge."""
    edition = edition_or_404()
    form = _walk_in_form()
    if form.validate_on_submit():
        session[DOOR_GATE], session[DOOR_LAYOUT] = form.gate.data, form.layout.data
        with attempt(tell=form.company) as outcome:
            badge, _entry = register_walk_in(first_name=form.first_name.data, last_name=form.last_name.data,
                                             email=form.email.data, kind=form.kind.data,
                                             company=form.company.data or "", gate=form.gate.data,
                                             edition=edition, actor=current_user)
        if outcome.ok:
            return redirect(url_for("checkin.door", walk_in=badge.id, _anchor="walked-in"))
    status = 400 if form.errors else 200
    return render_template("checkin/walk_in.html", form=form, edition=edition), status


@bp.get("/door/walk-in/<int:badge_id>.pdf")
@role_required(Role.STAFF)
def walk_in_badge(badge_id: int):
    """The walk-in's badge to print, in the door's format (door staff may print a badge of the
    current edition); recorded as printed, so the next bulk print of new badges leaves it out."""
    badge = _walked_in(edition_or_404(), badge_id)
    if badge is None:
        abort(404)
    layout = request.args.get("layout", session.get(DOOR_LAYOUT, "a6"))
    if layout not in SINGLE_LAYOUTS:
        abort(404)
    with attempt(tell=None):
        pdf = print_at_the_door(badge, layout, actor=current_user)
    return pdf_response(pdf, filename(badge))


@bp.route("/staff/door/devices", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def devices():
    edition = edition_or_404()
    form, token, status = DeviceForm(), None, 200
    if form.validate_on_submit():
        with attempt(tell=form.gate):
            _, token = create_device(edition, form.gate.data, actor=current_user, label=form.label.data or "")
    if form.errors:
        status = 400
    # The token is shown in this one answer and never again (only its hash is kept).
    return render_template("checkin/devices.html", form=form, token=token, edition=edition,
                           devices=devices_of(edition), action_form=ActionForm(formdata=None)), status


@bp.post("/staff/door/devices/<int:device_id>/revoke")
@role_required(Role.ADMIN)
def revoke(device_id: int):
    try:
        device = get_device(device_id)
    except DomainError:
        abort(404)
    if ActionForm().validate_on_submit():
        with attempt():
            revoke_device(device, actor=current_user)
    return redirect(url_for("checkin.devices"))


ARRIVALS_EVERY_SECONDS = 30


@bp.get("/staff/arrivals")
@role_required(Role.ADMIN)
def arrivals():
    edition = edition_or_404()
    return render_template("checkin/arrivals.html", edition=edition, board=board_module.board(edition),
                           now=utcnow(), refresh_seconds=ARRIVALS_EVERY_SECONDS)


@bp.get("/staff/arrivals/figures")
@role_required(Role.ADMIN)
def arrivals_figures():
    """The board's figures alone, which its page fetches to update them in place."""
    edition = edition_or_404()
    response = make_response(render_template("checkin/_arrivals_figures.html", board=board_module.board(edition),
                                             now=utcnow()))
    response.headers["Cache-Control"] = "no-store"
    return response
