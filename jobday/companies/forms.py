"""Company forms: input shape only; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from jobday.companies.models import APPLY_BOOKING, OPEN_BOOKING, Sector
from jobday.forms import FlaskForm, IntegerField, as_choices
from jobday.vocabulary import ContractType, EducationLevel, JobArea, Language, Region

_password_hint = _l("At least 12 characters. A few unrelated words work well.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompanyForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=200)])
    enterprise_number = StringField(_l("Enterprise number (BCE/KBO)"), validators=[Length(max=20)],
                                    description=_l("For example 0123.456.749."))
    is_foreign = BooleanField(_l("Foreign company without a Belgian enterprise number"))
    sector = SelectField(_l("Sector"), choices=as_choices(Sector.choices()), validators=[DataRequired()])
    description_fr = TextAreaField(_l("Short description in French"), validators=[Length(max=2000)])
    description_en = TextAreaField(_l("Short description in English"), validators=[Length(max=2000)])
    website = StringField(_l("Website"), validators=[Length(max=300)],
                          description=_l("For example https://www.example.be"))
    contact_name = StringField(_l("Contact person"), validators=[Length(max=200)])
    contact_phone = StringField(_l("Contact phone"), validators=[Length(max=40)])
    submit = SubmitField(_l("Save"))


class CompanySignupForm(CompanyForm):
    """Company registration by a visitor: the recruiter's account comes with it."""

    first_name = StringField(_l("Your first name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Your family name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("Your professional e-mail address"), validators=[
        DataRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             description=_password_hint)
    password_confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Register the company"))


class LogoForm(FlaskForm):
    logo = FileField(_l("Logo"), validators=[FileRequired(_l("Choose a file."))],
                     description=_l("PNG, JPEG or SVG, at most 1 MB."))
    submit = SubmitField(_l("Upload the logo"))


class ApplicationForm(FlaskForm):
    recruiters_coming = IntegerField(_l("Number of recruiters coming"), default=2,
                                     validators=[InputRequired(), NumberRange(min=1, max=30)])
    tables_wanted = IntegerField(_l("Interview tables wanted"), default=1,
                                 validators=[InputRequired(), NumberRange(min=1, max=10)])
    needs_power = BooleanField(_l("We need a power outlet"))
    needs_screen = BooleanField(_l("We need a screen"))
    needs_other = StringField(_l("Other needs"), validators=[Length(max=500)])
    submit = SubmitField(_l("Apply"))


class ActivityMailForm(FlaskForm):
    email_activity = BooleanField(_l("E-mail me about new applications, bookings and cancellations at our company"))
    submit = SubmitField(_l("Save my choice"))


class InviteForm(FlaskForm):
    email = EmailField(_l("Colleague's e-mail address"), validators=[
        DataRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))])
    submit = SubmitField(_l("Send the invitation"))


class JoinSignupForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Family name"), validators=[DataRequired(), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             description=_password_hint)
    password_confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Create my account and join"))


class OfferForm(FlaskForm):
    title = StringField(_l("Job title"), validators=[DataRequired(), Length(max=200)])
    contract_type = SelectField(_l("Contract type"), choices=as_choices(ContractType.choices()),
                                validators=[DataRequired()])
    education_level = SelectField(_l("Education level"), choices=as_choices(EducationLevel.choices()),
                                  validators=[DataRequired()])
    job_areas = MultiCheckboxField(_l("Job areas"), choices=as_choices(JobArea.choices()), validators=[
        DataRequired(_l("Choose at least one job area."))])
    location = StringField(_l("Location"), validators=[Length(max=200)])
    region = SelectField(_l("Region"), choices=as_choices(Region.choices(blank=_l("Not said"))),
                         validators=[Optional()])
    languages = MultiCheckboxField(_l("Languages the job needs"), choices=as_choices(Language.choices()),
                                   validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    open_for_interviews = BooleanField(_l("Open to interviews at the fair"), default=True)
    submit = SubmitField(_l("Save the offer"))


class PlanSettingsForm(FlaskForm):
    slot_minutes = IntegerField(_l("Slot length (minutes)"),
                                validators=[InputRequired(), NumberRange(10, 60)])
    pause_minutes = IntegerField(_l("Pause between slots (minutes)"),
                                 validators=[InputRequired(), NumberRange(0, 60)])
    booking_mode = RadioField(_l("Booking mode"), choices=as_choices([
        (OPEN_BOOKING, _l("Open booking: candidates book free slots")),
        (APPLY_BOOKING, _l("Apply and accept: candidates apply, you accept"))]), validators=[DataRequired()])
    confirm_cancel = BooleanField(_l("Cancel the interviews listed above and notify the candidates"))
    submit = SubmitField(_l("Save and generate the slots"))


class TableForm(FlaskForm):
    name = StringField(_l("Table name"), validators=[DataRequired(), Length(max=60)])
    recruiter_id = SelectField(_l("Recruiter at this table"), coerce=lambda v: int(v) if v else None,
                               validators=[Optional()])
    hours = FieldList(StringField(_l("Opening hours"), validators=[Length(max=200)]), min_entries=1)
    confirm_cancel = BooleanField(_l("Cancel the interviews listed above and notify the candidates"))
    submit = SubmitField(_l("Save the table"))


class DecisionForm(FlaskForm):
    stand = StringField(_l("Stand number"), validators=[Length(max=12)])
    message = TextAreaField(_l("Message to the company (optional)"), validators=[Length(max=2000)])
    approve = SubmitField(_l("Approve"))
    decline = SubmitField(_l("Decline"))


class StandForm(FlaskForm):
    stand = StringField(_l("Stand number"), validators=[Length(max=12)])
    submit = SubmitField(_l("Assign the stand"))


class OfferFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)],
                    description=_l("A title, a company, a place: accents and capitals do not matter."))

    area = SelectField(_l("Job area"), choices=as_choices(JobArea.choices(blank=_l("All areas"))),
                       validators=[Optional()])
    contract = SelectField(_l("Contract"), choices=as_choices(ContractType.choices(blank=_l("All contracts"))),
                           validators=[Optional()])
    level = SelectField(_l("Level"), choices=as_choices(EducationLevel.choices(blank=_l("All levels"))),
                        validators=[Optional()])
    sort = SelectField(_l("Order"), choices=as_choices([("", _l("By title")), ("match", _l("Best match first"))]),
                       validators=[Optional()])
    submit = SubmitField(_l("Filter"))


class ExhibitorFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name"), validators=[Optional(), Length(max=100)])
    sort = SelectField(_l("Order"), choices=as_choices([("", _l("By name")), ("match", _l("Best match first"))]),
                       validators=[Optional()])  # shown to candidates only
