"""WeasyPrint renders one document at a time per process (jobday.pdf_lock): two threads of
the job worker rendering badges together crashed the process in Pango."""

from __future__ import annotations

import threading

from jobday import pdf_lock
from jobday.badges import documents
from tests.badges.test_badges_pdf import EDITION, people


def _render_in_thread(app, results: list) -> threading.Thread:
    def run():
        with app.app_context():
            results.append(documents.render_one(people(1)[0], EDITION, "a6"))

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_render_waits_while_another_thread_renders(app):
    results: list[bytes] = []
    with pdf_lock.rendering():  # another thread is in the middle of a render
        thread = _render_in_thread(app, results)
        thread.join(timeout=1.5)
        assert thread.is_alive() and results == []
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert results[0].startswith(b"%PDF")


def test_threads_rendering_at_once_all_get_their_pdf(app):
    results: list[bytes] = []
    threads = [_render_in_thread(app, results) for _ in range(4)]
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 4 and all(pdf.startswith(b"%PDF") for pdf in results)


def test_a_forked_child_does_not_inherit_a_held_lock():
    import os

    with pdf_lock.rendering():
        pid = os.fork()
        if pid == 0:  # the child: the lock must be free here
            os._exit(0 if pdf_lock.rendering().acquire(timeout=2) else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
