"""Account forms: input shape only; the rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from jobday.forms import FlaskForm

_email_validators = [DataRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))]


def strip(value):
    """Phones' autocompletion often adds a trailing space to e-mail addresses."""
    return value.strip() if isinstance(value, str) else value



class SignupForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Family name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail address"), validators=_email_validators, filters=[strip])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("At least 12 characters. A few unrelated words work well."))
    password_confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Create my account"))


class CorrectEmailForm(FlaskForm):
    email = EmailField(_l("The right e-mail address"), validators=_email_validators, filters=[strip])
    submit = SubmitField(_l("Send the link to this address"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=_email_validators, filters=[strip])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me on this device"),
                            description=_l("Not for organisers and door staff: their sessions always end."))
    submit = SubmitField(_l("Log in"))


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Confirm"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=_email_validators, filters=[strip])
    submit = SubmitField(_l("Send me a reset link"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("At least 12 characters. A few unrelated words work well."))
    password_confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Save the new password"))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class ChangeEmailForm(FlaskForm):
    new_email = EmailField(_l("New e-mail address"), validators=_email_validators, filters=[strip])
    # Its own id: the settings page shows this form beside the password form's field of that name.
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     id="email-current_password")
    submit = SubmitField(_l("Change my e-mail address"))
