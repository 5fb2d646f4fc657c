"""Form fields' HTML kept once rendered, for forms whose choices are the same for every reader
(the company, leads, applicants and candidate profile pages).

``kept_field(form, name, **attributes)`` writes what ``render_field(form[name], **attributes)``
of ``macros/forms.html`` writes (the macro renders it the first time): a field's markup is the
same for every reader of a language but for its value. So it is kept per language, form class,
field and attributes:

* a text field (an input or a text area) with a hole where its value goes, filled in escaped
  (the macro is rendered once with a placeholder value, and split there);
* any other field (a list, boxes to tick, a button) per value: its value is one of the form's
  fixed choices or a yes/no, never text a user typed.

A field with errors, or with what the browser sent, is rendered by the macro every time; so
are all fields while templates reload (development). A form whose choices differ from one
instance to the next must not use it (the key is the form's class, not its choices).

``kept_form(template, shown, make_form)``: a whole form's fields as a page shows them before
anything is sent, kept for the values they show; the form is built only to render them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup, escape
from wtforms.widgets import Input, TextArea

from jobday import fragments

_HOLE = "keptfieldvaluehole"  # letters only: escaping leaves it as it is
_MAX_KEPT = 4000  # entries; forgotten all at once beyond (values of choices: a few hundred at most)
_kept: dict[tuple, tuple[str, ...]] = {}  # the markup whole (a Markup), or around its value's hole
_has_hole: dict[tuple[type, str], bool] = {}  # (form class, field name) -> a text field


def kept_field(form, name: str, **attributes) -> Markup:
    field = form._fields[name]
    if field.errors or field.raw_data:
        return _render(field, attributes)
    # The form's class and the language, once a form (the form of a request is read in its language).
    base = form.__dict__.get("_kept_base")
    if base is None:
        base = form._kept_base = (type(form), str(get_locale()), current_app.jinja_env.auto_reload)
    if base[2]:
        return _render(field, attributes)
    has_hole = _has_hole.get((base[0], name))
    if has_hole is None:
        has_hole = _has_hole[(base[0], name)] = _has_text_value(field)
    value = None if has_hole else _value_key(field.data)
    if value is _NOT_KEPT:
        return _render(field, attributes)
    key = (base, name, field.id, tuple(attributes.items()) if attributes else (), value)
    parts = _kept.get(key)
    if parts is None:
        parts = _parts(field, attributes, has_hole)
        if parts is None:
            return _render(field, attributes)
        if len(_kept) >= _MAX_KEPT:
            _kept.clear()
        _kept[key] = parts
    if len(parts) == 1:
        return parts[0]
    return Markup(f"{parts[0]}{escape(field._value())}{parts[1]}")


def _render(field, attributes: dict) -> Markup:
    macros = current_app.jinja_env.get_template("macros/forms.html").module
    return Markup(macros.render_field(field, **attributes))


def _has_text_value(field) -> bool:
    widget = field.widget
    if isinstance(widget, TextArea):
        return True
    return isinstance(widget, Input) and widget.input_type not in ("checkbox", "radio", "hidden", "submit", "file")


def _value_key(data):
    if isinstance(data, list | set | frozenset):
        data = ("many", tuple(data))
    try:
        hash(data)
    except TypeError:
        return _NOT_KEPT
    return data


_NOT_KEPT = object()


def _parts(field, attributes: dict, has_hole: bool) -> tuple[str, ...] | None:
    """The field's markup, split where its value goes (a text field), else whole; None when
    a text field does not show the placeholder exactly once."""
    if not has_hole:
        return (_render(field, attributes),)
    data = field.data
    field.data = _HOLE
    try:
        html = str(_render(field, attributes))
    except (AttributeError, TypeError, ValueError):  # a field that formats its value (a date): not kept
        return None
    finally:
        field.data = data
    parts = html.split(_HOLE)
    return tuple(parts) if len(parts) == 2 else None  # its value shown once, or rendered each time


def kept_form(template: str, shown: Hashable | None, make_form: Callable[[], Any]) -> Markup:
    """A form's fields (``template`` rendered with ``form=make_form()``; its CSRF token is the
    page's), kept per language for ``shown``: the values they show. None: the form was sent
    (its values and errors are the browser's), rendered each time. The form is built only when
    its fields are rendered."""
    return fragments.kept(None if shown is None else (template, shown),
                          lambda: render_template(template, form=make_form()))


def init_app(app) -> None:
    app.add_template_global(kept_field, "kept_field")
    app.add_template_global(fragments.kept_macro, "kept_macro")
