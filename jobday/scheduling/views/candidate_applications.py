"""Candidate pages: applying to apply-and-accept companies, one's applications and proposed
slots, and the ranked wish list of the wish window."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select

from jobday.candidates.consent import can_share_profile_with_company
from jobday.collation import collated, collator
from jobday.companies.forms import as_choices
from jobday.companies.models import APPROVED, Company, JobOffer, Participation
from jobday.db import utcnow
from jobday.editions.web import edition_or_404
from jobday.extensions import db
from jobday.forms import ActionForm
from jobday.scheduling import applications, availability, wishes
from jobday.scheduling.forms import ApplyForm, WishesForm
from jobday.scheduling.models import Application, Wish
from jobday.scheduling.views.blueprint import bp, candidate_required, participation_or_404
from jobday.web import attempt, submitted_or_400


@bp.route("/interviews/companies/<int:participation_id>/apply", methods=["GET", "POST"])
@candidate_required
def apply(participation_id: int):
    edition = edition_or_404()
    participation = participation_or_404(participation_id, edition)
    offers = applications.open_offer_titles(participation.company_id, collated(JobOffer.title))
    form = ApplyForm()
    form.offer_id.choices = as_choices([(0, _("The company in general"))] + offers)
    if request.method == "GET" and request.args.get("offer", type=int) in {offer_id for offer_id, _t in offers}:
        form.offer_id.data = request.args.get("offer", type=int)  # from the offer's page
    status = 200
    if form.validate_on_submit():
        with attempt(_("Your application is sent. We will e-mail you the company's answer."),
                     tell=form) as outcome:
            applications.apply_to_company(
                current_user,
                participation,
                actor=current_user,
                motivation=form.motivation.data,
                offer_id=form.offer_id.data or None,
            )
        if outcome.ok:
            return redirect(url_for("scheduling.applications"), code=303)
        status = outcome.error.status if outcome.error.status != 404 else 400
    elif request.method == "POST":
        status = 400
    shared = can_share_profile_with_company(
        current_user, participation.company_id, edition, applied_or_booked=True
    )
    company_name, applied = applications.company_name_and_applied(current_user.id, participation)
    return render_template(
        "scheduling/apply.html",
        form=form,
        edition=edition,
        participation=participation,
        company_name=company_name,
        shared=shared,
        applied=applied,
    ), status


@bp.get("/interviews/applications", endpoint="applications")
@candidate_required
def applications_page():
    edition = edition_or_404()
    rows = applications.applications_of(current_user.id, edition.id)
    day = availability.candidate_day(current_user.id, edition)
    now = utcnow()
    problems = {a.id: availability.proposal_problem(a, day, now) for a in rows if a.proposed_slot_id}
    return render_template(
        "scheduling/applications.html", edition=edition, rows=rows, action_form=ActionForm(),
        problems={key: value for key, value in problems.items() if value},
    )


@bp.post("/interviews/applications/<int:application_id>/confirm")
@candidate_required
def confirm_proposal(application_id: int):
    application = db.session.get(Application, application_id)
    if application is None or application.candidate_id != current_user.id:
        abort(404)
    submitted_or_400()
    with attempt(_("Your interview is booked. We sent you a confirmation.")) as outcome:
        applications.confirm_proposal(application, actor=current_user)
    return redirect(url_for("scheduling.applications" if outcome.error else "scheduling.agenda"), code=303)


@bp.route("/interviews/wishes", methods=["GET", "POST"], endpoint="wishes")
@candidate_required
def wishes_page():
    edition = edition_or_404()
    # In the reader's order of names, by ICU sort keys (on SQLite an ORDER BY of the collation
    # calls back into Python for each of its comparisons, several per company).
    order = collator()
    choices = sorted(db.session.connection().execute(_WISH_CHOICES, {"edition_id": edition.id}),
                     key=lambda choice: (order.getSortKey(choice[1]), choice[0]))
    form = WishesForm()
    if request.method == "GET":
        form.period.data = wishes.availability_of(current_user.id, edition.id)
    wished = {"candidate_id": current_user.id, "edition_id": edition.id}
    selected = list(db.session.connection().scalars(_WISHED, wished))
    status = 200
    if form.validate_on_submit():
        picked = []
        for value in request.form.getlist("wish"):
            try:
                picked.append(int(value) if value else 0)
            except ValueError:
                abort(400)
        selected = [pid for pid in picked if pid]
        with attempt(_("Your wishes are saved."), tell=form) as outcome:
            wishes.set_wishes(current_user, edition, picked, actor=current_user, period=form.period.data)
        if outcome.ok:
            return redirect(url_for("scheduling.wishes"), code=303)
        status = 400 if outcome.error.status == 404 else outcome.error.status
    elif request.method == "POST":
        status = 400
    ranks = list(range(1, edition.max_wishes + 1))
    return render_template(
        "scheduling/wishes.html",
        form=form,
        edition=edition,
        options=_options_by_rank(choices, selected, ranks),
        ranks=ranks,
        window_open=wishes.wish_window_open(edition),
    ), status


# The companies one may wish for, and the candidate's wishes by rank (``wishes.wishes_of``'s
# companies, not the wishes): built once.
_WISH_CHOICES = (select(Participation.id, Company.name)
                 .join(Company, Company.id == Participation.company_id)
                 .where(Participation.edition_id == bindparam("edition_id"), Participation.status == APPROVED))
_WISHED = (select(Wish.participation_id)
           .where(Wish.candidate_id == bindparam("candidate_id"), Wish.edition_id == bindparam("edition_id"))
           .order_by(Wish.rank))


def _options_by_rank(choices, selected: list[int], ranks: list[int]) -> dict[int, Markup]:
    """Each rank's <option>s of the companies, the company chosen at that rank selected: the
    list (every exhibitor) is written once and the choice marked in each copy."""
    options = "".join(f'<option value="{pid}">{escape(name)}</option>' for pid, name in choices)
    by_rank = {}
    for rank in ranks:
        chosen = selected[rank - 1] if len(selected) >= rank else None
        html = options
        if chosen is not None:
            html = html.replace(f'<option value="{chosen}">', f'<option value="{chosen}" selected>', 1)
        by_rank[rank] = Markup(html)
    return by_rank
