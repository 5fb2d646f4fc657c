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
