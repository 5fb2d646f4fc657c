"""Form widgets write their attributes with ``jobday.forms.html_params``: exactly WTForms'
own output (same order, escaping, boolean and data-/aria- attributes), faster."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from wtforms.widgets import html_params as wtforms_html_params  # the library's, taken at its import

from jobday.forms import html_params

CASES = [
    {"name": "q", "id": "q", "class_": "wide", "type": "search"},
    {"checked": True, "readonly": False, "name": "box", "abc": "hello"},
    {"data_user_name": "a.b", "aria_describedby": "x-hint x-error", "aria_invalid": "true"},
    {"value": 'say "hi" & <go>', "placeholder": "l'été"},
    {"value": Markup('already <b>"marked"</b>'), "title": Markup("a&amp;b")},
    {"maxlength": 120, "min": 0, "step": 0.5, "value": None},
    {},
]


@pytest.mark.parametrize("kwargs", CASES)
def test_the_same_attributes_as_wtforms(kwargs):
    assert html_params(**kwargs) == wtforms_html_params(**kwargs)
    assert isinstance(html_params(**kwargs), Markup)


def test_the_widgets_use_it(app):
    from wtforms.widgets import core

    assert core.html_params is html_params
    # Input and Button (and so every text, password, hidden, submit... input) reach it through
    # a class attribute of their own, taken at WTForms' import.
    assert core.Input.html_params is html_params
    assert core.Button.html_params is html_params
    assert core.PasswordInput.html_params is html_params


def test_an_input_widget_renders_as_wtforms_does(app):
    from wtforms import Form, StringField

    class Search(Form):
        q = StringField(render_kw={"placeholder": 'say "hi"'})

    field = Search(data={"q": "R&D <x>"}).q
    assert str(field(class_="wide", data_role="search")) == (
        '<input class="wide" data-role="search" id="q" name="q" placeholder="say &#34;hi&#34;" '
        'type="text" value="R&amp;D &lt;x&gt;">')


def test_widgets_still_find_their_validation_attributes_among_the_flags(app):
    from wtforms import Form, IntegerField, StringField
    from wtforms.validators import DataRequired, Length, NumberRange

    class Sized(Form):
        name = StringField(validators=[DataRequired(), Length(min=2, max=40)])
        age = IntegerField(validators=[NumberRange(min=16, max=99)])

    form = Sized()
    assert str(form.name()) == ('<input id="name" maxlength="40" minlength="2" name="name" required type="text" '
                                'value="">')
    assert str(form.age()) == '<input id="age" max="99" min="16" name="age" type="number" value="">'
    assert "required=True" in repr(form.name.flags) and not form.age.flags.required


def test_each_select_widget_class_keeps_its_own_option_renderer(app):
    """The renderer WTForms picks is kept per widget class: a subclass's own ``render_option``
    is still the one its selects use, and the plain widget keeps WTForms' own."""
    from wtforms import Form, SelectField
    from wtforms.widgets import Select

    from jobday.forms import as_choices

    class Starred(Select):
        @classmethod
        def render_option(cls, choice, **kwargs):
            return Markup(f"<option>*{choice.label}</option>")

    class Pick(Form):
        plain = SelectField(choices=as_choices([("a", "A")]))
        starred = SelectField(choices=as_choices([("a", "A")]), widget=Starred())

    form = Pick()
    for _ in range(2):  # the second rendering reads what the first kept
        assert str(form.plain()) == '<select id="plain" name="plain"><option value="a">A</option></select>'
        assert str(form.starred()) == '<select id="starred" name="starred"><option>*A</option></select>'
