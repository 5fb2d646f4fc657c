"""Sign-up, confirmation, login, logout, password reset and account settings."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from jobday.accounts import after_response, limits, pending, services, session_policy, user_row
from jobday.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmPasswordForm,
    CorrectEmailForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
    SignupForm,
)
from jobday.accounts.models import User
from jobday.accounts.reauth import recent_login_required
from jobday.db import reading
from jobday.forms import ActionForm
from jobday.navigation import home_url
from jobday.security import safe_redirect_target
from jobday.web import attempt, show_on, submitted_or_400

bp = Blueprint("accounts", __name__, url_prefix="/account")


def load_user(user_id: str) -> User | None:
    """The cookie holds ``id:session_version``; a rotated version ends the session. Every
    logged-in request starts here (``user_row``: one statement, straight to the driver)."""
    raw_id, _sep, version = user_id.partition(":")
    if not raw_id.isdigit() or not version:
        return None
    found = user_row.user_with_roles(int(raw_id))
    if found is None or found[0].session_version != version:
        return None
    user, roles = found
    user.remember_roles(roles)
    return user


@bp.route("/signup", methods=["GET", "POST"])
@limits.signup_limit
def signup():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = SignupForm()
    if form.validate_on_submit():
        with attempt(tell=None, catch=(services.WeakPassword, services.EmailTaken)) as outcome:
            user = services.register_user(email=form.email.data, password=form.password.data,
                                          first_name=form.first_name.data, last_name=form.last_name.data,
                                          locale=g.get("locale"), send_confirmation=False)
        if isinstance(outcome.error, services.WeakPassword):
            show_on(form.password, outcome.error)
            return render_template("accounts/signup.html", form=form), 422
        user = after_response.signup_mail(outcome.error, user if outcome.ok else None, form.email.data)
        # Same answer, after the same work, whether or not the address had an account.
        return pending.after_signup(form.email.data, user, form_url=url_for("accounts.signup"))
    return render_template("accounts/signup.html", form=form), 422 if form.errors else 200


@bp.get("/signup/mailbox")
def check_mailbox():
    return pending.check_mailbox_page()


@bp.post("/signup/resend")
@limits.confirmation_resend_limit
def resend_signup_link():
    """Sends the link again to the account this browser created (the same answer otherwise)."""
    submitted_or_400()
    entry = pending.current()
    if entry is None:
        return redirect(url_for("accounts.signup"))
    user = services.find_user_by_email(entry["email"])
    if pending.created_here(user) and not user.email_confirmed:
        with attempt():
            services.send_confirmation_email(user, next_url=entry.get("next"))
    flash(_("We sent the link again to %(email)s.", email=entry["email"]), "info")
    return redirect(url_for("accounts.check_mailbox"), code=303)


@bp.post("/signup/correct")
@limits.signup_limit
@limits.confirmation_resend_limit
def correct_signup_email():
    """Wrong address? The account this browser created moves to the right one, and the link goes
    there. Whatever happens, the answer is the page for the new address, as for a sign-up."""
    entry = pending.current()
    if entry is None:
        return redirect(url_for("accounts.signup"))
    form = CorrectEmailForm()
    if not form.validate_on_submit():
        return pending.check_mailbox_page(form, 422)
    new_email = services.normalise_email(form.email.data)
    user = services.find_user_by_email(entry["email"])
    if pending.created_here(user):
        with attempt(tell=None, catch=(services.EmailTaken, services.InvalidToken)) as outcome:
            services.correct_unconfirmed_email(user, new_email, next_url=entry.get("next"))
        if outcome.ok:
            pending.moved_to(new_email, user)
            return redirect(url_for("accounts.check_mailbox"), code=303)
    if services.find_user_by_email(new_email) is not None:
        with attempt():
            services.warn_of_signup_attempt(new_email)
    pending.moved_to(new_email, None)
    return redirect(url_for("accounts.check_mailbox"), code=303)


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    with attempt(writing=True) as outcome:  # a GET that writes: SQLite's write lock, not a read upgraded later
        user = services.confirm_email(token)
    if outcome.error:
        return redirect(url_for("main.index"))
    return pending.after_confirmation(user, request.args.get("next"))


@bp.post("/confirm/resend")
@login_required
@limits.confirmation_resend_limit
def resend_confirmation():
    if ActionForm().validate_on_submit() and not current_user.email_confirmed:
        with attempt() as outcome:
            services.send_confirmation_email(current_user)
        if outcome.ok:
            flash(_("We sent you a new confirmation link."), "info")
    return redirect(home_url(current_user))


@bp.route("/login", methods=["GET", "POST"])
@limits.login_limits
def login():
    """After a login: the page asked for (``next``), else the home of the person's role."""
    requested = safe_redirect_target(request.values.get("next"), "")
    if current_user.is_authenticated:
        return redirect(requested or home_url(current_user))
    form = LoginForm()
    if request.method == "GET":
        form.email.data = pending.login_email() or None
    if form.validate_on_submit():
        with attempt(tell=form.password, catch=services.InvalidCredentials) as outcome, reading():
            user = services.authenticate(form.email.data, form.password.data)
        if outcome.error:
            limits.note_failed_login()
            return render_template("accounts/login.html", form=form, next=requested), 401
        with attempt():
            services.record_login(user)
        with reading():  # the rest reads (the user again, after the commit): not under the write lock
            session.clear()  # a fresh session: no fixation
            remembered = bool(form.remember.data) and session_policy.may_be_remembered(user)
            login_user(user, remember=remembered)  # session_policy records the login time
            if user.locale:
                session["lang"] = user.locale
            if not user.email_confirmed:
                flash(_("Please confirm your e-mail address: we sent you a link."), "warning")
            target = requested or home_url(user)
        return redirect(target)
    return render_template("accounts/login.html", form=form, next=requested), 422 if form.errors else 200


@bp.post("/logout")
def logout():
    if current_user.is_authenticated and ActionForm().validate_on_submit():
        with attempt():
            services.end_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/confirm-password", methods=["GET", "POST"])
@login_required
@limits.confirm_password_limits
def confirm_password():
    """Enter the password again before a sensitive action, then go back to it."""
    next_url = safe_redirect_target(request.values.get("next"), url_for("accounts.settings"))
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        with attempt(tell=form.password, catch=services.InvalidCredentials) as outcome:
            services.check_current_password(current_user, form.password.data)
        if outcome.error:
            limits.note_failed_login()
            return render_template("accounts/confirm_password.html", form=form, next=next_url), 401
        session_policy.note_password_entered()
        return redirect(next_url)
    return render_template("accounts/confirm_password.html", form=form, next=next_url), 422 if form.errors else 200


@bp.route("/reset", methods=["GET", "POST"])
@limits.reset_request_limit
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        # Beyond one e-mail per account per hour nothing is sent, and the answer is the same.
        if limits.may_send_reset_email(form.email.data):
            # The lookup and the e-mail after the response, for any address (``deferred``).
            after_response.password_reset_mail(form.email.data)
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/reset_request.html", form=form), 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    with attempt() as outcome:
        services.user_for_reset_token(token)
    if outcome.error:
        return redirect(url_for("accounts.request_reset"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        with attempt(tell=form.password, catch=services.WeakPassword) as outcome:
            services.reset_password(token, form.password.data)
        if outcome.ok:
            logout_user()
            session.clear()
            flash(_("Your password has been changed. Please log in."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 422 if form.errors else 200


@bp.get("/settings")
@login_required
def settings():
    return render_template("accounts/settings.html", password_form=ChangePasswordForm(),
                           email_form=ChangeEmailForm(), resend_form=ActionForm())


def _refusal_on(password_field, other_field):
    """A wrong current password is told on its field and counts as a failed login; any
    other refusal is told on ``other_field``."""
    def tell(error) -> None:
        if error.code == "invalid_credentials":
            limits.note_failed_login()
            show_on(password_field, error)
        else:
            show_on(other_field, error)
    return tell


@bp.post("/password")
@login_required
@recent_login_required
@limits.confirm_password_limits
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with attempt(tell=_refusal_on(form.current_password, form.password)) as outcome:
            services.change_password(current_user, current_password=form.current_password.data,
                                     new_password=form.password.data)
        if outcome.ok:
            # Every other session has ended; this one continues under the new version.
            login_user(current_user, remember=False)
            flash(_("Your password has been changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/settings.html", password_form=form,
                           email_form=ChangeEmailForm(formdata=None), resend_form=ActionForm()), 422


@bp.post("/email")
@login_required
@recent_login_required
@limits.confirm_password_limits
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        with attempt(tell=_refusal_on(form.current_password, form.new_email)) as outcome:
            services.request_email_change(current_user, password=form.current_password.data,
                                          new_email=form.new_email.data)
        if outcome.ok:
            flash(_("We sent a confirmation link to %(email)s. Your address changes when you open it.",
                    email=services.normalise_email(form.new_email.data)), "info")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/settings.html", password_form=ChangePasswordForm(formdata=None),
                           email_form=form, resend_form=ActionForm()), 422


@bp.get("/email/confirm/<token>")
def confirm_email_change(token: str):
    with attempt(writing=True) as outcome:
        services.confirm_email_change(token)
    if outcome.error:
        return redirect(url_for("main.index"))
    logout_user()
    session.clear()
    flash(_("Your e-mail address has been changed. Please log in with the new address."), "success")
    return redirect(url_for("accounts.login"))
