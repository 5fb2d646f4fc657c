"""What the booking rules announce: a slot was freed (a cancelled or moved interview).

The waiting lists listen (connected by the scheduling feature's ``init_app``) and offer the
slot to the first in line, so the booking rules need not know the waiting lists, which book
through them. Receivers run in the sender's transaction.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the slot's id; kwargs: now (datetime), reason (str | None: why the slot was freed)
slot_freed = _signals.signal("slot-freed")
