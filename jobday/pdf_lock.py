"""One WeasyPrint render at a time per process.

WeasyPrint (through Pango and the font configuration the badge renderer shares) is not safe to
call from two threads of one process at once: two e-mails rendering badges together in
threads crashed the process in Pango's line breaking. Threads meet in the job worker (huey's
worker threads) and in tests; gunicorn's sync workers are one thread each. Processes still
render in parallel (the bulk badge print forks its own workers).
"""

from __future__ import annotations

import os
import threading

pdf_lock = threading.RLock()


def _fresh_lock_in_child() -> None:
    # A process forked while another thread was rendering must not inherit a held lock.
    global pdf_lock
    pdf_lock = threading.RLock()


os.register_at_fork(after_in_child=_fresh_lock_in_child)


def rendering():
    """``with rendering(): ... write_pdf()``: the lock of this process (looked up at call time,
    so a forked child uses its own)."""
    return pdf_lock
