"""Badge forms: input shape only; the rules live in services and printing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from jobday.badges.layouts import MAX_OFFSET_MM
from jobday.badges.models import BadgeRole, PrintLayout, RevokeReason
from jobday.forms import FlaskForm, as_choices

LAYOUT_CHOICES = PrintLayout.choices()
ROLE_CHOICES = BadgeRole.choices(blank=_l("Every role"))
REISSUE_CHOICES = [(reason.value, reason.lazy_label) for reason in RevokeReason.for_reissue()]
_offset = [Optional(), NumberRange(min=-MAX_OFFSET_MM, max=MAX_OFFSET_MM,
                                   message=_l("Between -10 and 10 mm."))]


class PrintFilterForm(FlaskForm):
    """The selection, read from the query string (GET): no CSRF, it changes nothing."""

    class Meta:
        csrf = False

    role = SelectField(_l("Role"), choices=as_choices(ROLE_CHOICES), default="")
    company = SelectField(_l("Company"), choices=as_choices([]), default="")
    layout = SelectField(_l("Layout"), choices=as_choices(LAYOUT_CHOICES), default="a4-8")
    offset_x = DecimalField(
        _l("Calibration: move right (mm)"), places=1, default=0, validators=_offset,
        description=_l("Negative values move to the left. Measure it on a printed test page."))
    offset_y = DecimalField(_l("Calibration: move down (mm)"), places=1, default=0, validators=_offset,
                            description=_l("Negative values move up."))
    only_new = BooleanField(_l("Only badges new or changed since the last print"))
    submit = SubmitField(_l("Show the selection"))


class PrintForm(PrintFilterForm):
    """The same selection, confirmed (POST, CSRF), with the reason for a reprint."""

    class Meta:
        csrf = True

    reason = StringField(_l("Reason for printing again"), validators=[Optional(), Length(max=300)],
                         description=_l("Required when the selection holds badges printed before."))
    submit = SubmitField(_l("Print these badges"))


class ReissueForm(FlaskForm):
    reason = SelectField(_l("Why a new badge?"), choices=as_choices(REISSUE_CHOICES),
                         validators=[InputRequired()])
    submit = SubmitField(_l("Issue a new code"))
