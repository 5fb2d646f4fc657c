"""E-mail campaigns: write (FR + EN), pick recipients, preview for a real recipient, send."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from jobday.accounts.models import User
from jobday.editions.web import chosen_edition_or_404
from jobday.extensions import db
from jobday.forms import ActionForm, ConfirmSendForm
from jobday.jobs.services import enqueue
from jobday.staff import campaigns
from jobday.staff.blueprint import admin_required, bp
from jobday.staff.forms import CampaignForm, as_choices
from jobday.staff.models import Campaign
from jobday.web import attempt, submitted_or_400


def _form(**kwargs) -> CampaignForm:
    form = CampaignForm(**kwargs)
    form.audience.choices = as_choices((key, str(label)) for key, label in campaigns.available_audiences().items())
    return form


@bp.get("/campaigns", endpoint="campaigns")
@admin_required
def campaign_list(form=None, status=200):
    edition = chosen_edition_or_404()
    rows = list(db.session.scalars(select(Campaign).where(Campaign.edition_id == edition.id)
                                   .order_by(Campaign.id.desc())))
    return render_template("staff/campaigns.html", edition=edition, campaigns=rows, form=form or _form(),
                           audiences=campaigns.AUDIENCES), status


@bp.post("/campaigns")
@admin_required
def create_campaign():
    edition = chosen_edition_or_404()
    form = _form()
    if not form.validate_on_submit():
        return campaign_list(form=form, status=422)
    with attempt(tell=form.audience) as outcome:
        campaign = campaigns.create_campaign(edition, audience=form.audience.data, subject_fr=form.subject_fr.data,
                                             subject_en=form.subject_en.data or "", body_fr=form.body_fr.data,
                                             body_en=form.body_en.data or "", actor=current_user)
    if outcome.error:
        return campaign_list(form=form, status=422)
    return redirect(url_for("staff.campaign", campaign_id=campaign.id), code=303)


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


@bp.get("/campaigns/<int:campaign_id>")
@admin_required
def campaign(campaign_id: int):
    campaign = _campaign(campaign_id)
    edition = campaigns.campaign_edition(campaign)
    query = campaigns.recipients_query(campaign.audience, edition)
    preview_id = request.args.get("preview", type=int)
    recipient = None
    if preview_id:
        recipient = db.session.scalar(query.where(User.id == preview_id))
    if recipient is None:
        recipient = db.session.scalar(query.order_by(User.id).limit(1))
    preview = campaigns.render_preview(campaign, recipient) if recipient is not None else None
    count = campaigns.count_recipients(campaign.audience, edition)
    return render_template("staff/campaign.html", campaign=campaign, edition=edition, recipient=recipient,
                           preview=preview, count=count,
                           report=campaigns.delivery_report(campaign), form=ActionForm(),
                           confirm_form=ConfirmSendForm(formdata=None, recipients=count),
                           audience=campaign.audience.label)


@bp.post("/campaigns/<int:campaign_id>/send")
@admin_required
def send_campaign(campaign_id: int):
    """Sent only with the box ticked and the number of recipients the organiser was shown."""
    campaign = _campaign(campaign_id)
    form = ConfirmSendForm()
    back = redirect(url_for("staff.campaign", campaign_id=campaign_id), code=303)
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm the sending."), "error")
        return back
    with attempt(_("The campaign is being sent.")) as outcome:
        job = campaigns.start_sending(campaign, actor=current_user, expected=form.recipients.data)
    if outcome.ok:
        enqueue(job)
    return back


@bp.post("/campaigns/<int:campaign_id>/test")
@admin_required
def test_campaign(campaign_id: int):
    """"Send me a test first": the e-mail as the previewed recipient will receive it, to the organiser."""
    campaign = _campaign(campaign_id)
    submitted_or_400()
    with attempt() as outcome:
        shown = campaigns.send_test(campaign, to=current_user.email, recipient_id=request.args.get("preview", type=int))
    if outcome.ok:
        flash(_("A test e-mail was sent to %(address)s: the one %(name)s will receive.",
                address=current_user.email, name=shown.display_name), "success")
    return redirect(url_for("staff.campaign", campaign_id=campaign_id), code=303)
