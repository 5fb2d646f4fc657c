"""Edition forms: input shape only (the rules live in jobday.editions.services)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from jobday.forms import FlaskForm, IntegerField

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
WINDOW_FIELDS = ("registration_opens_at", "registration_closes_at", "booking_opens_at", "booking_closes_at")
SETTING_FIELDS = ("interview_gap_minutes", "max_interviews_per_candidate", "waitlist_offer_hours",
                  "retention_cv_months", "retention_data_months", "retention_scans_months")


def _window(label):
    return DateTimeLocalField(label, format=LOCAL_FORMAT, validators=[Optional()],
                              description=_l("Local time in Brussels."))


class EditionForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=2000, max=2100)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])
    opens_at = TimeField(_l("Doors open at"), validators=[DataRequired()])
    closes_at = TimeField(_l("Doors close at"), validators=[DataRequired()])
    venue_name = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    venue_address = StringField(_l("Venue address"), validators=[Optional(), Length(max=300)])
    map_url = StringField(_l("Map link"), validators=[Optional(), URL(), Length(max=500)])
    capacity = IntegerField(_l("Capacity (candidates)"), validators=[Optional()],
                            description=_l("Empty: no limit."))
    registration_opens_at = _window(_l("Registration opens"))
    registration_closes_at = _window(_l("Registration closes"))
    booking_opens_at = _window(_l("Booking opens"))
    booking_closes_at = _window(_l("Booking closes"))
    description_fr = TextAreaField(_l("Edition page text (French)"),
                                   validators=[Optional(), Length(max=10000)])
    description_en = TextAreaField(_l("Edition page text (English)"),
                                   validators=[Optional(), Length(max=10000)])
    interview_gap_minutes = IntegerField(_l("Least minutes between two interviews of a candidate"),
                                         validators=[InputRequired(), NumberRange(min=0, max=240)])
    max_interviews_per_candidate = IntegerField(_l("Most interviews per candidate"),
                                                validators=[DataRequired(), NumberRange(min=1, max=50)])
    waitlist_offer_hours = IntegerField(_l("Hours a freed place is held for the waiting list"),
                                        validators=[DataRequired(), NumberRange(min=1, max=720)])
    retention_cv_months = IntegerField(_l("Months CVs are kept after the fair"),
                                       validators=[DataRequired(), NumberRange(min=1, max=120)])
    retention_data_months = IntegerField(_l("Months other candidate data is kept after the fair"),
                                         validators=[DataRequired(), NumberRange(min=1, max=120)])
    retention_scans_months = IntegerField(_l("Months door scans are kept after the fair"),
                                          validators=[DataRequired(), NumberRange(min=1, max=120)])


class CloneForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=2000, max=2100)])
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
