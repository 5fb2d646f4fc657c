"""Text that people type holds no control characters: one rule for forms, addresses and JSON.

A NUL character cannot be stored in PostgreSQL (the driver raises: a 500), and the other C0/C1
control characters (escape sequences, backspace, form feed) have no place in names, titles or
searches. Only multi-line fields (text areas) keep tab and line breaks. Lone surrogates (which
a JSON body can spell as ``\\ud800``) cannot be encoded for the database either.

- Forms: ``jobday.forms.FlaskForm`` checks every field it reads (``refusal``) and shows the
  field error below, leaving the field empty; nothing is written since the form is invalid.
- Addresses: ``register`` refuses a path or query string (``?q=``) that carries one, with a 400
  that says why (a JSON error under ``/api/``).
- JSON bodies: the API checks the fields it decodes with ``has_controls``.
"""

from __future__ import annotations

import re

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from jobday.errors import error_response

# C0 and C1 controls, DEL, and UTF-16 surrogates (lone ones survive JSON decoding).
_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # tab, LF and CR allowed

FIELD_MESSAGE = _l("This field contains characters that cannot be used (control characters).")
ADDRESS_MESSAGE = _l("The address contains characters that cannot be used (control characters). "
                     "Please remove them and try again.")


def has_controls(value: str, *, multiline: bool = False) -> bool:
    return (_MULTI_LINE if multiline else _SINGLE_LINE).search(value) is not None


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_controls_in_the_address():
        values = [request.path, *(part for pair in request.args.items(multi=True) for part in pair)]
        if any(has_controls(value) for value in values):
            return error_response(400, code="invalid_input", message=ADDRESS_MESSAGE)
        return None
