"""What every page's layout and forms are built from, kept cheap without changing what a
person sees: one CSRF token per request in every form, the role menu kept per language and
roles, the layout's addresses kept per script root, and the form macros' Python helpers."""

from __future__ import annotations

import re

from flask import render_template_string
from wtforms import BooleanField, FieldList, HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired

from jobday.forms import FlaskForm, as_choices

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def test_every_form_of_a_page_carries_the_same_token_and_it_is_accepted(client, login_as):
    login_as("candidate")
    page = client.get("/account/settings").get_data(as_text=True)
    tokens = TOKEN.findall(page)
    # the log-out and language forms of the layout, the password and e-mail forms of the page
    assert len(tokens) >= 4 and len(set(tokens)) == 1
    response = client.post("/language", data={"csrf_token": tokens[0], "lang": "en", "next": "/account/settings"})
    assert response.status_code == 302
    page = client.get("/account/settings").get_data(as_text=True)
    assert "Log out" in page
    response = client.post("/account/logout", data={"csrf_token": TOKEN.findall(page)[-1]})
    assert response.status_code == 302
    assert client.get("/account/settings").status_code == 302  # logged out: sent to the login page


def test_the_menu_follows_each_request_language_roles_and_page(client, login_as):
    login_as("admin")
    french = client.get("/account/settings", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    english = client.get("/account/settings", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert ">Tableau de bord</a>" in french and ">Porte</a>" in french  # an admin has staff's door too
    assert ">Dashboard</a>" in english and ">Door</a>" in english and "Tableau de bord" not in english
    assert '<a href="/account/settings" aria-current="page">Mon compte</a>' in french
    assert '<a href="/account/settings" aria-current="page">My account</a>' in english


def test_the_menu_of_one_role_is_not_shown_to_another(app, client, login_as):
    login_as("admin")
    candidate_client = app.test_client()
    _log_in(candidate_client, "candidate")
    assert ">Tableau de bord</a>" in client.get("/account/settings").get_data(as_text=True)
    candidate_page = candidate_client.get("/account/settings").get_data(as_text=True)
    assert ">Tableau de bord</a>" not in candidate_page and ">Mon agenda</a>" in candidate_page
    assert ">Mon agenda</a>" not in client.get("/account/settings").get_data(as_text=True)


def _log_in(client, role):
    from jobday.accounts import session_policy
    from jobday.extensions import db
    from tests.factories import make_user

    user = make_user(roles=(role,))
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session.update(session_policy.login_stamps(remembered=False))


def test_the_layout_addresses_follow_the_script_root(client):
    at_root = client.get("/account/login").get_data(as_text=True)
    under_prefix = client.get("/account/login", base_url="http://localhost/jobday/").get_data(as_text=True)
    assert 'href="/static/css/app.css"' in at_root and 'href="/account/signup"' in at_root
    assert 'href="/jobday/static/css/app.css"' in under_prefix and 'href="/jobday/account/signup"' in under_prefix
    assert 'href="/static/css/app.css"' in client.get("/account/login").get_data(as_text=True)


class _Sample(FlaskForm):
    name = StringField("Name", validators=[DataRequired()], description="Your name")
    agree = BooleanField("I agree", validators=[DataRequired()])
    code = HiddenField()
    items = FieldList(StringField("Item"), min_entries=1)
    submit = SubmitField("Save")


_FIELDS = ('{% from "macros/forms.html" import render_field, render_form_errors %}'
           "{{ render_form_errors(form) }}{{ render_field(form.name, class_='wide') }}"
           "{{ render_field(form.name, hint='Else') }}{{ render_field(form.agree) }}")


def test_fields_without_errors_are_described_by_their_hint_only(app):
    with app.test_request_context("/"):
        html = render_template_string(_FIELDS, form=_Sample(formdata=None))
    assert 'class="form-errors"' not in html
    assert '<small class="hint" id="name-hint">Your name</small>' in html
    assert '<small class="hint" id="name-hint">Else</small>' in html
    assert ('<input aria-describedby="name-hint" class="wide" id="name" name="name" required type="text" '
            'value="">') in html
    assert 'aria-invalid' not in html and 'field-error' not in html
    assert '<input id="agree" name="agree" required type="checkbox" value="y">' in html


def test_fields_with_errors_are_listed_and_marked(app):
    with app.test_request_context("/", method="POST", data={"name": "", "items-0": "a\x01"}):
        form = _Sample()
        form.validate()
        form.form_errors.append("Whole form")
        html = render_template_string(_FIELDS, form=form)
    summary = html.split("</div>", 1)[0]
    assert summary.index("Whole form") < summary.index("CSRF") < summary.index('href="#name"')
    assert 'href="#items-0"' in summary and 'href="#agree"' in summary and 'href="#submit"' not in summary
    assert ('<input aria-describedby="name-hint name-error" aria-invalid="true" class="wide" id="name" '
            'name="name" required type="text" value="">') in html
    assert '<ul class="field-error" id="agree-error">' in html
    assert '<input aria-describedby="agree-error" aria-invalid="true" id="agree"' in html


def test_wtforms_messages_follow_each_request_language(app):
    from wtforms import SelectField

    class Choice(FlaskForm):
        class Meta:
            csrf = False

        level = SelectField("Level", choices=as_choices([("a", "A")]))

    for language, message in (("fr", "N'est pas un choix valide."), ("en", "Not a valid choice."),
                              ("fr", "N'est pas un choix valide.")):
        with app.app_context(), app.test_request_context("/", method="POST", data={"level": "z"},
                                                         headers={"Accept-Language": language}):
            form = Choice()
            assert not form.validate()
            assert form.level.errors == [message]
