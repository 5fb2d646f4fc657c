"""X-Forwarded-* headers are believed from the configured number of proxies only."""

from __future__ import annotations

from flask import request

from jobday import create_app
from jobday.proxy import trust_proxies
from tests.conftest import SECRET
from tests.factories import make_user


def _app(tmp_path, **extra):
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", **extra})

    @app.get("/test-who-am-i")
    def _who():
        return {"address": request.remote_addr, "scheme": request.scheme, "host": request.host}

    return app


FORWARDED = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "jobday.example.org"}


def test_without_a_trusted_proxy_the_headers_are_ignored(tmp_path):
    seen = _app(tmp_path).test_client().get("/test-who-am-i", headers=FORWARDED).get_json()
    assert seen == {"address": "127.0.0.1", "scheme": "http", "host": "localhost"}


def test_behind_one_proxy_its_entry_is_the_client(tmp_path):
    seen = _app(tmp_path, TRUSTED_PROXIES=1).test_client().get("/test-who-am-i", headers=FORWARDED).get_json()
    # The last address is the one nginx added; the first was written by the client itself.
    assert seen == {"address": "203.0.113.9", "scheme": "https", "host": "jobday.example.org"}


def _failed_logins(client, address: str, count: int) -> list[int]:
    statuses = []
    for n in range(count):
        statuses.append(client.post_form("/account/login", {"email": f"nobody{n}@example.org", "password": "x" * 12},
                                         headers={"X-Forwarded-For": address}).status_code)
    return statuses


def test_failed_login_limits_count_per_client_behind_the_proxy(app, client):
    app.config["TRUSTED_PROXIES"] = 1
    trust_proxies(app)  # as create_app does with this setting
    make_user()
    assert _failed_logins(client, "198.51.100.7", 6)[-1] == 429
    assert _failed_logins(client, "198.51.100.8", 1) == [401]  # another visitor is not locked out


def test_a_client_cannot_dodge_the_limit_with_its_own_header(app, client):
    make_user()
    assert _failed_logins(client, "198.51.100.7", 6)[-1] == 429
    assert _failed_logins(client, "198.51.100.8", 1) == [429]  # the header is not believed
