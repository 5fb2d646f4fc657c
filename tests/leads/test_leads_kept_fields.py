"""The leads forms' fields written by ``kept_field`` (those whose choices are the same for every
company) are what ``render_field`` writes: each rating, follow-up and kind, a note with tricky
text, in each language, the first time and the next ones."""

import pytest
from werkzeug.datastructures import MultiDict

from jobday.kept_fields import kept_field
from jobday.leads.forms import InviteForm, LeadFilterForm, LeadForm, TagForm
from jobday.leads.vocabulary import InvitationKind, LeadState

TRICKY = "À rappeler & \"vite\" <b>l'été</b>\r\nkeptfield"


def _same(app, form, fields):
    render_field = app.jinja_env.get_template("macros/forms.html").module.render_field
    for name, attributes in fields:
        assert kept_field(form, name, **attributes) == render_field(form[name], **attributes), name


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_kept_lead_fields_write_what_the_macro_writes(app, lang):
    states = [str(state) for state in LeadState]
    with app.app_context(), app.test_request_context(headers={"Accept-Language": lang}):
        for _ in range(2):  # first rendered by the macro, then kept
            for rating, state, note in [(None, states[0], ""), (3, states[-1], TRICKY), (5, states[1], None)]:
                form = LeadForm(formdata=None, data={"rating": rating, "state": state, "note": note})
                _same(app, form, [("rating", {}), ("state", {}), ("note", {"rows": 4}), ("submit", {})])
            for kind in (str(InvitationKind.APPLY), str(InvitationKind.SLOT)):
                invite = InviteForm(formdata=None, prefix="invite", data={"kind": kind, "message": TRICKY})
                _same(app, invite, [("kind", {}), ("message", {"rows": 2}), ("submit", {})])
            _same(app, LeadFilterForm(formdata=MultiDict()), [("rating", {}), ("state", {})])
            _same(app, TagForm(formdata=None), [("name", {}), ("submit", {})])


def test_sent_filters_are_written_by_the_macro(app):
    with app.test_request_context("/company/leads?rating=9&state=nope", headers={"Accept-Language": "en"}):
        form = LeadFilterForm(formdata=MultiDict({"rating": "9", "state": "nope"}))
        form.tag.choices = form.offer.choices = [("", "")]
        form.validate()
        _same(app, form, [("rating", {}), ("state", {})])
        assert "Not a valid choice" in kept_field(form, "state")
