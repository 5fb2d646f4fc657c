"""The leads' forms: input shape only; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from jobday.companies.forms import MultiCheckboxField
from jobday.forms import FlaskForm, IntegerField, as_choices
from jobday.leads.models import NOTE_MAX, TAG_MAX
from jobday.leads.services import LeadFilters
from jobday.leads.vocabulary import InvitationKind, LeadState


def optional_int(value):
    """"" (or nothing) is None; anything else must be a number (WTForms says so otherwise)."""
    if value in (None, "", "None"):
        return None
    return int(value)


def filters_from(args) -> LeadFilters:
    """The list's filters from the query string (the list and its exports); what is not
    understood is left out."""
    def number(name: str, highest: int = 2**31 - 1) -> int | None:
        value = args.get(name, "")
        return int(value) if value.isdigit() and len(value) < 11 and 0 < int(value) <= highest else None

    state = args.get("state", "")
    return LeadFilters(min_rating=number("rating", 5), tag_id=number("tag"),
                       state=state if state in set(LeadState) else "", offer_id=number("offer"))


RATINGS = [("", _l("No rating")), *[(str(n), "★" * n) for n in range(1, 6)]]


class LeadForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])
    rating = RadioField(_l("Rating"), choices=as_choices(RATINGS), coerce=optional_int, validators=[Optional()])
    state = SelectField(_l("Follow-up"), choices=as_choices(LeadState.choices()),
                        validators=[DataRequired()])
    tags = MultiCheckboxField(_l("Tags"), coerce=int, validators=[Optional()])
    offer_id = SelectField(_l("Offer discussed"), coerce=optional_int, validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)],
                         description=_l("Seen by your colleagues only, erased with the candidate's data."))
    submit = SubmitField(_l("Save"))


class LeadFilterForm(FlaskForm):
    """The list's filters (GET, no state change: no CSRF)."""

    class Meta:
        csrf = False

    rating = SelectField(_l("Rating"), coerce=optional_int, validators=[Optional()], choices=as_choices(
        [("", _l("Any rating")), ("1", _l("1 star or more")),
         *[(str(n), _l("%(n)d stars or more", n=n)) for n in range(2, 6)]]))
    tag = SelectField(_l("Tag"), coerce=optional_int, validators=[Optional()])
    state = SelectField(_l("Follow-up"), validators=[Optional()],
                        choices=as_choices(LeadState.choices(blank=_l("Any follow-up"))))
    offer = SelectField(_l("Offer"), coerce=optional_int, validators=[Optional()])
    submit = SubmitField(_l("Filter"))


class TagForm(FlaskForm):
    name = StringField(_l("New tag"), validators=[DataRequired(), Length(max=TAG_MAX)])
    submit = SubmitField(_l("Add the tag"))


class InviteForm(FlaskForm):
    kind = RadioField(_l("Propose"), default=InvitationKind.APPLY.value, validators=[DataRequired()],
                      choices=as_choices([(InvitationKind.APPLY.value, _l("to apply (or book) with us")),
                                          (InvitationKind.SLOT.value, _l("this interview slot:"))]))
    slot_id = SelectField(_l("Slot"), coerce=optional_int, validators=[Optional()])
    message = TextAreaField(_l("Message to the candidate"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Send the invitation"))
