"""Addresses for people outside the request: e-mails, exports, files made by jobs.

``url_for`` builds an address only inside a request (or with a ``SERVER_NAME``); a job in the
worker has none, and the export of a candidate's CV link failed there. ``public_url`` builds
the absolute address on ``SERVER_URL`` the same way in a request, a job or a command.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["SERVER_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
