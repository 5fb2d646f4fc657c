"""Behind a reverse proxy: trust its X-Forwarded-* headers, and only its.

With ``TRUSTED_PROXIES = 1`` (nginx in front), the client address seen by the app (rate
limits per address, the audit log) is the one nginx puts last in ``X-Forwarded-For``, and
the scheme and host are the ones the browser used (``https``: secure redirects and links).
With 0 (the default: the app faces the clients itself) the headers are ignored, so no
client can choose its own address.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask) -> None:
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
