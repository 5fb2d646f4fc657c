"""A company's leads: the list with its filters, one lead (profile as shared, rating, tags,
follow-up, note, history, invitation), the CV when shared, a request to share, the tags."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from jobday import fragments, signals
from jobday.candidates import cv
from jobday.candidates.cv_response import cv_response
from jobday.candidates.pages import profile_facts
from jobday.candidates.profile_summary import shown_profile
from jobday.candidates.services import get_profile
from jobday.companies.models import Participation
from jobday.db import utcnow
from jobday.forms import ActionForm, as_choices
from jobday.kept_fields import kept_form
from jobday.leads import invitations, page_rows, services, sharing
from jobday.leads.blueprint import bp, my_participation
from jobday.leads.forms import InviteForm, LeadFilterForm, LeadForm, TagForm, filters_from
from jobday.leads.lead_page import LeadOnPage, lead_on_page
from jobday.leads.models import Lead
from jobday.leads.page_rows import choices_of_slots, slot_choices
from jobday.leads.services import LeadInput, open_offer_titles
from jobday.leads.stand import lead_lines, lines_shown
from jobday.leads.vocabulary import InvitationKind, LeadState
from jobday.scheduling.waitlist import free_future_slot_rows
from jobday.security import Role, role_required
from jobday.web import attempt, submitted_or_400

recruiter_required = role_required(Role.RECRUITER)


def _my_lead(lead_id: int) -> tuple[Lead, Participation]:
    """One of the company's leads at the current edition (another's is not found)."""
    participation = my_participation()
    lead = services.lead_of_company(lead_id, participation)
    if lead is None:
        abort(404)
    return lead, participation


def _offer_choices(offers, empty_label):
    return as_choices([("", empty_label)] + [(str(oid), title) for oid, title in offers])


@bp.get("/company/leads")
@recruiter_required
def leads():
    participation = my_participation(why_not=_("Leads"))
    company_id = participation.company_id
    tags = page_rows.company_tags(company_id)
    filters = filters_from(request.args)  # the form reads the same filters
    rows = lead_lines(company_id, participation.edition_id, actor=current_user, filters=filters)
    return render_template("leads/list.html", participation=participation, rows=rows, filtered=filters.any,
                           query=request.query_string.decode(),
                           filter_fields=_filter_fields(tags, open_offer_titles(company_id)),
                           lead_list=_lead_list(rows) if rows else Markup(""), tags_section=_tags_section(tags))


def _filter_fields(tags, offers) -> Markup:
    """The filters' fields, kept for their choices while the address asks for nothing (what it
    asks for is shown as understood, rendered each time)."""
    def form() -> LeadFilterForm:
        form = LeadFilterForm(formdata=request.args)
        form.tag.choices = as_choices([("", _("Any tag"))] + [(str(tag.id), tag.name) for tag in tags])
        form.offer.choices = _offer_choices(offers, _("Any offer"))
        if request.args:  # no filter: nothing to refuse
            form.validate()
        return form

    shown = None if request.args else (tuple((tag.id, tag.name) for tag in tags), tuple(offers))
    return kept_form("leads/_filter_fields.html", shown, form)


def _lead_list(rows) -> Markup:
    """The lines, kept for what they show of each lead."""
    return fragments.kept(("leads/_lead_list.html", lines_shown(rows)),
                          lambda: render_template("leads/_lead_list.html", rows=rows))


def _tags_section(tags) -> Markup:
    """The company's tags and the form to add one, kept for the tags, each page's token filled in."""
    return fragments.kept_with_token(
        ("leads/_tags_section.html", tuple((tag.id, tag.name) for tag in tags)),
        lambda: render_template("leads/_tags_section.html", tags=tags, action_form=ActionForm(), tag_form=TagForm()))


def _lead_form(lead: Lead | LeadOnPage, company_id: int, tags, *, posted: bool, offers=None) -> LeadForm:
    """The posted form, or (``posted`` false) the lead as it is now."""
    form = LeadForm() if posted else LeadForm(formdata=None, obj=lead)
    if not posted:
        form.tags.data = list(_tag_ids(lead))
    form.tags.choices = as_choices([(tag.id, tag.name) for tag in tags])
    form.offer_id.choices = _offer_choices(open_offer_titles(company_id) if offers is None else offers, _("None"))
    return form


def _tag_ids(lead: Lead | LeadOnPage):
    return lead.tag_ids if isinstance(lead, LeadOnPage) else [tag.id for tag in lead.tags]


def invite_form(participation, slots=None) -> InviteForm:
    """``slots``: the free slots (``free_future_slot_rows``) when already read."""
    form = InviteForm(prefix="invite")
    form.slot_id.choices = as_choices(
        slot_choices(participation.id, utcnow()) if slots is None else choices_of_slots(slots))
    return form


@bp.route("/company/leads/<int:lead_id>", methods=["GET", "POST"])
@recruiter_required
def lead(lead_id: int):
    if request.method == "GET":  # the lead as plain rows (a sent form needs the Lead)
        participation = my_participation()
        shown = lead_on_page(lead_id, participation.company_id, participation.edition_id)
        if shown is None:
            abort(404)
        return _render_lead(shown, participation, page_rows.company_tags(participation.company_id))
    lead, participation = _my_lead(lead_id)
    tags = page_rows.company_tags(participation.company_id)
    form = _lead_form(lead, participation.company_id, tags, posted=True)
    if not form.validate_on_submit():
        return _render_lead(lead, participation, tags, form, 400)
    data = LeadInput(version=form.version.data, rating=form.rating.data, state=form.state.data,
                     note=form.note.data or "", tag_ids=tuple(form.tags.data or ()), offer_id=form.offer_id.data)
    with attempt(_("Saved."), tell=form) as outcome:
        services.update_lead(lead, data, actor=current_user)
    if outcome.ok:
        return redirect(url_for("leads.lead", lead_id=lead.id), code=303)
    if outcome.error.code == "lead_changed":  # the colleague's version, with the message
        lead = services.lead_of_company(lead_id, participation)
        form = _lead_form(lead, participation.company_id, tags, posted=False)
        form.form_errors.append(str(outcome.error.message))
    return _render_lead(lead, participation, tags, form, outcome.error.status)


def _render_lead(lead: Lead | LeadOnPage, participation, tags, form: LeadForm | None = None, status: int = 200):
    """The lead page; ``form``: the follow-up form as sent or refused (None: the lead as it is)."""
    shared = services.what_is_shared(lead, participation)
    profile = shown_profile(lead.candidate_id) if shared.profile else None
    pending = page_rows.pending_invitation(lead.candidate_id, participation.id) if shared.profile else None
    facts = profile_facts(lead.candidate, profile) if shared.profile else []
    return render_template(
        "leads/lead.html", lead=lead, participation=participation, shared=shared, profile=profile,
        facts=facts, facts_shown=tuple([value for _term, value in facts]),  # its terms are the language's
        follow_up=_follow_up(lead, participation, tags, form) if shared.profile else "",
        invite=_invite_section(participation, lead.candidate_id) if shared.profile and pending is None else "",
        scans=page_rows.scans_of(lead.id), history=page_rows.history_of(lead.id), pending=pending,
        action_form=_AskForm,
        state_labels=_StateWords,
        asked_recently=(lead.share_requested_at is not None
                        and utcnow() - lead.share_requested_at < sharing.ASK_AGAIN_AFTER),
    ), status


class _AskForm:
    """The ask-to-share form's ``action_form``, built only when the page shows that form."""

    @staticmethod
    def hidden_tag():
        return ActionForm().hidden_tag()


class _StateWords:
    """The history's ``state_labels``: a follow-up state's words (an unknown code: ""), looked
    up only for the lines that say the state changed."""

    @staticmethod
    def get(code, default=""):
        state = LeadState.get(code)
        return state.label if state is not None else default


def _follow_up(lead: Lead | LeadOnPage, participation, tags, form: LeadForm | None) -> Markup:
    """The follow-up form: as sent or refused (``form``), rendered each time; else the lead as it
    is, kept for what the form shows (the lead's values, the company's tags and offers) with the
    page's token filled in."""
    def render(form: LeadForm) -> str:
        return render_template("leads/_follow_up_form.html", lead=lead, form=form)

    if form is not None:
        return Markup(render(form))
    offers = open_offer_titles(participation.company_id)
    shown = (lead.id, lead.version, lead.rating, str(lead.state), lead.note, frozenset(_tag_ids(lead)),
             lead.offer_id, tuple((tag.id, tag.name) for tag in tags), tuple(offers))
    return fragments.kept_with_token(("leads/_follow_up_form.html", shown), lambda: render(
        _lead_form(lead, participation.company_id, tags, posted=False, offers=offers)))


_MARKER = 987654321  # the candidate's id in the kept invitation form's address


def _invite_section(participation, candidate_id: int) -> Markup:
    """The invitation form (never shown as sent: sending it answers with a redirect), kept for the
    free slots it offers, the candidate's address and the page's token filled in."""
    slots = tuple(free_future_slot_rows(participation.id, utcnow()))
    html = fragments.kept_with_token(("leads/_invite_form.html", slots), lambda: render_template(
        "leads/_invite_form.html", candidate_id=_MARKER, back="lead", invite_form=invite_form(participation, slots)))
    marked = url_for("leads.invite", candidate_id=_MARKER, back="lead")
    return Markup(str(html).replace(marked, marked.replace(str(_MARKER), str(candidate_id))))


@bp.get("/company/leads/<int:lead_id>/cv")
@recruiter_required
def lead_cv(lead_id: int):
    """The CV, only while the candidate shares it with the company (the existing consent)."""
    lead, participation = _my_lead(lead_id)
    if not services.what_is_shared(lead, participation).cv:
        abort(404)
    profile = get_profile(lead.candidate)
    content = cv.read_cv(profile) if profile is not None and profile.has_cv else None
    if content is None:
        abort(404)
    with attempt():
        signals.cv_viewed.send(current_app._get_current_object(), viewer=current_user, candidate_id=lead.candidate_id,
                               company_id=participation.company_id)
    return cv_response(profile, content)


@bp.post("/company/leads/<int:lead_id>/ask")
@recruiter_required
def ask_to_share(lead_id: int):
    lead, _participation = _my_lead(lead_id)
    submitted_or_400(ActionForm())
    with attempt(_("The candidate is asked by e-mail; they answer from their page.")):
        sharing.request_share(lead, actor=current_user)
    return redirect(url_for("leads.lead", lead_id=lead.id), code=303)


@bp.post("/company/candidates/<int:candidate_id>/invite")
@recruiter_required
def invite(candidate_id: int):
    """An invitation to a candidate met at the stand or matching the company's offers."""
    participation = my_participation()
    form = invite_form(participation)
    if not form.validate_on_submit():
        flash(next(iter(error for errors in form.errors.values() for error in errors)), "error")
    elif form.kind.data == InvitationKind.SLOT and form.slot_id.data is None:
        flash(_("Choose a slot."), "error")
    else:
        with attempt(_("The invitation is sent to the candidate."), abort_on=(404,)):
            invitations.invite(candidate_id, participation, actor=current_user, kind=form.kind.data,
                               slot_id=form.slot_id.data, message=form.message.data or "")
    lead = invitations.lead_of(candidate_id, participation)
    if request.args.get("back") == "matches" or lead is None:
        return redirect(url_for("leads.matches"), code=303)
    return redirect(url_for("leads.lead", lead_id=lead.id), code=303)


@bp.post("/company/leads/tags")
@recruiter_required
def add_tag():
    participation = my_participation()
    form = TagForm()
    submitted_or_400(form)
    with attempt(_("The tag is added.")):
        services.add_tag(participation.company_id, form.name.data, actor=current_user)
    return redirect(url_for("leads.leads"), code=303)


@bp.post("/company/leads/tags/<int:tag_id>/delete")
@recruiter_required
def delete_tag(tag_id: int):
    my_participation()
    submitted_or_400(ActionForm())
    with attempt(_("The tag is deleted."), abort_on=(404,)):
        services.delete_tag(tag_id, actor=current_user)
    return redirect(url_for("leads.leads"), code=303)
