"""Language: saved choice, cookie, Accept-Language, French by default; the switch form."""

from __future__ import annotations

from tests.factories import make_user


def _lang(response) -> str:
    body = response.get_data(as_text=True)
    return body.split('<html lang="', 1)[1][:2]


def test_french_by_default_and_accept_language_as_first_guess(client):
    assert _lang(client.get("/account/login")) == "fr"
    assert _lang(client.get("/account/login", headers={"Accept-Language": "en-GB,en;q=0.9"})) == "en"
    assert _lang(client.get("/account/login", headers={"Accept-Language": "nl-BE,de"})) == "fr"


def test_switch_is_remembered_by_cookie(client):
    response = client.post_form("/language", {"lang": "en", "next": "/account/login"})
    assert response.status_code == 302 and response.location == "/account/login"
    assert client.get_cookie("lang").value == "en"
    assert _lang(client.get("/account/login", headers={"Accept-Language": "fr"})) == "en"
    assert "Log in" in client.get("/account/login").get_data(as_text=True)


def test_switch_is_remembered_for_the_user(client, db, login_as):
    user = login_as(make_user(locale="fr"))
    client.post_form("/language", {"lang": "en", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"


def test_switch_ignores_unknown_languages_and_foreign_targets(client):
    response = client.post_form("/language", {"lang": "xx", "next": "https://evil.example/"})
    assert response.location == "/"
    assert client.get_cookie("lang") is None


def test_switch_without_csrf_is_refused(client):
    response = client.post("/language", data={"lang": "en"})
    assert response.status_code == 400
    assert client.get_cookie("lang") is None


def test_dates_are_shown_in_the_users_language(client, db):
    from tests.factories import make_edition

    make_edition(year=2031, starts_on=__import__("datetime").date(2031, 3, 20))
    db.session.commit()
    assert "jeudi 20 mars 2031" in client.get("/").get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Thursday 20 March 2031" in english and "March 20," not in english  # British: Belgium reads it


def test_a_language_forced_within_a_request_is_used_then_given_back(app):
    """The catalogue is kept per request: an e-mail rendered in its recipient's language
    (``force_locale``) inside a French request still gets English, and the page after it French."""
    from flask import render_template_string
    from flask_babel import force_locale, gettext, lazy_gettext

    label = lazy_gettext("Log out")
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert gettext("Log out") == "Se déconnecter"
        with force_locale("en"):
            assert gettext("Log out") == "Log out"
            assert str(label) == "Log out"
            assert render_template_string("{{ _('Log out') }}") == "Log out"
        assert gettext("Log out") == str(label) == "Se déconnecter"
        assert render_template_string("{{ _('Log out') }}") == "Se déconnecter"


def test_a_page_looks_its_catalogue_up_once_and_a_forced_language_still_wins(app, monkeypatch):
    """Templates translate hundreds of strings a page: the catalogue is found once per locale in a
    request, and a language forced after a French render (an e-mail) still gets its own."""
    from flask import render_template_string
    from flask_babel import force_locale

    from jobday import i18n

    lookups = []
    find = i18n.get_translations
    monkeypatch.setattr(i18n, "get_translations", lambda: lookups.append(1) or find())
    page = "{{ _('Log out') }}|{{ _('Log in') }}|{{ ngettext('%(num)d page', '%(num)d pages', 2) }}"
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        french = render_template_string(page)
        assert french.startswith("Se déconnecter|") and len(lookups) == 1
        with force_locale("en"):
            assert render_template_string(page) == "Log out|Log in|2 pages"
        assert render_template_string(page) == french
