"""The session cookie, read as Flask reads it, at a logged-in request's lesser cost.

Flask builds its signing serializer anew at each request, and checks the cookie's signature,
decompresses it and decodes its JSON each time, though a browser sends the same cookie
request after request (it changes only when the session does). Here the serializer is made
once per set of keys, and a cookie whose signature was found good is remembered with its
content and the time it was signed (the most recent ``VERIFIED_KEPT`` cookies of this
process): the same cookie again is then only checked for its age, as Flask checks it
(``PERMANENT_SESSION_LIFETIME``, whole seconds). Only sessions of plain values (text,
numbers, yes/no) are remembered, so each request gets its own copy of them to change; a
session holding a list or a mapping (flashed messages) is read in full every time. A new
key (``SECRET_KEY``, ``SECRET_KEY_FALLBACKS``) forgets every remembered cookie.
"""

from __future__ import annotations

import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

VERIFIED_KEPT = 1024
_PLAIN = (str, int, float, bool, type(None))


class SessionCookies(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializer: tuple[tuple, URLSafeTimedSerializer] | None = None
        self._verified: dict[str, tuple[int, dict]] = {}  # cookie -> (signed at, whole seconds; content)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        held = self._serializer
        if held is None or held[0] != keys:
            self._verified = {}
            held = self._serializer = (keys, super().get_signing_serializer(app))
        return held[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._verified.get(cookie)
        if known is not None and 0 <= int(time.time()) - known[0] <= max_age:  # itsdangerous' test
            return self.session_class(known[1])
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:  # expired too
            self._verified.pop(cookie, None)
            return self.session_class()
        if isinstance(data, dict) and all(type(value) in _PLAIN for value in data.values()):
            self._remember(cookie, int(signed_at.timestamp()), data)
        return self.session_class(data)

    def _remember(self, cookie: str, signed_at: int, data: dict) -> None:
        verified = self._verified
        if len(verified) >= VERIFIED_KEPT:
            try:  # the oldest out (another thread may have taken it already)
                verified.pop(next(iter(verified)), None)
            except (StopIteration, RuntimeError):
                pass
        verified[cookie] = (signed_at, dict(data))
