"""Door forms: input shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from jobday.badges.forms import as_choices
from jobday.badges.layouts import SINGLE_LAYOUTS
from jobday.checkin.devices import GATE_PATTERN
from jobday.forms import FlaskForm

# The formats a door prints one badge in (the badges' single layouts), named short.
DOOR_FORMATS = {"a6": _l("A6 (105 × 148 mm)"), "card": _l("Credit card (85.6 × 54 mm)"),
                "label": _l("Label (101 × 54 mm)")}


class WalkInForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=100)])
    kind = RadioField(_l("Comes as"), default="candidate", validators=[InputRequired()],
                      choices=as_choices([("candidate", _l("Candidate")), ("company", _l("Company visitor"))]))
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)],
                       description=_l("Required for candidates (their account); optional for visitors."))
    company = StringField(_l("Company"), validators=[Optional(), Length(max=200)],
                          description=_l("For company visitors."))
    gate = StringField(_l("Gate"), default="A", validators=[InputRequired(), Regexp(GATE_PATTERN.pattern)])
    layout = SelectField(_l("Badge format"), default="a6",
                         choices=as_choices([(code, DOOR_FORMATS[code]) for code in SINGLE_LAYOUTS]),
                         description=_l("The door's printer: kept for the next walk-in."))
    submit = SubmitField(_l("Register, let in and print the badge"))

    def validate_email(self, field) -> None:
        if self.kind.data == "candidate" and not (field.data or "").strip():
            raise ValidationError(_l("A candidate needs an e-mail address: it opens their account."))


class DeviceForm(FlaskForm):
    gate = StringField(_l("Gate"), validators=[InputRequired(), Regexp(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,19}$")])
    label = StringField(_l("Label"), validators=[Optional(), Length(max=80)],
                        description=_l("For example the phone's name."))
    submit = SubmitField(_l("Create a device token"))
