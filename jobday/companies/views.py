"""Company pages for recruiters: registration, the company's home, profile, logo, application.
(The team, offer, plan, organiser and public pages are modules of their own on the same ``bp``.)"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from jobday import fragments
from jobday.accounts import after_response, pending
from jobday.accounts import services as accounts
from jobday.accounts.limits import signup_limit
from jobday.companies import identifiers, offers, services, team
from jobday.companies.access import membership_of, participation_for
from jobday.companies.blueprint import bp, my_membership
from jobday.companies.forms import ActivityMailForm, ApplicationForm, CompanyForm, CompanySignupForm, LogoForm
from jobday.companies.home import company_sections
from jobday.companies.plan_tables import plan_tables
from jobday.editions.services import current_edition
from jobday.kept_fields import kept_form
from jobday.security import Role, role_required
from jobday.web import attempt, show_on, submitted_or_400


def _details(form: CompanyForm) -> services.CompanyDetails:
    return services.CompanyDetails(
        name=form.name.data or "", enterprise_number=form.enterprise_number.data or "",
        is_foreign=bool(form.is_foreign.data), sector=form.sector.data or "",
        description_fr=form.description_fr.data or "", description_en=form.description_en.data or "",
        website=form.website.data or "", contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "")


@bp.route("/company/register", methods=["GET", "POST"])
@signup_limit
def register():
    """A visitor registers the company with their account; a logged-in user just the company."""
    if membership_of(current_user) is not None:
        return redirect(url_for("companies.home"))
    anonymous = not current_user.is_authenticated
    form = CompanySignupForm() if anonymous else CompanyForm()
    if form.validate_on_submit():
        user = None
        with attempt(tell=None) as outcome:
            if anonymous:
                user = accounts.register_user(
                    email=form.email.data, password=form.password.data, first_name=form.first_name.data,
                    last_name=form.last_name.data, locale=g.get("locale"), roles=(Role.RECRUITER,),
                    send_confirmation=False)
            services.register_company(_details(form), actor=user or current_user)
        if isinstance(outcome.error, accounts.EmailTaken):
            after_response.signup_mail(outcome.error, None, form.email.data)
            return pending.after_signup(form.email.data, None, form_url=url_for("companies.register"))
        if outcome.error:
            show_on(form.password if isinstance(outcome.error, accounts.WeakPassword) else form, outcome.error)
        else:
            if anonymous:  # same answer, after the same work, as an address that already has an account
                after_response.signup_mail(None, user, form.email.data)
                return pending.after_signup(form.email.data, user, form_url=url_for("companies.register"))
            flash(_("Your company is registered."), "success")
            return redirect(url_for("companies.home"))
    status = 422 if request.method == "POST" else 200
    return render_template("companies/register.html", form=form, anonymous=anonymous), status


@bp.get("/company")
@role_required(Role.RECRUITER)
def home():
    return _render_home(my_membership())


def _render_home(member, application_form: ApplicationForm | None = None, status: int = 200):
    company = member.company
    edition = current_edition()
    participation = participation_for(company, edition)
    if application_form is None and edition is not None and participation is None:  # the only page that shows it
        application_form = ApplicationForm()
    return render_template(
        "companies/home.html", member=member, company=company, edition=edition, participation=participation,
        tables=plan_tables(participation.id, with_openings=False) if participation else [],
        offer_list=_offer_list(offers.company_offers(company), participation),
        invitation_count=team.pending_invitation_count(company.id),
        colleagues=team.colleagues(company.id),
        application_form=application_form, identifiers=identifiers,
        sections=company_sections(participation),
        mail_fields=kept_form("companies/_mail_fields.html", (member.email_activity,),
                              lambda: ActivityMailForm(formdata=None, email_activity=member.email_activity))), status


def _offer_list(rows, participation) -> Markup:
    """The company's offers, kept for what they show (their titles, whether open, whether the
    company is approved), each form's CSRF token filled in."""
    if not rows:
        return Markup("")
    approved = bool(participation and participation.is_approved)
    return fragments.kept_with_token(("company-offers", tuple(rows), approved), lambda: render_template(
        "companies/_company_offers.html", offers=rows, approved=approved))


@bp.route("/company/profile", methods=["GET", "POST"])
@role_required(Role.RECRUITER)
def edit_profile():
    member = my_membership()
    company = member.company
    form = CompanyForm(obj=company) if request.method == "POST" else None
    if form is not None and form.validate_on_submit():
        with attempt(_("The company profile is saved."), tell=form) as outcome:
            services.update_company(company, _details(form), actor=current_user)
        if outcome.ok:
            return redirect(url_for("companies.home"))
    status = 422 if request.method == "POST" else 200
    return _render_profile(company, form, None), status


def _render_profile(company, form: CompanyForm | None, logo_form: LogoForm | None) -> str:
    """The profile page; ``form`` and ``logo_form`` when sent, else their fields as saved."""
    shown = None if form is not None else tuple(getattr(company, name) for name in _COMPANY_VALUES)
    return render_template(
        "companies/profile.html", company=company,
        company_fields=kept_form("companies/_profile_fields.html", shown, lambda: form or _company_form(company)),
        logo_fields=kept_form("companies/_logo_fields.html", () if logo_form is None else None,
                              lambda: logo_form or LogoForm()))


# What the profile's form shows of the company (``_company_form`` reads these attributes).
_COMPANY_VALUES = ("name", "enterprise_number", "is_foreign", "sector", "description_fr", "description_en", "website",
                   "contact_name", "contact_phone")


@bp.post("/company/emails")
@role_required(Role.RECRUITER)
def email_settings():
    """The recruiter's own choice of activity e-mails (new applications, bookings, cancellations)."""
    member = my_membership()
    form = submitted_or_400(ActivityMailForm())
    wanted = bool(form.email_activity.data)
    with attempt(_("You will receive these e-mails.") if wanted else _("You will no longer receive these e-mails.")):
        services.set_email_activity(member, wanted, actor=current_user)
    return redirect(url_for("companies.home", _anchor="my-emails"), code=303)


def _company_form(company) -> CompanyForm:
    """The company's details as saved (also under a refused logo: the logo post has none of them)."""
    form = CompanyForm(formdata=None, obj=company)
    form.enterprise_number.data = identifiers.format_enterprise_number(company.enterprise_number)
    form.contact_phone.data = identifiers.format_phone(company.contact_phone)
    return form


@bp.post("/company/logo")
@role_required(Role.RECRUITER)
def upload_logo():
    member = my_membership()
    company = member.company
    form = LogoForm()
    cfg = current_app.config
    if form.validate_on_submit():
        data = form.logo.data.read(cfg.get("LOGO_MAX_BYTES", 1024 * 1024) + 1)
        with attempt(_("The logo is saved."), tell=form) as outcome:
            services.set_logo(company, data, actor=current_user, max_bytes=cfg.get("LOGO_MAX_BYTES", 1024 * 1024),
                              max_pixels=cfg.get("LOGO_MAX_PIXELS", 16_000_000))
        if outcome.ok:
            return redirect(url_for("companies.edit_profile"))
    return _render_profile(company, None, form), 422


@bp.post("/company/apply")
@role_required(Role.RECRUITER)
def apply():
    member = my_membership()
    edition = current_edition()
    form = ApplicationForm()
    if edition is None:
        flash(_("No edition is open for applications yet."), "warning")
        return redirect(url_for("companies.home"))
    if form.validate_on_submit():
        with attempt(_("Your application is sent. The organisers will let you know by e-mail."),
                     tell=form) as outcome:
            services.apply_for_edition(
                member.company, edition, actor=current_user, recruiters_coming=form.recruiters_coming.data,
                tables_wanted=form.tables_wanted.data, needs_power=form.needs_power.data,
                needs_screen=form.needs_screen.data, needs_other=form.needs_other.data or "")
        if outcome.ok:
            return redirect(url_for("companies.home"))
    return _render_home(member, form, 422)
