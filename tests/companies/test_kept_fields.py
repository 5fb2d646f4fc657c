"""A kept field writes what ``render_field`` writes: text values filled in escaped, choices and
ticks per value, in each language, the first time and the next ones."""

import pytest
from werkzeug.datastructures import MultiDict

from jobday.companies.forms import CompanyForm, LogoForm, OfferForm
from jobday.companies.models import Sector
from jobday.kept_fields import kept_field
from jobday.vocabulary import JobArea, Language

TRICKY = "Dupont & \"Fils\" <b>l'été</b> keptfield"
COMPANY_FIELDS = [("name", {"autocomplete": "organization"}), ("enterprise_number", {"inputmode": "numeric"}),
                  ("is_foreign", {}), ("sector", {}), ("description_fr", {"rows": 3}), ("description_en", {"rows": 3}),
                  ("website", {"inputmode": "url"}), ("contact_name", {}),
                  ("contact_phone", {"autocomplete": "tel", "inputmode": "tel"}), ("submit", {})]
OFFER_FIELDS = [(name, {}) for name in ("title", "contract_type", "education_level", "job_areas", "location", "region",
                                        "languages", "open_for_interviews", "submit")] + [("description", {"rows": 8})]


def _macro(app):
    return app.jinja_env.get_template("macros/forms.html").module.render_field


def _same(app, form, fields):
    for name, attributes in fields:
        assert kept_field(form, name, **attributes) == _macro(app)(form[name], **attributes), name


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_kept_fields_write_what_the_macro_writes(app, lang):
    sectors = [code for code, _label in Sector.choices()]
    companies = [
        {"name": TRICKY, "description_fr": "a\r\n<i>b</i> & c", "description_en": None, "sector": sectors[0],
         "is_foreign": True, "website": "https://x.be/?a=1&b=\"2\""},
        {"name": "", "sector": sectors[-1], "is_foreign": False},
        {},
    ]
    areas, languages = [code for code, _ in JobArea.choices()], [code for code, _ in Language.choices()]
    offers = [{"title": TRICKY, "job_areas": areas[:2], "languages": languages[1:2], "region": "",
               "open_for_interviews": False, "description": "<script>x</script>"},
              {"title": "Technicien", "job_areas": areas[-1:], "languages": [], "open_for_interviews": True}, {}]
    with app.app_context(), app.test_request_context(headers={"Accept-Language": lang}):
        for _ in range(2):  # first rendered by the macro, then kept
            for values in companies:
                _same(app, CompanyForm(formdata=None, data=values), COMPANY_FIELDS)
            for values in offers:
                _same(app, OfferForm(formdata=None, data=values), OFFER_FIELDS)
            _same(app, LogoForm(formdata=None), [("logo", {"accept": "image/png"}), ("submit", {})])


def test_kept_fields_follow_the_language(app):
    html = {}
    for lang in ("fr", "en", "fr"):
        with app.app_context(), app.test_request_context(headers={"Accept-Language": lang}):
            html[lang] = kept_field(CompanyForm(formdata=None), "name")
            assert html[lang] == _macro(app)(CompanyForm(formdata=None).name)
    assert "Nom de l" in html["fr"] and "Company name" in html["en"]


def test_a_field_with_errors_or_sent_values_is_not_kept(app):
    with app.test_request_context(method="POST", headers={"Accept-Language": "en"}):
        form = CompanyForm(formdata=None, data={"name": "Vaxolis"})
        form.name.errors = ["This field is required."]
        assert "This field is required." in kept_field(form, "name")
        sent = CompanyForm(formdata=MultiDict({"name": "<Typed>", "sector": "nope"}))
        assert "&lt;Typed&gt;" in kept_field(sent, "name")
        _same(app, sent, COMPANY_FIELDS)
        clean = CompanyForm(formdata=None, data={"name": "Vaxolis"})
        assert "This field is required." not in kept_field(clean, "name")
        assert kept_field(clean, "name") == _macro(app)(clean.name)


def test_a_field_that_formats_its_value_is_rendered_each_time(app):
    """A date field shows its value formatted, not as given: it is never kept with a hole."""
    from datetime import date

    from wtforms import DateField

    from jobday.forms import FlaskForm

    class WhenForm(FlaskForm):
        when = DateField("When")

    with app.test_request_context():
        for day in (date(2027, 3, 18), date(2027, 3, 19)):
            form = WhenForm(formdata=None, data={"when": day})
            assert kept_field(form, "when") == _macro(app)(form["when"])
            assert day.isoformat() in kept_field(form, "when")
