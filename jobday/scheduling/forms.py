"""Scheduling forms: input shape only; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from jobday.forms import FlaskForm, as_choices
from jobday.scheduling.models import ApplicationStatus, AvailabilityPeriod
from jobday.vocabulary import ContractType, EducationLevel, JobArea


class ActionForm(FlaskForm):
    """A button that posts: CSRF only."""

    submit = SubmitField(_l("Confirm"))


class CompanyFilterForm(FlaskForm):
    """The company browser's filters (GET, no state change: no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search by name"), validators=[Optional(), Length(max=100)])
    area = SelectField(
        _l("Job area"), choices=as_choices(JobArea.choices(blank=_l("Any"))), validators=[Optional()]
    )
    contract = SelectField(
        _l("Contract"), choices=as_choices(ContractType.choices(blank=_l("Any"))), validators=[Optional()]
    )
    level = SelectField(
        _l("Education level"),
        choices=as_choices(EducationLevel.choices(blank=_l("Any"))),
        validators=[Optional()],
    )
    sort = SelectField(_l("Order"), choices=as_choices([("", _l("By name")), ("match", _l("Best match first"))]),
                       validators=[Optional()])
    submit = SubmitField(_l("Filter"))


class ApplyForm(FlaskForm):
    offer_id = SelectField(
        _l("Offer"), coerce=int, validators=[Optional()], description=_l("Optional: the offer you apply for.")
    )
    motivation = TextAreaField(
        _l("Your motivation"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("A few sentences: why this company, what you are looking for."),
    )
    submit = SubmitField(_l("Apply"))


class MoveForm(FlaskForm):
    slot_id = SelectField(_l("New time"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Move my interview"))


class WishesForm(FlaskForm):
    period = RadioField(
        _l("When can you come?"),
        choices=as_choices(AvailabilityPeriod.choices()),
        default=AvailabilityPeriod.ALL.value,
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Save my wishes"))


class ApplicantFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=as_choices([("", _l("All"))] + [(status.value, status.lazy_label)
                                                for status in ApplicationStatus.decided_by_companies()]),
        validators=[Optional()],
    )
    level = SelectField(
        _l("Education level"),
        choices=as_choices(EducationLevel.choices(blank=_l("Any"))),
        validators=[Optional()],
    )
    area = SelectField(
        _l("Job area"), choices=as_choices(JobArea.choices(blank=_l("Any"))), validators=[Optional()]
    )
    sort = SelectField(
        _l("Sort by"),
        choices=as_choices(
            [
                ("newest", _l("Newest first")),
                ("oldest", _l("Oldest first")),
                ("name", _l("Name")),
                ("level", _l("Education level")),
            ]
        ),
        default="newest",
        validators=[Optional()],
    )
    submit = SubmitField(_l("Filter"))


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=as_choices([("accept", _l("Accept")), ("decline", _l("Decline"))]),
        validators=[DataRequired(message=_l("Choose accept or decline."))],
    )
    message = TextAreaField(
        _l("Message to the candidate (optional)"), validators=[Optional(), Length(max=2000)]
    )
    submit = SubmitField(_l("Send my decision"))


class ProposeForm(FlaskForm):
    slot_id = SelectField(_l("Slot"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Propose this slot"))


class ShortlistForm(FlaskForm):
    shortlisted = HiddenField()
    submit = SubmitField(_l("Save"))


class OutcomeForm(FlaskForm):
    outcome = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Save"))


class RunForm(FlaskForm):
    keep_locks = BooleanField(_l("Keep the interviews locked in the last preview"), default=True)
    matching = BooleanField(
        _l("Suggest interviews to candidates without wishes, from their profile"), default=False,
        description=_l("Only candidates who share their profile with every exhibitor, with open-booking "
                       "companies whose offers fit them. Such an interview counts less than any wish a "
                       "candidate made."))
    submit = SubmitField(_l("Run the scheduler"))


class LimitForm(FlaskForm):
    limit = SelectField(
        _l("Interviews one candidate may have with us"),
        coerce=int,
        choices=as_choices([(1, "1"), (2, "2"), (3, "3")]),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Save"))
