"""Candidate forms: input shape only; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from jobday.candidates.consent import CONSENT_TEXTS
from jobday.candidates.models import ConsentKind, LanguageLevel
from jobday.forms import FlaskForm, IntegerField, as_choices
from jobday.vocabulary import ContractType, EducationLevel, JobArea, Language, Region

LEVEL_CHOICES = LanguageLevel.choices(blank=_l("—"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Family name"), validators=[DataRequired(), Length(max=100)])
    education_level = RadioField(_l("Education level"), choices=as_choices(EducationLevel.choices()),
                                 validators=[InputRequired(message=_l("Choose your education level."))])
    job_areas = MultiCheckboxField(_l("Job areas you are looking for"), choices=as_choices(JobArea.choices()),
                                   validators=[DataRequired(message=_l("Choose at least one job area."))])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)],
                        description=_l("Belgian or international, e.g. 0470 12 34 56 or +33 6 12 34 56 78."))
    postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=10)])
    region = SelectField(_l("Region"), choices=as_choices(Region.choices(blank=_l("From the postcode"))),
                         validators=[Optional()])
    field_of_study = StringField(_l("Field of study"), validators=[Optional(), Length(max=200)])
    years_experience = IntegerField(_l("Years of experience"), validators=[
        Optional(), NumberRange(min=0, max=60, message=_l("Enter a number of years between 0 and 60."))])
    contract_types = MultiCheckboxField(_l("Contract types you are looking for"),
                                        choices=as_choices(ContractType.choices()))
    lang_fr = SelectField(Language.FR.lazy_label, choices=as_choices(LEVEL_CHOICES), validators=[Optional()])
    lang_nl = SelectField(Language.NL.lazy_label, choices=as_choices(LEVEL_CHOICES), validators=[Optional()])
    lang_en = SelectField(Language.EN.lazy_label, choices=as_choices(LEVEL_CHOICES), validators=[Optional()])
    lang_de = SelectField(Language.DE.lazy_label, choices=as_choices(LEVEL_CHOICES), validators=[Optional()])
    availability_date = DateField(_l("Available from"), validators=[Optional()])
    about = TextAreaField(_l("About you"), validators=[Optional(), Length(max=2000)],
                          description=_l("A few lines for the recruiters (2,000 characters at most)."))
    next = HiddenField()
    submit = SubmitField(_l("Save my profile"))

    def language_fields(self):
        return [getattr(self, f"lang_{code}") for code in Language]

    def languages(self) -> dict[str, str]:
        return {code.value: getattr(self, f"lang_{code}").data or "" for code in Language}


class CvForm(FlaskForm):
    cv = FileField(_l("CV (PDF)"), validators=[FileRequired(message=_l("Choose a PDF file."))])
    next = HiddenField()  # the registration's next step, kept across the upload
    submit = SubmitField(_l("Upload"))


class ConsentForm(FlaskForm):
    share_with_applied = BooleanField(CONSENT_TEXTS[ConsentKind.SHARE_WITH_APPLIED])
    share_with_all_exhibitors = BooleanField(CONSENT_TEXTS[ConsentKind.SHARE_WITH_ALL_EXHIBITORS])
    news = BooleanField(CONSENT_TEXTS[ConsentKind.NEWS])
    next = HiddenField()
    submit = SubmitField(_l("Save my choices"))


class RegisterForm(FlaskForm):
    join_waitlist = HiddenField()
    submit = SubmitField(_l("Confirm my registration"))


class PasswordAgainForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("For your safety, we ask for your password again."))
    submit = SubmitField(_l("Confirm"))


class DeleteAccountForm(PasswordAgainForm):
    understood = BooleanField(_l("I understand that my account, profile and CV will be erased for good."),
                              validators=[DataRequired(message=_l("Tick this box to confirm."))])
    submit = SubmitField(_l("Delete my account"))
