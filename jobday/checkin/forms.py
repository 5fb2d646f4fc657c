"""Door forms: input shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from jobday.badges.forms import as_choices
from jobday.forms import FlaskForm


class WalkInForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    kind = RadioField(_l("Comes as"), default="candidate", validators=[InputRequired()],
                      choices=as_choices([("candidate", _l("Candidate")), ("company", _l("Company"))]))
    company = StringField(_l("Company"), validators=[Optional(), Length(max=200)],
                          description=_l("For company visitors."))
    submit = SubmitField(_l("Register and print the badge"))


class DeviceForm(FlaskForm):
    gate = StringField(_l("Gate"), validators=[InputRequired(), Regexp(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,19}$")])
    label = StringField(_l("Label"), validators=[Optional(), Length(max=80)],
                        description=_l("For example the phone's name."))
    submit = SubmitField(_l("Create a device token"))
