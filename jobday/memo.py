"""Answers kept for the rest of a transaction: several parts of one page ask the same question
(the current edition, the recruiter's company), and each asking was a query.

What is kept is forgotten when the transaction ends (a commit, a rollback, the end of the
request), when an object of a watched model is written or about to be (pending in the session),
and when any UPDATE, DELETE or INSERT statement runs: a kept answer is never older than the
data it came from."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import event

from jobday.extensions import db

_KEPT = "jobday.kept"
_watched: dict[Hashable, tuple[type, ...]] = {}


def kept(name: str, key: Hashable, compute: Callable[[], Any], *, watch: tuple[type, ...]) -> Any:
    """``compute()``, or what it gave earlier in this transaction for the same ``name`` and
    ``key``; ``watch``: the models whose writes make it stale."""
    session = db.session()
    answers = session.info.setdefault(_KEPT, {})
    if (name, key) in answers and not _pending(session, watch):
        return answers[(name, key)]
    _watched[name] = watch
    answer = answers[(name, key)] = compute()
    return answer


def keep(name: str, key: Hashable, answer: Any, *, watch: tuple[type, ...]) -> None:
    """What ``kept(name, key, ...)`` would compute, learnt by another question's statement
    (kept only when nothing is kept for it yet)."""
    answers = db.session().info.setdefault(_KEPT, {})
    if (name, key) not in answers:
        _watched[name] = watch
        answers[(name, key)] = answer


def _pending(session, watch: tuple[type, ...]) -> bool:
    """Unflushed writes of a watched model: the query (which flushes them first) decides."""
    return any(isinstance(obj, watch) for obj in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(db.session, "after_transaction_end")
def _forget_all(session, _transaction) -> None:
    session.info.pop(_KEPT, None)


@event.listens_for(db.session, "after_flush")
def _forget_written(session, _context) -> None:
    answers = session.info.get(_KEPT)
    if not answers:
        return
    written = tuple({type(obj) for obj in (*session.new, *session.dirty, *session.deleted)})
    for name, key in [k for k in answers if any(issubclass(t, _watched[k[0]]) for t in written)]:
        del answers[(name, key)]


@event.listens_for(db.session, "do_orm_execute")
def _forget_on_statements(orm_execute_state) -> None:
    if not orm_execute_state.is_select:
        orm_execute_state.session.info.pop(_KEPT, None)
