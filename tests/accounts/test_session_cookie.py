"""The session cookie (``accounts.session_cookie``): a cookie found good is remembered, and
still refused once older than ``PERMANENT_SESSION_LIFETIME``, or once altered."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, request, session
from freezegun import freeze_time

from jobday.accounts.session_cookie import SessionCookies
from jobday.db import utcnow


def _cookie(app, data: dict) -> str:
    return app.session_interface.get_signing_serializer(app).dumps(data)


def _opened(app, cookie: str) -> dict:
    with app.test_request_context("/livez", headers={"Cookie": f"session={cookie}"}):
        return dict(app.session_interface.open_session(app, request))


def test_the_session_interface_is_ours(app):
    assert isinstance(app.session_interface, SessionCookies)


def test_a_remembered_cookie_still_expires(app):
    lifetime = app.permanent_session_lifetime
    with freeze_time(utcnow()) as clock:
        cookie = _cookie(app, {"_user_id": "1:x", "seen_at": 1.5, "remembered": False})
        assert _opened(app, cookie) == {"_user_id": "1:x", "seen_at": 1.5, "remembered": False}
        assert cookie in app.session_interface._verified
        clock.tick(lifetime - timedelta(seconds=1))
        assert _opened(app, cookie)["_user_id"] == "1:x"
        clock.tick(timedelta(seconds=2))
        assert _opened(app, cookie) == {}
        assert cookie not in app.session_interface._verified


def test_a_cookie_signed_in_the_future_is_refused_as_flask_does(app):
    with freeze_time(utcnow() + timedelta(minutes=5)):
        cookie = _cookie(app, {"_user_id": "1:x"})
    with freeze_time(utcnow()):
        assert _opened(app, cookie) == {}


def test_an_altered_cookie_is_refused(app):
    cookie = _cookie(app, {"_user_id": "1:x"})
    assert _opened(app, cookie)
    payload, timestamp, signature = cookie.rsplit(".", 2)
    forged = f"{payload}.{timestamp}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    assert _opened(app, forged) == {}
    assert forged not in app.session_interface._verified


def test_a_new_secret_key_forgets_remembered_cookies(app):
    cookie = _cookie(app, {"_user_id": "1:x"})
    assert _opened(app, cookie)
    app.secret_key = "another-secret-key-that-is-long-enough-0123456789"
    assert _opened(app, cookie) == {}
    assert app.session_interface._verified == {}


def test_each_request_changes_its_own_copy(app):
    cookie = _cookie(app, {"_user_id": "1:x", "seen_at": 1.0})
    with app.test_request_context("/livez", headers={"Cookie": f"session={cookie}"}):
        app.session_interface.open_session(app, request)["seen_at"] = 99.0
    assert _opened(app, cookie)["seen_at"] == 1.0


def test_a_session_with_flashed_messages_is_read_whole_each_time(app):
    with app.test_request_context("/livez"):
        flash("Saved.")
        data = dict(session)
    cookie = _cookie(app, data)
    first = _opened(app, cookie)
    first["_flashes"].append(("info", "changed"))
    assert _opened(app, cookie)["_flashes"] == [("message", "Saved.")]
    assert cookie not in app.session_interface._verified
