"""Error pages in both languages, JSON for the API, never a stack trace."""

from __future__ import annotations

import html

import pytest
from flask import abort

EXPECTED = {
    400: ("Requête incorrecte", "Bad request"),
    403: ("Accès refusé", "Forbidden"),
    404: ("Page introuvable", "Page not found"),
    405: ("Méthode non autorisée", "Method not allowed"),
    413: ("Fichier trop volumineux", "File too large"),
    429: ("Trop de tentatives", "Too many attempts"),
    500: ("Une erreur s'est produite", "Something went wrong"),
}


@pytest.fixture
def failing_app(app):
    """Routes that fail on purpose (added before the first request)."""

    @app.get("/_test/abort/<int:code>")
    def _abort(code):
        abort(code)

    @app.get("/api/_test/abort/<int:code>")
    def _api_abort(code):
        abort(code)

    @app.get("/_test/crash")
    def _crash():
        raise RuntimeError("secret internals /etc/passwd")

    @app.get("/api/_test/crash")
    def _api_crash():
        raise RuntimeError("secret internals")

    return app


@pytest.mark.parametrize("code", sorted(EXPECTED))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_error_page_in_each_language(failing_app, client, code, lang):
    french, english = EXPECTED[code]
    url = "/_test/crash" if code == 500 else f"/_test/abort/{code}"
    response = client.get(url, headers={"Accept-Language": lang})
    body = html.unescape(response.get_data(as_text=True))  # what the reader sees ("s'est", not "s&#39;est")
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert (french if lang == "fr" else english) in body
    assert f'<html lang="{lang}">' in body
    assert "Traceback" not in body and "secret internals" not in body


def test_unknown_page_is_404_in_french_by_default(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_wrong_method_is_405_with_allow_header(client):
    response = client.get("/account/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_api_errors_are_json(failing_app, client):
    response = client.get("/api/_test/abort/404")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found", "message": "Page introuvable"} or \
        response.get_json()["error"] == "not_found"
    crash = client.get("/api/_test/crash")
    assert crash.status_code == 500
    assert crash.get_json()["error"] == "server_error"
    assert "secret" not in crash.get_data(as_text=True)


def test_too_large_upload_gets_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/account/signup", data={"x": "y" * 5000})
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.get_data(as_text=True)


def test_a_too_large_upload_leads_back_to_its_form(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    sent_from = {"Referer": "http://localhost/candidate/profile?next=/editions/2027/register"}
    page = client.post("/candidate/cv", data={"x": "y" * 5000}, headers=sent_from).get_data(as_text=True)
    assert 'href="/candidate/profile?next=/editions/2027/register"' in html.unescape(page)
    assert "plus petit" in page  # what to do: a smaller file
    elsewhere = client.post("/candidate/cv", data={"x": "y" * 5000}, headers={"Referer": "https://evil.example/x"})
    assert "evil.example" not in elsewhere.get_data(as_text=True)


def test_security_headers_on_every_response(client):
    for url in ("/", "/account/login", "/no/such/page", "/healthz"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_scripts_or_styles(client):
    body = client.get("/account/signup").get_data(as_text=True)
    assert "<script>" not in body and "style=" not in body
