"""Loaded by the badge renderers' fork server only (its preload list in ``pdf._pool_context``):
the fork server dies with the job worker that started it. Python's fork server outlived a
worker killed with SIGKILL, and kept its render processes alive with it; they die with the
fork server (``pdf._die_with_parent``).

Never import this module anywhere else: it would tie the importing process to its parent.
"""

import os

from jobday.badges.pdf import RENDER_FORK_SERVER, RENDER_PARENT, _die_with_parent

_die_with_parent(int(os.environ.get(RENDER_PARENT) or 0) or None)
# The renderers it forks check that they are still its children (see ``pdf._start_worker``).
os.environ[RENDER_FORK_SERVER] = str(os.getpid())
