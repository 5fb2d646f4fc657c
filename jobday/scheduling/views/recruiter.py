"""Recruiter pages: applicants (filter, sort, accept or decline, propose a slot), the
candidates who wished to meet the company (shortlist), the day per table (held, no-show,
release), the CV of a candidate who shares it, and the company's calendar file."""

from __future__ import annotations

import dataclasses
from operator import attrgetter

from flask import abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField

from jobday import fragments, paging, signals
from jobday.accounts.models import User
from jobday.candidates import cv
from jobday.candidates.cv_response import cv_response
from jobday.candidates.pages import profile_facts
from jobday.candidates.profile_summary import shown_profile
from jobday.candidates.services import get_profile
from jobday.companies.access import membership_of
from jobday.companies.not_yet import why_not_yet
from jobday.companies.services import participation_for
from jobday.db import utcnow
from jobday.editions.services import current_edition
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.formats import fair_zone, format_datetime
from jobday.scheduling import (
    agenda,
    applicant_lists,
    applicant_page,
    applications,
    availability,
    day,
    queries,
    waitlist,
)
from jobday.scheduling.forms import (
    ApplicantFilterForm,
    DecisionForm,
    LimitForm,
    OutcomeForm,
    ProposeForm,
    ShortlistForm,
)
from jobday.scheduling.models import APP_ACCEPTED
from jobday.scheduling.views.applicant_lines import applicant_lines, wish_lines
from jobday.scheduling.views.blueprint import bp, calendar_response
from jobday.scheduling.views.feed_links import private_feed_url
from jobday.scheduling.views.texts import time_text
from jobday.security import Role, role_required
from jobday.web import attempt, submitted_or_400

recruiter_required = role_required(Role.RECRUITER)
# A popular company's lists, a page at a time (a phone scrolled through 33,000 px of them).
APPLICANTS_PER_PAGE = 25
WISHES_PER_PAGE = 25


def _my_participation(*, why_not: str | None = None):
    """The recruiter's company at the current edition (approved), looked up once per request.
    Not approved (or no edition): a 404, or with ``why_not`` (a menu page's title) the page
    that says why it is empty."""
    if "my_participation" in g:
        return g.my_participation
    member = membership_of(current_user)
    if member is None:
        abort(404)
    edition = current_edition()
    participation = participation_for(member.company, edition)
    if participation is None or not participation.is_approved:
        if why_not is not None:
            abort(make_response(why_not_yet(why_not, member=member, edition=edition, participation=participation)))
        abort(404)
    # Held for the request: ``participation.edition`` then comes from the session's identity map
    # (which holds objects only while something refers to them), not from another query.
    g.my_edition, g.my_participation = edition, participation
    return participation


def _mine(find, object_id: int):
    """What ``find(object_id, actor)`` finds, when it belongs to the recruiter's company at this
    edition; anything else is a 404."""
    try:
        found = find(object_id, current_user)
    except DomainError:
        abort(404)
    if found.participation_id != _my_participation().id:
        abort(404)
    return found


@bp.get("/company/applicants")
@recruiter_required
def applicants():
    participation = _my_participation(why_not=_("Applicants"))
    asked, form = _asked_filters()
    status, level, area, sort = asked
    beside = applicant_lists.beside_the_lists(participation)
    rows = applicant_lists.applicants(
        participation,
        actor=current_user,
        status=status or "",
        level=level or "",
        area=area or "",
        sort=sort or "newest",
        shortlisted=beside.shortlisted,
        page=paging.requested("page"),
        per_page=APPLICANTS_PER_PAGE,
    )
    wished = applicant_lists.wish_list(participation, page=paging.requested("wishes_page"),
                                       per_page=WISHES_PER_PAGE, total=beside.wishes.total)
    filtered = bool(status or level or area)
    return render_template(
        "scheduling/applicants.html",
        participation=participation,
        limit_form=_limit_form(beside.interview_limit),
        filters=_applicant_filters(asked, form),
        rows=rows,
        applicant_list=_applicant_list(rows, filtered) if rows else "",
        wished=wished,
        wish_list=_wish_list(wished, beside) if wished else "",
    )


# The lists are kept for the rows they show (a line is worked out from its row, the language and
# the address), the page's address (the pager links to it) and what is said above them; the
# lines are worked out only to render them.
_APPLICANT_SHOWN = attrgetter(*(field.name for field in dataclasses.fields(applicant_lists.ApplicantRow)))
_WISH_SHOWN = attrgetter(*(field.name for field in dataclasses.fields(applicant_lists.WishedRow)))


def _applicant_list(rows: paging.Page, filtered: bool) -> Markup:
    key = ("scheduling/_applicant_list.html", request.full_path, rows.number, rows.size, rows.total, filtered,
           tuple(map(_APPLICANT_SHOWN, rows.items)))
    return fragments.kept_with_token(key, lambda: render_template(
        "scheduling/_applicant_list.html", rows=applicant_lines(rows), filtered=filtered))


def _wish_list(wished: paging.Page, beside: applicant_lists.BesideTheLists) -> Markup:
    summary = beside.wishes
    key = ("scheduling/_wish_list.html", request.full_path, wished.number, wished.size, wished.total,
           tuple(summary.by_rank), frozenset(beside.shortlisted), tuple(map(_WISH_SHOWN, wished.items)))
    return fragments.kept_with_token(key, lambda: render_template(
        "scheduling/_wish_list.html", wished=wish_lines(wished, beside.shortlisted), wish_summary=summary))


def _limit_form(limit: int) -> Markup:
    """The interview limit's form, kept for the limit it shows."""
    return fragments.kept_with_token(("scheduling/_limit_form.html", limit), lambda: render_template(
        "scheduling/_limit_form.html", limit_form=LimitForm(formdata=None, limit=limit)))


# The filters' fields (``ApplicantFilterForm``'s), as the address may send them.
_FILTER_FIELDS = tuple(name for name in dir(ApplicantFilterForm)
                       if isinstance(getattr(ApplicantFilterForm, name), UnboundField))
_VALID_FILTERS: dict[tuple, tuple] = {}  # what the address sent of them -> the form's values
_MAX_VALID_FILTERS = 1000  # forgotten all at once beyond (the valid choices: a few hundred)


def _asked_filters() -> tuple[tuple, ApplicantFilterForm | None]:
    """The filters' values (status, level, area, sort) as ``ApplicantFilterForm`` reads the
    address, and the form when it was built: what the address sends of the form's fields, once
    found valid, is known without it (the values depend on nothing else)."""
    sent = tuple(tuple(request.args.getlist(name)) for name in _FILTER_FIELDS)
    asked = _VALID_FILTERS.get(sent)
    if asked is not None:
        return asked, None
    form = ApplicantFilterForm(request.args)
    valid = form.validate()
    asked = (form.status.data, form.level.data, form.area.data, form.sort.data)
    if valid:
        if len(_VALID_FILTERS) >= _MAX_VALID_FILTERS:
            _VALID_FILTERS.clear()
        _VALID_FILTERS[sent] = asked
    return asked, form


def _applicant_filters(asked: tuple, form: ApplicantFilterForm | None) -> Markup:
    """The filters' HTML. Without an error it is the same for everyone reading a language with
    the same choices, so it is kept once rendered for the values it shows; the form is built
    only to render it."""
    with_errors = form is not None and any(field.errors for field in form)
    key = None if with_errors else ("scheduling/_applicant_filters.html", asked)
    return fragments.kept(key, lambda: render_template(
        "scheduling/_applicant_filters.html", form=form or ApplicantFilterForm(request.args)))


@bp.route("/company/applicants/<int:application_id>", methods=["GET", "POST"])
@recruiter_required
def applicant(application_id: int):
    participation = _my_participation()
    found = applicant_page.application_of(application_id, participation)
    if found is None:  # another company's, or none
        abort(404)
    application, candidate, shared = found
    now = utcnow()
    form = propose_form = offered = None  # nothing sent: the forms are built only to render their fields
    status = 200
    if request.method == "POST":
        form, propose_form = DecisionForm(prefix="decision"), ProposeForm(prefix="propose")
        if propose_form.submit.data:
            offered = _offer_slots(participation, candidate, now)
            propose_form.slot_id.choices = _slot_choices(*offered[1:])
        if form.submit.data and form.validate_on_submit():
            with attempt(_("Your decision is sent to the candidate.")) as outcome:
                applications.decide_application(
                    application,
                    actor=current_user,
                    accept=form.decision.data == "accept",
                    message=form.message.data,
                )
            if outcome.ok:
                return redirect(url_for("scheduling.applicant", application_id=application.id), code=303)
            status = outcome.error.status
        elif propose_form.submit.data and propose_form.validate_on_submit():
            with attempt(_("The slot is proposed; the candidate confirms it.")) as outcome:
                applications.propose_slot(application, propose_form.slot_id.data, actor=current_user)
            if outcome.ok:
                return redirect(url_for("scheduling.applicant", application_id=application.id), code=303)
            status = outcome.error.status
        else:
            status = 400
    # The slots to propose, and what became of a proposal, show once the application is accepted.
    if offered is None and application.status == APP_ACCEPTED:
        offered = _offer_slots(participation, candidate, now)
    their_day, free, clashes = offered or (None, [], {})
    profile = shown_profile(candidate.id) if shared else None
    return render_template(
        "scheduling/applicant.html",
        proposal_problem=availability.proposal_problem(application, their_day, now) if offered else None,
        clashes=clashes,
        application=application,
        candidate=candidate,
        shared=shared,
        profile=profile,
        profile_list=_profile_list(candidate, profile) if shared else "",
        decision_fields=_decision_fields(form) if application.status == "pending" else "",
        propose_fields=_propose_fields(propose_form, free, clashes) if application.status == APP_ACCEPTED else "",
        participation=participation,
    ), status


def _profile_list(candidate: User, profile) -> Markup:
    """What the candidate shares, as a definition list kept for what it shows: the values are the
    key, the terms being ``profile_facts``' own (the same for every profile, in a language)."""
    facts = profile_facts(candidate, profile)
    return fragments.kept_macro("macros/ui.html", "definition_list", tuple(value for _term, value in facts), facts)


# An unsent form's fields are kept (with each page's CSRF token): the decision's show nothing of
# the application, the proposal's the company's free slots and those the candidate cannot take.
# A sent form's are rendered with what was sent and its errors.
def _decision_fields(form: DecisionForm | None) -> Markup:
    sent = form is not None and form.submit.data
    return fragments.kept_with_token(None if sent else ("scheduling/_decision_fields.html",), lambda: render_template(
        "scheduling/_decision_fields.html", form=form if sent else DecisionForm(formdata=None, prefix="decision")))


def _propose_fields(form: ProposeForm | None, free: list, clashes: dict) -> Markup:
    sent = form is not None and form.submit.data
    shown = (tuple(free), tuple(sorted((slot_id, clash.kind) for slot_id, clash in clashes.items())))

    def render() -> str:
        unsent = None
        if not sent:
            unsent = ProposeForm(formdata=None, prefix="propose")
            unsent.slot_id.choices = _slot_choices(free, clashes)
        return render_template("scheduling/_propose_fields.html", propose_form=form if sent else unsent)

    return fragments.kept_with_token(None if sent else ("scheduling/_propose_fields.html", shown), render)


def _offer_slots(participation, candidate: User, now) -> tuple:
    """The candidate's day, the company's free slots and those the candidate cannot take."""
    free = waitlist.free_future_slot_rows(participation.id, now)
    their_day = availability.candidate_day(candidate.id, participation.edition)
    return their_day, free, their_day.clashes(free)


def _slot_choices(free, clashes) -> list:
    """The free slots for a proposal; those the candidate cannot take are listed, disabled, with
    the reason (without the other company's name)."""
    choices = []
    for slot in free:
        label = f"{format_datetime(slot.starts_at)} · {slot.table_name}"
        clash = clashes.get(slot.id)
        if clash is None:
            choices.append(SelectChoice(slot.id, label))
        else:
            why = (_("the candidate has another interview at that time") if clash.kind == availability.OVERLAP
                   else _("too close to another interview of the candidate"))
            choices.append(SelectChoice(slot.id, f"{label} — {why}", render_kw={"disabled": True}))
    return choices


@bp.post("/company/candidates/<int:candidate_id>/shortlist")
@recruiter_required
def shortlist(candidate_id: int):
    participation = _my_participation()
    form = submitted_or_400(ShortlistForm())
    with attempt(_("Shortlist saved."), abort_on=(404,)):
        applications.set_shortlisted(
            participation, candidate_id, actor=current_user, shortlisted=form.shortlisted.data == "1"
        )
    return redirect(url_for("scheduling.applicants"), code=303)


@bp.get("/company/candidates/<int:candidate_id>/cv")
@recruiter_required
def candidate_cv(candidate_id: int):
    """A CV, only while the candidate shares it with this company."""
    participation = _my_participation()
    candidate = db.session.get(User, candidate_id)
    if candidate is None or not applications.profile_shared(candidate, participation, participation.edition):
        abort(404)
    profile = get_profile(candidate)
    if profile is None or not profile.has_cv:
        abort(404)
    content = cv.read_cv(profile)
    if content is None:
        abort(404)
    with attempt():
        signals.cv_viewed.send(current_app._get_current_object(), viewer=current_user,
                               candidate_id=candidate.id, company_id=participation.company_id)
    return cv_response(profile, content)


# --- the day -----------------------------------------------------------------------------------


@bp.get("/company/day", endpoint="day")
@recruiter_required
def day_view():
    participation = _my_participation(why_not=_("Our day"))
    now = utcnow()
    tables = queries.table_views(participation.id, now=now)
    edition = participation.edition
    bookings = [view.booking for table in tables for view in table.slots if view.booking]
    shared = {booking.candidate_id for booking in bookings if booking.shares_profile}
    with_cv = {booking.candidate_id for booking in bookings if booking.shares_profile and booking.has_cv}
    language, zone = str(get_locale()), fair_zone().key
    slots = [view.slot for table in tables for view in table.slots]
    return render_template(
        "scheduling/day.html",
        participation=participation,
        tables=tables,
        times={slot.id: time_text(language, zone, slot.starts_at) for slot in slots},  # kept across requests
        now=now,
        shared=shared,
        with_cv=with_cv,
        outcomes_open=day.outcomes_open(edition, now),
        releasable={booking.id for booking in bookings if day.can_release(booking, now)},
        feed_url=private_feed_url(current_user.id),
    )


@bp.post("/company/bookings/<int:booking_id>/outcome")
@recruiter_required
def mark_outcome(booking_id: int):
    booking = _mine(day.booking_for_recruiter, booking_id)
    form = submitted_or_400(OutcomeForm())
    if form.outcome.data not in ("held", "no_show", "none"):
        abort(400)
    with attempt(_("Saved.")):
        day.mark_outcome(booking, None if form.outcome.data == "none" else form.outcome.data, actor=current_user)
    return redirect(url_for("scheduling.day"), code=303)


@bp.post("/company/bookings/<int:booking_id>/release")
@recruiter_required
def release(booking_id: int):
    booking = _mine(day.booking_for_recruiter, booking_id)
    submitted_or_400()
    with attempt(_("The slot is released and offered to the waiting list.")):
        day.release_to_waitlist(booking, actor=current_user)
    return redirect(url_for("scheduling.day"), code=303)


@bp.get("/company/interviews.ics")
@recruiter_required
def company_ics():
    return calendar_response(agenda.company_calendar(_my_participation()), "interviews.ics")


@bp.post("/company/interview-limit")
@recruiter_required
def interview_limit():
    participation = _my_participation()
    form = submitted_or_400(LimitForm())
    with attempt(_("Saved.")):
        applications.set_interview_limit(participation, form.limit.data, actor=current_user)
    return redirect(url_for("scheduling.applicants"), code=303)
