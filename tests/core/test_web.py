"""``jobday.web.attempt``: the one place views and commands commit, or roll back and tell why."""

from __future__ import annotations

import click
import pytest
from flask import get_flashed_messages
from sqlalchemy import event, select
from werkzeug.exceptions import BadRequest, NotFound
from wtforms import StringField

from jobday.accounts.models import User
from jobday.db import reset_write_intent, set_write_intent
from jobday.errors import DomainError, PermissionDenied
from jobday.errors import NotFound as NotFoundError
from jobday.forms import ActionForm, FlaskForm
from jobday.web import attempt, cli_refusal, submitted_or_400
from tests import factories


class Refused(DomainError):
    code = "refused"
    message = "No, because."


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()


def _rename(user_id: int, name: str) -> None:
    from jobday.extensions import db

    db.session.get(User, user_id).first_name = name


def _first_name(db, user_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(User.first_name).where(User.id == user_id))


def test_the_block_is_committed_and_the_success_flashed(app, db):
    user_id = factories.make_user().id
    db.session.commit()
    with app.test_request_context("/", method="POST"):
        with attempt("Saved.") as outcome:
            _rename(user_id, "Committed")
        assert outcome.ok and outcome.error is None
        assert get_flashed_messages(with_categories=True) == [("success", "Saved.")]
    db.session.rollback()  # a commit happened inside: rolling back here keeps the name
    assert _first_name(db, user_id) == "Committed"


def test_a_refusal_rolls_back_and_is_flashed_not_raised(app, db):
    user_id = factories.make_user(first_name="Before").id
    db.session.commit()
    with app.test_request_context("/", method="POST"):
        with attempt("Saved.") as outcome:
            _rename(user_id, "Written")
            raise Refused()
        assert isinstance(outcome.error, Refused) and not outcome.ok
        assert get_flashed_messages(with_categories=True) == [("error", "No, because.")]
    assert _first_name(db, user_id) == "Before"


def test_a_refusal_is_told_on_the_field_the_error_names_or_at_the_top_of_the_form(app):
    with app.test_request_context("/", method="POST"):
        form = NameForm()
        with attempt(tell=form):
            raise Refused(field="name")
        with attempt(tell=form):
            raise Refused("Elsewhere.", field="no_such_field")
        assert form.name.errors == ["No, because."]
        assert form.form_errors == ["Elsewhere."]
        assert get_flashed_messages() == []


def test_told_on_one_field_or_kept_quiet(app):
    with app.test_request_context("/", method="POST"):
        form = NameForm()
        with attempt(tell=form.name):
            raise Refused()
        with attempt(tell=None) as quiet:
            raise Refused("Quiet.")
        assert form.name.errors == ["No, because."]
        assert str(quiet.error.message) == "Quiet." and get_flashed_messages() == []


def test_other_errors_pass_through_and_only_the_caught_kind_is_handled(app, db):
    user_id = factories.make_user(first_name="Before").id
    db.session.commit()
    with app.test_request_context("/", method="POST"):
        with pytest.raises(ValueError), attempt():
            raise ValueError("a bug, not a refusal")
        with pytest.raises(Refused), attempt(catch=PermissionDenied):
            _rename(user_id, "Written")
            raise Refused()
    db.session.rollback()
    assert _first_name(db, user_id) == "Before"


def test_a_refusal_with_a_listed_status_answers_that_status(app):
    with app.test_request_context("/", method="POST"):
        with pytest.raises(NotFound), attempt(abort_on=(404,)):
            raise NotFoundError()
        with attempt(abort_on=(404,)) as outcome:  # another status is told as usual
            raise Refused()
        assert outcome.error is not None
        assert get_flashed_messages() == ["No, because."]


def test_commands_are_refused_with_the_message(app):
    with pytest.raises(click.ClickException) as refused, attempt(tell=cli_refusal):
        raise Refused()
    assert refused.value.message == "No, because."


def test_writing_ends_the_read_transaction_and_begins_a_writing_one(app, db):
    begins: list[str] = []

    def statement(_conn, _cursor, sql, *_args):
        if sql.startswith("BEGIN"):
            begins.append(sql)

    user_id = factories.make_user().id
    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", statement)
    token = set_write_intent(False)  # a GET
    try:
        db.session.get(User, user_id)  # the GET's read transaction
        with attempt(tell=None, writing=True):
            _rename(user_id, "Written in a GET")
        db.session.scalar(select(User.id).limit(1))  # after the block: reads again, without the lock
    finally:
        reset_write_intent(token)
        event.remove(db.engine, "before_cursor_execute", statement)
    if db.engine.dialect.name == "sqlite":
        assert begins == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN"]
    assert _first_name(db, user_id) == "Written in a GET"


def test_submitted_or_400_wants_a_valid_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context("/", method="POST", data={}):
        with pytest.raises(BadRequest):
            submitted_or_400()
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = NameForm()
        assert submitted_or_400(form) is form  # a form without CSRF, posted: valid
    with app.test_request_context("/", method="GET"):
        with pytest.raises(BadRequest):
            submitted_or_400(ActionForm())
