"""The base of every form (Flask-WTF's ``FlaskForm``, reading only what a browser's form sends)
and an integer field that refuses numbers no form needs.

Flask-WTF feeds a submitted form with ``request.files`` merged into ``request.form``, and with
the decoded body of a JSON request. So a file posted under a text field's name reached that
field as a ``FileStorage`` (its length validator failed with a TypeError: a 500), and a JSON
list or nested object reached fields as lists and dicts. Here a file counts only for a file
field, and a JSON body is not form data (the form sees no fields and says what is missing).
A multipart part whose name Werkzeug cannot read (a line break in it) has the key None, which
broke ``FieldList`` (it calls ``startswith`` on every key): such parts are left out.

Every field refuses control characters (``plain_text``; text areas keep tab and line breaks)
with a field error, shown even by a filter form that reads the query string without validating;
the field is then left empty, so no view ever reads them.

WTForms' ``IntegerField`` takes any number of digits; ``NumberRange`` then compares it as a
float (a 400-digit number raised OverflowError: a 500) and the databases store 64-bit
integers. ``IntegerField`` here refuses more than ``MAX_DIGITS`` digits as "not a valid integer".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from flask import request
from flask.globals import _cv_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm as _FlaskForm
from flask_wtf.csrf import generate_csrf
from flask_wtf.form import _Auto  # the default formdata: "read the request"
from markupsafe import Markup, escape
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import BooleanField, FieldList, FileField, FormField, SubmitField, TextAreaField
from wtforms import IntegerField as _IntegerField
from wtforms.fields.core import Flags
from wtforms.validators import DataRequired, InputRequired
from wtforms.widgets import HiddenInput, Select, TextArea
from wtforms.widgets import core as widgets_core
from wtforms.widgets.core import clean_key

from jobday import plain_text

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - WTForms before 3.3
    SelectChoice = None

MAX_DIGITS = 15


_attribute_names: dict[str, str] = {}  # keyword -> attribute name; the keywords are the code's


def html_params(**kwargs) -> Markup:
    """WTForms' ``html_params``, the same attributes in the same order and escaping, without
    ``Markup.format`` (a string formatter per attribute: a tenth of a form page's time)."""
    params = []
    for key, value in sorted(kwargs.items()):
        name = _attribute_names.get(key)
        if name is None:
            name = _attribute_names[key] = str(escape(clean_key(key)))
        if value is True:
            params.append(name)
        elif value is not False:
            value = str.replace(escape(value), '"', "&quot;")  # a Markup value keeps its quotes
            params.append(f'{name}="{value}"')
    return Markup(" ".join(params))


def init_app(app) -> None:
    """Form fields' kind for ``macros/forms.html``; WTForms' widgets write their attributes
    with ``html_params`` above (the module's function for most widgets, a class attribute of
    ``Input`` and ``Button`` and their subclasses)."""
    app.jinja_env.globals.update(field_kind=field_kind, field_parts=field_parts, field_html=field_html,
                                  form_error_parts=form_error_parts, csrf_token=csrf_token)
    # Flask-WTF also hands its ``generate_csrf`` to every template's context, over the global.
    app.context_processor(lambda: {"csrf_token": csrf_token})
    widgets_core.html_params = html_params
    for widget in (widgets_core.Input, widgets_core.Button):
        widget.html_params = staticmethod(html_params)
    # Each widget looks for its validation attributes (required, maxlength, ...) in
    # ``dir(field.flags)``, which walks the class hierarchy at every field; the flags are the
    # instance's attributes (the class has only dunder names, which no widget looks for).
    Flags.__dir__ = _flag_names
    Select._dispatch_render_option = classmethod(_dispatch_render_option)


_render_options: dict[type, object] = {}  # Select widget class -> its option renderer
_wtforms_dispatch_render_option = Select._dispatch_render_option.__func__


def _dispatch_render_option(cls):
    """WTForms' choice of ``render_option`` (by its signature) made once per widget class: it
    inspected the signature at every ``<select>`` rendered (~35 µs each). WTForms' own
    ``render_option`` becomes ``_render_option`` below; a subclass's own is kept."""
    found = _render_options.get(cls)
    if found is None:
        found = _wtforms_dispatch_render_option(cls)
        if getattr(found, "__func__", None) is _wtforms_render_option:
            found = _render_option
        _render_options[cls] = found
    return found


_wtforms_render_option = Select.render_option.__func__


def _render_option(choice, **kwargs) -> Markup:
    """WTForms' ``<option>``, the same markup, written directly for a plain choice (a select
    per language on the profile page: ninety options, each through a dictionary, a sort and
    ``html_params``)."""
    if kwargs or choice.render_kw:
        return _wtforms_render_option(Select, choice, **kwargs)
    value = choice.value
    if isinstance(value, bool):
        value = str(value)
    value = str.replace(escape(value), '"', "&quot;")
    label = escape(choice.label or choice.value)
    return Markup(f'<option selected value="{value}">{label}</option>' if choice.selected
                  else f'<option value="{value}">{label}</option>')


def csrf_token() -> str:
    """Flask-WTF's ``generate_csrf`` for templates: the token is signed once per request and
    kept in ``g`` under the field's name, where it is read here directly (``generate_csrf``
    reads the configuration twice through proxies before looking there)."""
    context = _cv_app.get(None)
    if context is not None:
        token = context.g.__dict__.get(context.app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        if token is not None:
            return token
    return generate_csrf()


def _flag_names(flags) -> list[str]:
    return list(flags.__dict__)


def field_kind(field) -> str:
    """How ``macros/forms.html`` renders a field: hidden, submit, checkbox, radio, checkboxes
    or input (see the macro's comment). A function rather than a macro: a macro call per field
    cost more than the field's own markup."""
    input_type = getattr(field.widget, "input_type", None)
    option_type = getattr(getattr(field, "option_widget", None), "input_type", None)
    if input_type == "hidden":
        return "hidden"
    if field.type == "SubmitField" or input_type == "submit":
        return "submit"
    if input_type == "checkbox":
        return "checkbox"
    if option_type == "radio":
        return "radio"
    if option_type == "checkbox" or field.type.endswith("SelectMultipleField"):
        return "checkboxes"
    return "input"


def field_parts(field, hint, attributes: dict) -> tuple:
    """What ``render_field`` works out before writing a field: its kind, its hint (``hint``,
    else the field's description), the ids its control is described by (the hint's, the
    errors') and the control's attributes (``attributes`` with ``aria-describedby`` and, on
    error, ``aria-invalid``). One call instead of a dozen template expressions per field."""
    hint = hint or field.description or None
    if isinstance(hint, LazyString):  # translated once, not at each of the template's uses
        hint = str(hint)
    describedby = ((f"{field.id}-hint " if hint else "") + (f"{field.id}-error" if field.errors else "")).strip()
    attrs = dict(attributes)
    if describedby:
        attrs["aria-describedby"] = describedby
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field_kind(field), hint, describedby, attrs


class FieldOption(NamedTuple):
    """One choice of a radio or checkbox group."""
    id: str
    data: object
    checked: bool
    label: object  # text, or a lazy translation


def field_options(field) -> list[FieldOption]:
    """What ``for option in field`` gives (each choice's id, value, whether it is checked, its
    label), without building a WTForms field per choice as iterating does (a profile page has
    ninety choices)."""
    choices = getattr(field, "_iter_choices_normalized", None)
    if choices is None:  # pragma: no cover - WTForms before 3.3
        return [FieldOption(option.id, option.data, option.checked, option.label.text) for option in field]
    return [FieldOption(f"{field.id}-{i}", choice.value, choice.selected, choice.label or choice.value)
            for i, choice in enumerate(choices())]


# --- a field's markup, for ``render_field`` in macros/forms.html ---------------------------
# Written here rather than in the macro: a form page has ten to thirty fields, and the macro's
# expressions (each escaped, each looked up through the template's context) cost more than the
# markup. The macro's comment says what each kind looks like.

_REQUIRED_MARK = '<span class="required-marker" aria-hidden="true"> *</span>'


def field_html(field, hint, attributes: dict) -> Markup:
    """The markup of ``render_field(field, hint, **attributes)``."""
    kind, hint, describedby, attrs = field_parts(field, hint, attributes)
    if kind == "hidden":
        return Markup(field(**attributes))
    label = escape(field.label.text)
    if kind == "submit":
        css = attributes.get("class_")
        css = f' class="{escape(css)}"' if css else ""
        return Markup(f'<button type="submit" name="{escape(field.name)}" value="y"{css}>{label}</button>')
    field_id = escape(field.id)
    required = field.flags.required
    mark = _REQUIRED_MARK if required else ""
    notes = _hint_and_errors(field_id, hint, field.errors) if hint or field.errors else ""
    if kind == "checkbox":
        return Markup(f'\n<div class="field field-checkbox">\n  {field(**attrs)}\n'
                      f'  <label for="{field_id}">{label}{mark}</label>{notes}\n</div>')
    if kind in ("radio", "checkboxes"):
        return Markup(_group_html(field, kind, field_id, label, mark, notes, describedby))
    return Markup(f'\n<div class="field">\n  <label for="{field_id}">{label}{mark}</label>{notes}\n'
                  f'  {field(**attrs)}\n</div>')


def _group_html(field, kind: str, field_id: str, label: str, mark: str, notes: str, describedby: str) -> str:
    required = field.flags.required
    said = f' aria-describedby="{escape(describedby)}"' if describedby else ""
    spoken = (f'<span class="visually-hidden"> ({gettext("required")})</span>'
              if required and kind == "checkboxes" else "")
    input_type = "radio" if kind == "radio" else "checkbox"
    name = escape(field.name)
    flags = ((" required" if kind == "radio" and required else "")
             + (' aria-invalid="true"' if field.errors else ""))
    options = "".join(
        f'\n  <label for="{escape(option.id)}">\n    <input type="{input_type}" id="{escape(option.id)}" name="{name}" '
        f'value="{escape(option.data)}"{" checked" if option.checked else ""}{flags}>\n    {escape(option.label)}\n'
        f'  </label>'
        for option in field_options(field))
    return (f'\n<fieldset class="field field-group" id="{field_id}"{said}>\n  <legend>{label}{mark}{spoken}</legend>'
            f'{notes}{options}\n</fieldset>')


def _hint_and_errors(field_id: str, hint, errors) -> str:
    html = f'\n  <small class="hint" id="{field_id}-hint">{escape(hint)}</small>' if hint else ""
    if errors:
        items = "".join(f"\n    <li>{escape(error)}</li>" for error in errors if not isinstance(error, Mapping))
        html += f'\n  <ul class="field-error" id="{field_id}-error">{items}\n  </ul>'
    return html


def form_error_parts(form) -> tuple[list, list, list]:
    """What ``render_form_errors`` lists: the form's own errors, the hidden fields with errors
    (an expired CSRF token) and the visible fields with errors (a ``FieldList``'s entries one by
    one; buttons never)."""
    hidden, visible = [], []
    for field in form:
        for entry in (field if field.type == "FieldList" else (field,)):
            if entry.errors:
                kind = field_kind(entry)
                if kind == "hidden":
                    hidden.append(entry)
                elif kind != "submit":
                    visible.append(entry)
    return list(getattr(form, "form_errors", None) or []), hidden, visible


def as_choices(pairs) -> list:
    """(code, label) pairs as the choices this WTForms version wants (tuples are deprecated)."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


class HiddenWithoutId(HiddenInput):
    """A hidden input without an ``id``: nothing points at it, and a page with several forms
    would otherwise repeat ``id="csrf_token"`` in each."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", False)
        return super().__call__(field, **kwargs)


class SelectWithPlaceholder(Select):
    """A required list starts with an empty "Choose…" option when its choices have none: the
    browser then asks for a choice instead of sending the first one unseen."""

    def __call__(self, field, **kwargs):
        html = super().__call__(field, **kwargs)
        if self.multiple or not field.flags.required:
            return html
        first = next(iter(field.iter_choices()), None)
        if first is None or first[0] in ("", None):
            return html
        chosen = " selected" if field.data in (None, "") else ""
        start = html.index(">") + 1
        placeholder = Markup('<option value=""{}>{}</option>').format(Markup(chosen), gettext("Choose…"))
        return Markup(html[:start]) + placeholder + Markup(html[start:])


def refuse_controls(fields) -> list:
    """A field sent with control characters is reset (as if not sent) and carries the error;
    returns these fields."""
    refused = []
    for field in fields:
        if isinstance(field, FormField):
            refused += refuse_controls(field.form)
        elif isinstance(field, FieldList):
            refused += refuse_controls(field.entries)
        else:
            multiline = isinstance(field, TextAreaField) or isinstance(field.widget, TextArea)
            sent = [value for value in (field.raw_data or ()) if isinstance(value, str)]
            if any(plain_text.has_controls(value, multiline=multiline) for value in sent):
                field.process(None)
                field.raw_data = []
                message = str(plain_text.FIELD_MESSAGE)
                field.process_errors.append(message)
                field.errors = [message]
                refused.append(field)
    return refused


class FlaskForm(_FlaskForm):
    """Hidden fields (the CSRF token first) render without ids (see ``HiddenWithoutId``);
    required lists start with a placeholder (``SelectWithPlaceholder``); control characters
    are refused in every field (``refuse_controls``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if type(field.widget) is HiddenInput:
                field.widget = HiddenWithoutId()
            elif type(field.widget) is Select and not field.widget.multiple:
                field.widget = SelectWithPlaceholder()

    def process(self, *args, **kwargs):  # also when a view processes the query string itself
        super().process(*args, **kwargs)
        self._refused_controls = refuse_controls(self)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self._refused_controls:  # its own error, not "required" (the field was reset)
            field.errors = [str(plain_text.FIELD_MESSAGE)]
        return valid and not self._refused_controls

    def hidden_tag(self, *fields):
        chosen = [getattr(self, f, None) if isinstance(f, str) else f for f in (fields or self)]
        return Markup("\n".join(str(f(id=False)) for f in chosen
                                 if f is not None and isinstance(f.widget, HiddenInput)))

    class Meta(_FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is not _Auto:  # given by the view (None, request.args)
                return formdata
            if not form.is_submitted():
                return None
            fields = request.form
            if any(not isinstance(name, str) for name in fields):
                fields = MultiDict([(name, value) for name, value in fields.items(multi=True) if isinstance(name, str)])
            file_fields = {field.name for field in form if isinstance(field, FileField)}
            files = MultiDict([(name, value) for name, value in request.files.items(multi=True)
                               if name in file_fields])
            return CombinedMultiDict((files, fields)) if files else fields


class IntegerField(_IntegerField):
    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str) and len(valuelist[0].strip().lstrip("+-")) > MAX_DIGITS:
            self.data = None
            raise ValueError(self.invalid_value_message or self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)


class ActionForm(FlaskForm):
    """A button that posts: CSRF only."""

    submit = SubmitField(_l("Confirm"))


class ConfirmSendForm(FlaskForm):
    """The confirmation of a mass e-mail: the number of recipients the organiser saw (the view
    refuses when it has changed since) and a box to tick."""

    recipients = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    confirm = BooleanField(_l("I have checked the text and the recipients"),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
