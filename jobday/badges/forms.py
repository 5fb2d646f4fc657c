"""Badge forms: input shape only; the rules live in services and printing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from jobday.badges.layouts import MAX_OFFSET_MM
from jobday.forms import FlaskForm

try:  # WTForms 3.3 deprecates (value, label) tuples as choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def as_choices(pairs) -> list:
    """(value, label) pairs as the choices this WTForms version wants."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


LAYOUT_CHOICES = [
    ("a4-8", _l("A4 sheet, 8 credit-card badges (cut marks)")),
    ("a4-4", _l("A4 sheet, 4 A6 badges (crop lines)")),
    ("a6", _l("A6, one badge per page")),
    ("card", _l("Credit card (85.6 × 54 mm), one badge per page")),
]
ROLE_CHOICES = [
    ("", _l("Every role")),
    ("candidate", _l("Candidates")),
    ("recruiter", _l("Recruiters")),
    ("staff", _l("Jobday team")),
    ("visitor", _l("Visitors")),
]
REISSUE_CHOICES = [
    ("lost", _l("Lost")),
    ("damaged", _l("Damaged")),
    ("name_corrected", _l("Name corrected")),
    ("role_changed", _l("Role changed")),
    ("other", _l("Other")),
]
# Every reason a badge may carry once revoked (the list of badges shows them).
REASON_LABELS = dict(REISSUE_CHOICES) | {
    "name_changed": _l("Name changed"),
    "withdrawn": _l("Registration withdrawn"),
    "not_taking_part": _l("No longer taking part"),
    "erased": _l("Account erased"),
}
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
