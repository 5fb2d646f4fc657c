"""The profile page writes its fields with ``kept_field``: what the field macro writes, for
saved values with markup and accents, in French and English, the first time and the next."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from jobday.candidates.forms import ProfileForm
from jobday.kept_fields import kept_field

FIELDS = [("first_name", {"autocomplete": "given-name"}), ("last_name", {"autocomplete": "family-name"}),
          ("education_level", {}), ("job_areas", {}), ("phone", {"autocomplete": "tel", "inputmode": "tel"}),
          ("postcode", {"autocomplete": "postal-code"}), ("region", {}), ("field_of_study", {}),
          ("years_experience", {"inputmode": "numeric", "min": 0, "max": 60}), ("lang_fr", {}), ("lang_nl", {}),
          ("lang_en", {}), ("lang_de", {}), ("contract_types", {}), ("about", {"rows": 5}), ("submit", {})]
SAVED = [
    {"first_name": "Zoë <b>", "last_name": "D'Hondt & \"Fils\"", "education_level": "master",
     "job_areas": ["quality_control", "rnd"], "phone": "0470 12 34 56", "postcode": "6041", "region": "wallonia",
     "field_of_study": "Biotechnologie", "years_experience": 3, "lang_fr": "native", "lang_en": "good",
     "contract_types": ["permanent"], "about": "Line one\r\n<script>x</script>"},
    {"first_name": "", "last_name": "", "job_areas": [], "years_experience": None},
    {},
]


def _macro(app):
    return app.jinja_env.get_template("macros/forms.html").module.render_field


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_profile_fields_are_written_as_the_macro_writes_them(app, lang):
    with app.test_request_context(headers={"Accept-Language": lang}):
        for _ in range(2):  # first rendered by the macro, then kept
            for values in SAVED:
                form = ProfileForm(formdata=None, data=values)
                for name, attributes in FIELDS:
                    assert kept_field(form, name, **attributes) == _macro(app)(form[name], **attributes), name


def test_a_sent_profile_shows_what_was_sent(app):
    with app.test_request_context(method="POST", headers={"Accept-Language": "fr"}):
        sent = ProfileForm(formdata=MultiDict({"first_name": "<Typed>", "education_level": "nope"}))
        sent.validate()
        assert "&lt;Typed&gt;" in kept_field(sent, "first_name")
        assert kept_field(sent, "education_level") == _macro(app)(sent.education_level)
        assert 'aria-invalid="true"' in kept_field(sent, "education_level")
