"""Signals for the features above candidates (scheduling, badges), which may not be imported here.

They are sent inside the caller's transaction; receivers change rows in the same session
and never commit. E.g. scheduling frees the interview slots of a withdrawn registration,
badges revoke its badge.

    registration_withdrawn.send(registration, now=now)
    candidate_erased.send(user, now=now)
    registration_confirmed.send(registration, now=now)

``registration_confirmed`` is sent while the confirmation e-mail is being queued; each
receiver returns the files it wants attached to that e-mail, as ``(filename, mimetype,
content)`` triples (badges: the person's badge, issued on the way), or nothing.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

registration_withdrawn = _signals.signal("registration-withdrawn")
candidate_erased = _signals.signal("candidate-erased")
registration_confirmed = _signals.signal("registration-confirmed")
