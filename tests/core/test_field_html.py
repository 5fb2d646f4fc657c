"""``render_field`` writes fields in Python (``jobday.forms.field_html``): the same markup as the
Jinja macro it replaced (``render_field_reference.html``), for every field of every form of the
application, empty and filled in, with and without a hint, errors and extra attributes, in
French and English."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

import jobday
from jobday.forms import FlaskForm

REFERENCE = (Path(__file__).with_name("render_field_reference.html")).read_text()
VARIANTS = [({}, None, []), ({}, "A hint & <b>", []), ({}, None, ["Wrong <value> & more", {"entry": "nested"}]),
            ({"class_": "big", "autocomplete": "email"}, "Hint", ["Wrong"]),
            ({"rows": 5, "inputmode": "numeric", "min": 0, "max": 60}, None, [])]


def _forms() -> list[type]:
    found = []
    for module in pkgutil.walk_packages(jobday.__path__, "jobday."):
        if module.name.endswith(".forms"):
            loaded = importlib.import_module(module.name)
            found += [value for value in vars(loaded).values() if inspect.isclass(value)
                      and issubclass(value, FlaskForm) and value.__module__ == loaded.__name__]
    return found


def _filled(form) -> MultiDict:
    """Something for each field: the first choice of a list, a tick, a text with markup."""
    data = MultiDict()
    for field in form:
        choices = getattr(field, "choices", None)
        if choices:
            first = next(iter(field.iter_choices())).value
            data.add(field.name, str(first))
        elif field.type in ("BooleanField",):
            data.add(field.name, "y")
        elif field.type not in ("FileField", "MultipleFileField", "SubmitField", "CSRFTokenField", "FieldList",
                                "FormField"):
            data.add(field.name, "Zoë & \"Fils\" <i>")
    return data


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_fields_are_written_as_the_macro_wrote_them(app, lang):
    reference = app.jinja_env.from_string(REFERENCE + "{{ render_field(field, hint=hint, **attributes) }}")
    current = app.jinja_env.from_string('{% from "macros/forms.html" import render_field %}'
                                        "{{ render_field(field, hint=hint, **attributes) }}")
    compared = 0
    with app.test_request_context(headers={"Accept-Language": lang}):
        for form_class in _forms():
            for empty in (True, False):
                try:
                    form = form_class(formdata=None)
                    if not empty:
                        form = form_class(formdata=_filled(form))
                except TypeError:  # a form that needs arguments: its fields are the same kinds
                    continue
                for field in form:
                    if field.type in ("FieldList", "FormField"):
                        continue
                    for attributes, hint, errors in VARIANTS:
                        field.errors = list(errors)
                        values = {"field": field, "hint": hint, "attributes": attributes}
                        assert current.render(values) == reference.render(values), (form_class, field.name)
                        compared += 1
    assert compared > 1000
