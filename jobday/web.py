"""What every view shares: the transaction of a request that writes, and the check of a posted form.

A view (or a CLI command) runs the service calls of one action inside ``attempt``; the block's
end commits, a refusal (``DomainError``) rolls back and is told to the user::

    with attempt(_("Your interview is cancelled.")) as outcome:
        bookings.cancel_booking(booking, actor=current_user)
    return redirect(url_for("scheduling.waitlists" if outcome.error else "scheduling.agenda"))

How a refusal is told (``tell``): flashed (the default); on a form (the field its
``details["field"]`` names, else the top of the form) or on one field; by a callable
(``cli_refusal`` for commands); or not at all (``tell=None``: the view answers from
``outcome.error``, e.g. as JSON). Nobody writes try/commit/except/rollback by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import click
from flask import Flask, abort, flash, render_template
from wtforms import Field
from wtforms.form import BaseForm

from jobday import db as db_module
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.forms import ActionForm


def flash_refusal(error: DomainError) -> None:
    flash(str(error.message), "error")


def cli_refusal(error: DomainError) -> None:
    raise click.ClickException(str(error.message)) from error


def show_on(target: BaseForm | Field, error: DomainError) -> None:
    """A refusal shown on a form (on the field the error names, if the form has it) or on a field."""
    message = str(error.message)
    if isinstance(target, BaseForm):
        name = error.details.get("field")
        field = target._fields.get(name) if isinstance(name, str) else None
        if field is None:
            target.form_errors.append(message)
            return
        target = field
    target.errors = [*target.errors, message]


class attempt:  # noqa: N801  (used as a function: ``with attempt(...)``)
    """One action's transaction: commit at the end of the block, or roll back on a refusal.

    ``success``: flashed after the commit (``outcome.success`` may be set inside the block);
    ``tell``: see the module; ``catch``: which refusals are handled here (others propagate to
    the error pages); ``abort_on``: refusals with these statuses answer with that status
    instead (e.g. ``(404,)``: someone else's object is not found); ``writing``: a GET that
    writes ends its read transaction first and opens a writing one (SQLite's ``BEGIN IMMEDIATE``).
    """

    def __init__(self, success: Any = None, *, tell: Callable | BaseForm | Field | None = flash_refusal,
                 catch: type[DomainError] | tuple[type[DomainError], ...] = DomainError,
                 abort_on: tuple[int, ...] = (), writing: bool = False) -> None:
        self.success = success
        self.tell = tell
        self.catch = catch
        self.abort_on = abort_on
        self.writing = writing
        self.error: DomainError | None = None
        self._token = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __enter__(self) -> attempt:
        if self.writing:
            db_module.end_reading(db.session())  # the write begins anew
            self._token = db_module.set_write_intent(True)
        return self

    def __exit__(self, exc_type, error, _traceback) -> bool:
        try:
            if exc_type is None:
                db.session.commit()
                if self.success:
                    flash(str(self.success), "success")
                return False
            if not issubclass(exc_type, self.catch):
                return False
            db.session.rollback()
            self.error = error
        finally:
            if self._token is not None:
                db_module.reset_write_intent(self._token)
        if error.status in self.abort_on:
            abort(error.status)
        if isinstance(self.tell, BaseForm | Field):
            show_on(self.tell, error)
        elif self.tell is not None:
            self.tell(error)
        return True


def reads_first(view):
    """Marks a view whose writes all happen in ``attempt(writing=True)``: the request's first
    transaction (loading the user, the edition) only reads, so on SQLite it does not take the
    write lock that the write will take again (under a rush, every turn of it is waited for)."""
    view.reads_first = True
    return view


def submitted_or_400(form: BaseForm | None = None):
    """The posted form (a bare button by default), valid with its CSRF token, or a 400."""
    form = form if form is not None else ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form


def register_pages(app: Flask, *modules: ModuleType) -> None:
    """Registers the blueprint that a feature's page modules share: each module adds its pages
    to ``bp`` as it is imported; the feature's ``init_app`` imports and lists them here."""
    blueprints = {module.bp for module in modules}
    if len(blueprints) != 1:
        raise ValueError(f"page modules on several blueprints: {sorted(m.__name__ for m in modules)}")
    app.register_blueprint(blueprints.pop())


def nothing_yet(title: str, reason: str, *, next_url: str | None = None, next_label: str | None = None):
    """The page of a menu entry that has nothing to show yet (no edition, a company not yet
    approved): why, and the next step, rather than a 404."""
    return render_template("main/nothing_yet.html", title=title, reason=reason, next_url=next_url,
                           next_label=next_label)
