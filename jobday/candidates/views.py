"""Candidate pages: the public edition page and sign-up, registration, the candidate's
home, profile, CV, consent, withdrawal, data download and account deletion."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from markupsafe import Markup

from jobday.accounts import after_response, pending
from jobday.accounts import services as accounts
from jobday.accounts.forms import SignupForm
from jobday.accounts.limits import export_limit, signup_limit
from jobday.accounts.models import User
from jobday.accounts.reauth import recent_login_required
from jobday.candidates import consent, cv, erasure, services, signup_mail
from jobday.candidates import registration as reg
from jobday.candidates.cv_response import cv_response
from jobday.candidates.export import build_export
from jobday.candidates.forms import (
    ConsentForm,
    CvForm,
    DeleteAccountForm,
    PasswordAgainForm,
    ProfileForm,
    RegisterForm,
)
from jobday.candidates.home import home_sections
from jobday.candidates.pages import practical_information, profile_card, profile_facts, registration_card
from jobday.candidates.profile_summary import profile_summary, shown_profile
from jobday.db import utcnow
from jobday.editions.services import current_edition, registration_open
from jobday.editions.web import edition_or_404
from jobday.extensions import db
from jobday.fragments import kept_with_token
from jobday.security import Role, role_required, safe_redirect_target
from jobday.web import attempt, reads_first, show_on

bp = Blueprint("candidates", __name__)
candidate_required = role_required(Role.CANDIDATE)


def _expire_offers_lazily(edition) -> None:
    """A GET touching the waiting list settles overdue offers first (no scheduler needed)."""
    if edition is None or not reg.offers_due(edition=edition):
        return
    with attempt(tell=None, writing=True):
        reg.expire_waitlist_offers(edition=edition)


# --- public: the edition page and sign-up ------------------------------------------------

@bp.get("/editions/<int:year>")
def edition_page(year: int):
    edition = edition_or_404(year)
    registration = None
    if current_user.is_authenticated:
        registration = reg.get_registration(current_user, edition)
    now = utcnow()
    return render_template(
        "candidates/edition.html", edition=edition, registration=registration,
        registration_is_open=registration_open(edition, now), places_left=reg.places_left(edition),
        registration_not_yet_open=bool(edition.registration_opens_at and now < edition.registration_opens_at),
        practical=practical_information(edition))


@bp.route("/editions/<int:year>/signup", methods=["GET", "POST"])
@signup_limit
@reads_first
def signup(year: int):
    edition = edition_or_404(year)
    if current_user.is_authenticated:
        return redirect(url_for("candidates.register", year=year))
    form = SignupForm()
    if form.validate_on_submit():
        # The edition was read without SQLite's write lock (``reads_first``): the write begins
        # after the password's hash (a tenth of a second), not before it, so other sign-ups
        # and the job worker do not wait for it.
        with attempt(tell=None, catch=(accounts.WeakPassword, accounts.EmailTaken), writing=True) as outcome:
            user = accounts.register_user(email=form.email.data, password=form.password.data,
                                          first_name=form.first_name.data, last_name=form.last_name.data,
                                          locale=g.get("locale"), send_confirmation=False)
        if isinstance(outcome.error, accounts.WeakPassword):
            show_on(form.password, outcome.error)
            return render_template("candidates/signup.html", form=form, edition=edition), 422
        user = after_response.signup_mail(outcome.error, user if outcome.ok else None, form.email.data,
                                          step=signup_mail.CONFIRM_SIGNUP, edition_id=edition.id)
        # Same answer, after the same work, whether or not the address had an account.
        return pending.after_signup(form.email.data, user, form_url=url_for("candidates.signup", year=year),
                                   next_url=url_for("candidates.register", year=year))
    return render_template("candidates/signup.html", form=form, edition=edition), 422 if form.errors else 200


@bp.get("/editions/<int:year>/confirm/<token>")
def confirm_signup(year: int, token: str):
    """The link of an edition's sign-up: confirmed, then on to the registration (logged in when
    opened in the browser that signed up)."""
    edition_or_404(year)
    with attempt(writing=True) as outcome:  # a GET that writes: SQLite's write lock, not a read upgraded later
        user = accounts.confirm_email(token)
    if outcome.error:
        return redirect(url_for("candidates.edition_page", year=year))
    return pending.after_confirmation(user, url_for("candidates.register", year=year))


# --- registration -----------------------------------------------------------------------

@bp.route("/editions/<int:year>/register", methods=["GET", "POST"])
@candidate_required
def register(year: int):
    edition = edition_or_404(year)
    profile = None  # a POST registers without reading what the page shows: the rush's requests
    if request.method == "GET":
        _expire_offers_lazily(edition)
        profile = shown_profile(current_user.id)
    complete = services.profile_is_complete(
        current_user, profile if request.method == "GET" else profile_summary(current_user.id))
    if request.method == "GET" and current_user.email_confirmed and not complete:
        flash(_("First, a few words about you: fill in your profile, then confirm your registration."),
              "info")
        return redirect(url_for("candidates.profile", next=request.path))
    registration = reg.shown_registration(current_user, edition) if request.method == "GET" else None
    if reg.is_active(registration):
        # Registered or in line: the page shows the status alone (no form, profile nor choices).
        return render_template("candidates/register.html", edition=edition, registration=registration,
                               active=True)
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        edition_name = edition.name
        with attempt(tell=form) as outcome:
            registration = reg.register_candidate(current_user, edition, actor=current_user,
                                                  join_waitlist=form.join_waitlist.data == "1")
            # Read before the commit expires them (after it, reading them again would take
            # SQLite's write lock once more: the request writes).
            registered = registration.status == "registered"
        if outcome.error:
            status = 409 if outcome.error.code in ("already_registered", "edition_full") else 400
        else:
            if registered:
                flash(_("You are registered for %(edition)s. See you there!", edition=edition_name),
                      "success")
            else:
                flash(_("You are on the waiting list. We will e-mail you as soon as a place is free."),
                      "info")
            return redirect(url_for("candidates.home"))
    elif form.errors:
        status = 400
    if request.method != "GET":
        registration = reg.shown_registration(current_user, edition)
        profile = shown_profile(current_user.id)
    return render_template(
        "candidates/register.html", form=form, edition=edition, complete=complete,
        registration=registration, active=reg.is_active(registration),
        registration_is_open=registration_open(edition), places_left=reg.places_left(edition),
        facts=profile_facts(current_user, profile), consents=consent.current_choices(current_user.id),
        consent_texts=consent.CONSENT_TEXTS), status


@bp.route("/editions/<int:year>/offer", methods=["GET", "POST"])
@candidate_required
def offer(year: int):
    edition = edition_or_404(year)
    form = RegisterForm()
    if form.validate_on_submit():
        with attempt(_("You are registered for %(edition)s. See you there!", edition=edition.name)):
            reg.confirm_offer(current_user, edition, actor=current_user)
        return redirect(url_for("candidates.home"))
    _expire_offers_lazily(edition)
    registration = reg.get_registration(current_user, edition)
    return render_template("candidates/offer.html", form=form, edition=edition, registration=registration)


@bp.route("/editions/<int:year>/withdraw", methods=["GET", "POST"])
@candidate_required
def withdraw(year: int):
    edition = edition_or_404(year)
    registration = reg.get_registration(current_user, edition)
    if registration is None or not registration.is_active:
        abort(404)
    form = PasswordAgainForm()
    form.submit.label.text = _("Withdraw my registration")
    if form.validate_on_submit():
        with attempt(_("Your registration is cancelled. We sent you a confirmation."),
                     tell=form.password) as outcome:
            reg.withdraw_registration(current_user, edition, actor=current_user, password=form.password.data)
        if outcome.ok:
            return redirect(url_for("candidates.home"))
    return render_template("candidates/withdraw.html", form=form, edition=edition, registration=registration,
                           sections=home_sections(current_user, edition, registration, page="withdraw")), (
        422 if form.errors else 200)


# --- the candidate's home ---------------------------------------------------------------

@bp.get("/candidate")
@candidate_required
def home():
    edition = current_edition()
    _expire_offers_lazily(edition)
    registration = reg.get_registration(current_user, edition) if edition else None
    registration_is_open = edition is not None and registration_open(edition)
    return render_template(
        "candidates/home.html", edition=edition,
        registration_card=registration_card(
            edition, registration, registration_is_open=registration_is_open,
            position=reg.waitlist_position(registration) if registration else None) if edition else None,
        profile_card=profile_card(services.missing_profile_items(current_user, profile_summary(current_user.id))),
        sections=home_sections(current_user, edition, registration) if edition else [],
        practical=practical_information(edition) if edition else None)


# --- profile, CV, consent ---------------------------------------------------------------

def _profile_form(profile, *, posted: bool = True) -> ProfileForm:
    """The profile form: as posted, else (a GET, or another form of the page posted) as saved."""
    form = ProfileForm() if posted else ProfileForm(formdata=None)
    if request.method == "GET" or not posted:
        form.first_name.data, form.last_name.data = current_user.first_name, current_user.last_name
        form.next.data = request.args.get("next", "")
        if profile is not None:
            form.phone.data = services.display_phone(profile.phone)
            for name in ("postcode", "region", "education_level", "field_of_study", "years_experience",
                         "availability_date", "about"):
                getattr(form, name).data = getattr(profile, name)
            form.job_areas.data, form.contract_types.data = profile.job_areas, profile.contract_types
            for code, level in profile.language_levels.items():
                getattr(form, f"lang_{code}").data = level
    return form


@bp.route("/candidate/profile", methods=["GET", "POST"])
@candidate_required
def profile():
    profile = shown_profile(current_user.id) if request.method == "GET" else None
    form = _profile_form(profile)
    if form.validate_on_submit():
        data = services.ProfileInput(
            first_name=form.first_name.data, last_name=form.last_name.data,
            education_level=form.education_level.data, job_areas=form.job_areas.data,
            phone=form.phone.data or "", postcode=form.postcode.data or "", region=form.region.data or "",
            field_of_study=form.field_of_study.data or "", years_experience=form.years_experience.data,
            languages=form.languages(), contract_types=form.contract_types.data,
            availability_date=form.availability_date.data, about=form.about.data or "")
        with attempt(_("Your profile is saved."), tell=_profile_field(form),
                     catch=services.InvalidProfile) as outcome:
            services.update_profile(current_user, data, actor=current_user)
        if outcome.ok:
            return redirect(safe_redirect_target(form.next.data, url_for("candidates.profile")))
    if request.method != "GET":  # the profile as saved, beside the refused values of the form
        profile = shown_profile(current_user.id)
    return _render_profile(form, profile), 422 if form.errors else 200


def _profile_field(form: ProfileForm):
    def tell(error: services.InvalidProfile) -> None:
        field = form.lang_fr if error.field == "languages" else getattr(form, error.field, None) or form.first_name
        show_on(field, error)
    return tell


def _render_profile(form, profile, cv_form=None):
    return render_template("candidates/profile.html", form=form, profile=profile,
                           cv_upload=_cv_upload(bool(profile and profile.has_cv), form.next.data, cv_form))


def _cv_upload(has_cv: bool, next_url: str, cv_form: CvForm | None) -> Markup:
    """The CV's upload form: as sent, with its errors, after a refused upload; else the same for
    every candidate with (or without) a CV reading a language, so kept with each page's token
    (not on the registration's way, whose next step the form carries)."""
    def written(form: CvForm) -> str:
        return render_template("candidates/_cv_upload.html", cv_form=form, cv_max_mb=cv.max_megabytes(),
                               has_cv=has_cv)

    def untouched() -> str:
        form = CvForm(formdata=None)
        form.next.data = next_url
        return written(form)

    if cv_form is not None:
        return Markup(written(cv_form))
    if next_url:
        return Markup(untouched())
    return kept_with_token(("candidates/_cv_upload.html", has_cv, cv.max_megabytes()), untouched)


@bp.post("/candidate/cv")
@candidate_required
def upload_cv():
    cv_form = CvForm()
    if cv_form.validate_on_submit():
        upload = cv_form.cv.data
        with attempt(_("Your CV is saved."), tell=cv_form.cv, catch=cv.CvRefused) as outcome:
            profile = services.get_or_create_profile(current_user)
            cv.store_cv(profile, cv.read_upload(upload.stream), upload.filename)
        if outcome.ok:
            return redirect(_back_to_profile(cv_form.next.data))
    profile = shown_profile(current_user.id)
    form = _profile_form(profile, posted=False)
    form.next.data = cv_form.next.data
    return _render_profile(form, profile, cv_form), 422


def _back_to_profile(next_url: str | None) -> str:
    """The profile page again, still on its way to the registration's next step (if safe)."""
    target = safe_redirect_target(next_url, "")
    return url_for("candidates.profile", next=target) if target else url_for("candidates.profile")


@bp.post("/candidate/cv/delete")
@candidate_required
def delete_cv():
    if RegisterForm().validate_on_submit():
        profile = services.get_profile(current_user)
        if profile is not None and profile.has_cv:
            with attempt(_("Your CV is deleted.")):
                cv.delete_cv(profile)
    return redirect(url_for("candidates.profile"))


@bp.get("/candidate/cv")
@candidate_required
def my_cv():
    return download_cv(current_user.id)


@bp.get("/candidates/<int:user_id>/cv")
@role_required(Role.CANDIDATE, Role.ADMIN)
def download_cv(user_id: int):
    candidate = db.session.get(User, user_id)
    if candidate is None or not consent.may_view_cv(current_user, candidate):
        abort(404)
    profile = services.get_profile(candidate)
    if profile is None or not profile.has_cv:
        abort(404)
    content = cv.read_cv(profile)
    if content is None:
        abort(404)
    return cv_response(profile, content)


@bp.get("/candidates/<int:user_id>")
@role_required(Role.CANDIDATE, Role.ADMIN)
def candidate_profile(user_id: int):
    """A profile as an organiser sees it (the candidate sees their own; others get 404)."""
    candidate = db.session.get(User, user_id)
    if candidate is None or not consent.may_view_cv(current_user, candidate):
        abort(404)
    profile = services.get_profile(candidate)
    return render_template("candidates/profile_view.html", candidate=candidate, profile=profile,
                           facts=profile_facts(candidate, profile))


@bp.route("/candidate/consents", methods=["GET", "POST"])
@candidate_required
def consents():
    choices = consent.current_choices(current_user.id)
    form = ConsentForm(data=choices if request.method == "GET" else None)
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        with attempt(_("Your choices are saved.")) as outcome:
            consent.record_consents(current_user, {name: getattr(form, name).data for name in choices},
                                    actor=current_user)
        if outcome.ok:
            return redirect(safe_redirect_target(form.next.data, url_for("candidates.consents")))
    return render_template("candidates/consents.html", form=form, stand_text=consent.STAND_SCAN_TEXT,
                           history=consent.latest_consents(current_user.id)), 400 if form.errors else 200


# --- privacy: data download and account deletion ---------------------------------------

@bp.get("/candidate/privacy")
@candidate_required
def privacy():
    return render_template("candidates/privacy.html",
                           download_form=PasswordAgainForm(formdata=None, prefix="download"),
                           delete_form=DeleteAccountForm(formdata=None, prefix="delete"))


@bp.post("/candidate/privacy/download")
@candidate_required
@recent_login_required
@export_limit
def download_data():
    form = PasswordAgainForm(prefix="download")
    if form.validate_on_submit():
        with attempt(tell=form.password) as outcome:
            services.check_password_again(current_user, form.password.data)
        if outcome.ok:
            response = make_response(build_export(current_user))
            response.headers["Content-Type"] = "application/zip"
            response.headers["Content-Disposition"] = 'attachment; filename="jobday-my-data.zip"'
            response.headers["Cache-Control"] = "private, no-store"
            return response
    return render_template("candidates/privacy.html", download_form=form,
                           delete_form=DeleteAccountForm(formdata=None, prefix="delete")), 422


@bp.post("/candidate/privacy/delete")
@candidate_required
@recent_login_required
def delete_account():
    form = DeleteAccountForm(prefix="delete")
    if form.validate_on_submit():
        with attempt(tell=form.password) as outcome:
            erasure.delete_account(current_user, password=form.password.data, actor=current_user)
        if outcome.ok:
            logout_user()
            session.clear()
            flash(_("Your account and your data are deleted. Goodbye!"), "success")
            return redirect(url_for("main.index"))
    return render_template("candidates/privacy.html",
                           download_form=PasswordAgainForm(formdata=None, prefix="download"),
                           delete_form=form), 422
