"""The home page and the login page in a real browser, in French and in English."""

import pytest

pytestmark = pytest.mark.e2e


def test_login_page_switches_language(live_server, phone_page):
    phone_page.goto(live_server.url + "/account/login")
    assert phone_page.locator("h1").inner_text() == "Connexion"
    phone_page.get_by_role("button", name="English").click()
    assert phone_page.locator("h1").inner_text() == "Log in"
    phone_page.goto(live_server.url + "/")
    assert phone_page.locator("html").get_attribute("lang") == "en"
