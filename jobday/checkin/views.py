"""The door's pages: the scanner, search, walk-ins, gate devices and the arrivals board.
Importing this module registers the API and the CLI on the same blueprint."""

from __future__ import annotations

from jobday.checkin import api, cli, pages  # noqa: F401  (routes and commands on bp)
from jobday.checkin.blueprint import bp

__all__ = ["bp"]
