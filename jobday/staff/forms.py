"""Back-office forms: input shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from jobday.badges.models import RevokeReason
from jobday.forms import FlaskForm, as_choices
from jobday.security import Role


class PeopleFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), validators=[Optional()])
    status = SelectField(_l("Registration"), validators=[Optional()])
    level = SelectField(_l("Education level"), validators=[Optional()])
    area = SelectField(_l("Job area"), validators=[Optional()])
    consent = SelectField(_l("Consent"), validators=[Optional()], choices=as_choices([
        ("", _l("Any")), ("all_exhibitors", _l("Shares with all exhibitors")),
        ("applied", _l("Shares with the companies applied to")), ("none", _l("Shares with no one"))]))


class RolesForm(FlaskForm):
    roles = SelectMultipleField(_l("Roles"), choices=as_choices(Role.choices()),
                                option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    submit = SubmitField(_l("Save the roles"))


class ResendForm(FlaskForm):
    kind = SelectField(_l("E-mail"), choices=as_choices([("confirmation", _l("Address confirmation link")),
                                                         ("badge", _l("Badge and agenda"))]))
    submit = SubmitField(_l("Send again"))


class WithdrawForm(FlaskForm):
    """Withdrawing someone's registration cancels their interviews, revokes their badge and
    e-mails them: a box to tick first."""

    confirm = BooleanField(_l("The candidate asked for it: cancel their interviews and badge, and tell them by e-mail"),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Withdraw the registration"))


class ReissueForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=as_choices(
        (reason.value, reason.lazy_label)
        for reason in (RevokeReason.LOST, RevokeReason.DAMAGED, RevokeReason.NAME_CORRECTED, RevokeReason.OTHER)))
    submit = SubmitField(_l("Reissue the badge"))


class CampaignForm(FlaskForm):
    audience = SelectField(_l("Recipients"), validators=[DataRequired()])
    subject_fr = StringField(_l("Subject (French)"), validators=[DataRequired(), Length(max=200)])
    body_fr = TextAreaField(_l("Text (French)"), validators=[DataRequired(), Length(max=10000)],
                            description=_l("The e-mail starts with “Bonjour <first name>,” unless your text "
                                           "opens with its own greeting."))
    subject_en = StringField(_l("Subject (English)"), validators=[Optional(), Length(max=200)])
    body_en = TextAreaField(_l("Text (English)"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Save the draft"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    who = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)],
                      description=_l("Who acted, or the person concerned."))
