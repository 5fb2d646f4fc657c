"""E-mails: queued in the transaction, sent after commit, once, in the recipient's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from jobday.mail.models import OutboundEmail
from jobday.mail.services import deliver_pending, queue_email
from tests.factories import make_user


def _queue(user, **extra):
    return queue_email(to=user.email, subject=_l("Confirm your e-mail address"),
                       template="accounts/confirm_email", locale=user.locale, user=user,
                       token="abc", **extra)


def test_sent_after_commit_in_the_recipients_language(db, mailbox):
    fr, en = make_user(locale="fr"), make_user(locale="en")
    _queue(fr)
    _queue(en)
    assert mailbox.messages == []  # nothing leaves before the commit
    db.session.commit()
    [french] = mailbox.to(fr.email)
    [english] = mailbox.to(en.email)
    assert french["Subject"] == "Confirmez votre adresse e-mail"
    assert english["Subject"] == "Confirm your e-mail address"
    assert "http://jobday.test/account/confirm/abc" in mailbox.text(english)
    assert english.get_body(preferencelist=("html",)) is not None
    rows = db.session.scalars(select(OutboundEmail)).all()
    assert all(row.sent_at is not None and row.attempts == 1 for row in rows)


def test_rolled_back_transaction_sends_nothing(db, mailbox):
    user = make_user()
    db.session.commit()
    _queue(user)
    db.session.rollback()
    db.session.commit()
    assert mailbox.messages == []
    assert db.session.scalars(select(OutboundEmail)).all() == []


def test_same_dedup_key_is_sent_once(db, mailbox):
    from sqlalchemy.exc import IntegrityError

    user = make_user()
    _queue(user, dedup_key="campaign-1:user-1")
    db.session.commit()
    _queue(user, dedup_key="campaign-1:user-1")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    else:
        raise AssertionError("a second e-mail with the same key was accepted")
    assert len(mailbox.to(user.email)) == 1


def test_smtp_down_keeps_the_mail_pending_and_a_retry_sends_it_once(app, db, mailbox):
    user = make_user()
    db.session.commit()
    good_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    _queue(user)
    db.session.commit()
    row = db.session.scalar(select(OutboundEmail))
    assert row.sent_at is None and row.last_error and row.claimed_at is None
    assert mailbox.messages == []

    app.config["MAIL_PORT"] = good_port
    assert deliver_pending() == 1
    assert deliver_pending() == 0
    assert len(mailbox.to(user.email)) == 1


def test_without_smtp_mails_are_written_to_the_outbox_folder(app, db, tmp_path):
    app.config["MAIL_SERVER"] = ""
    user = make_user()
    _queue(user)
    db.session.commit()
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert user.email in files[0].read_text()


def test_cli_sends_pending_mails(app, db, runner, mailbox):
    user = make_user()
    db.session.commit()
    good_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1
    _queue(user)
    db.session.commit()
    app.config["MAIL_PORT"] = good_port
    result = runner.invoke(args=["mail", "send-pending"])
    assert "1 e-mail envoyé." in result.output
    assert len(mailbox.to(user.email)) == 1


def test_a_released_savepoint_does_not_send_before_the_commit(db, mailbox):
    user = make_user()
    db.session.commit()
    with db.session.begin_nested():
        _queue(user)
    assert mailbox.messages == []
    db.session.commit()
    assert len(mailbox.to(user.email)) == 1


def test_attachments_travel_with_the_message(db, mailbox):
    user = make_user()
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    _queue(user, attachments=[("badge.pdf", "application/pdf", b"%PDF-1.7 tiny"),
                              ("interview.ics", "text/calendar", ics)])
    db.session.commit()
    [message] = mailbox.to(user.email)
    parts = {part.get_filename(): part for part in message.iter_attachments()}
    assert parts["badge.pdf"].get_content_type() == "application/pdf"
    assert parts["badge.pdf"].get_content() == b"%PDF-1.7 tiny"
    assert parts["interview.ics"].get_content_type() == "text/calendar"


def test_without_smtp_the_console_shows_each_mails_first_link(app, db, caplog):
    """Development (no SMTP server): whoever runs ``make run`` finds the confirmation link on
    the console, pointing at the configured address."""
    from jobday.accounts.services import send_confirmation_email

    app.config["MAIL_SERVER"] = ""
    app.config["SERVER_URL"] = "http://127.0.0.1:5101"
    user = make_user(confirmed=False)
    with caplog.at_level("WARNING", logger="jobday.mail.services"):
        send_confirmation_email(user)
        db.session.commit()
    lines = [r.getMessage() for r in caplog.records if "first link" in r.getMessage()]
    assert len(lines) == 1
    assert "first link: http://127.0.0.1:5101/account/confirm/" in lines[0]


def test_an_email_made_in_a_logged_in_request_carries_none_of_the_page(app, db, mailbox):
    """A staff member's click in French queues an English e-mail: the message is in the
    recipient's language, and making it asks the database nothing (the page's menu, made for
    whoever is logged in, is not part of an e-mail)."""
    from flask_login import login_user
    from sqlalchemy import event

    from jobday.security import Role

    admin, recipient = make_user(roles=(Role.ADMIN,), locale="fr"), make_user(locale="en")
    db.session.commit()
    statements = []
    with app.test_request_context("/staff", headers={"Accept-Language": "fr"}):
        login_user(admin)
        _ = admin.email, recipient.email  # loaded after the commit; the admin's roles are not
        event.listen(db.engine, "before_cursor_execute", record := lambda *args: statements.append(args[2]))
        try:
            _queue(recipient)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        db.session.commit()
    assert statements == []
    [message] = mailbox.to(recipient.email)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="en">' in html
    assert "Confirm your e-mail address" in html


def test_the_minutely_sweep_leaves_fresh_untried_mail_to_its_delivery_task(app, db, mailbox):
    """The worker's run every minute takes what failed, and what nobody tried for a minute; an
    e-mail committed a moment ago has its delivery task on the way. The command line takes all."""
    from datetime import timedelta

    from sqlalchemy import update

    from jobday.db import utcnow

    fresh, stale, again = make_user(), make_user(), make_user()
    db.session.commit()
    dispatch = app.extensions["jobday.mail_dispatch"]
    app.extensions["jobday.mail_dispatch"] = lambda ids: None  # a queue whose tasks have not run yet
    try:
        emails = {user.email: _queue(user) for user in (fresh, stale, again)}
        db.session.commit()
    finally:
        app.extensions["jobday.mail_dispatch"] = dispatch
    db.session.execute(update(OutboundEmail).where(OutboundEmail.id == emails[stale.email].id)
                       .values(created_at=utcnow() - timedelta(minutes=2)))
    db.session.execute(update(OutboundEmail).where(OutboundEmail.id == emails[again.email].id)
                       .values(attempts=1, last_error="421 try again later"))
    db.session.commit()

    assert deliver_pending(untried_for=timedelta(minutes=1)) == 2
    assert sorted(m["To"] for m in mailbox.messages) == sorted([stale.email, again.email])
    assert deliver_pending() == 1  # flask mail send-pending: everything left
    assert [m["To"] for m in mailbox.to(fresh.email)] == [fresh.email]


def test_a_text_only_email_has_no_html_and_its_absence_is_remembered(app, db, monkeypatch):
    """Most e-mails have no HTML version: it is looked for once, not at every e-mail (unless
    templates reload, as in debug, where one may appear while the app runs)."""
    from jobday.mail import services

    user = make_user(locale="en")
    loader = app.jinja_env.loader
    looked_for = []
    get_source = loader.get_source
    monkeypatch.setattr(loader, "get_source", lambda env, name: looked_for.append(name) or get_source(env, name))
    monkeypatch.setattr(services, "_MISSING_TEMPLATES", set())
    monkeypatch.setattr(app.jinja_env, "auto_reload", False)
    for _ in range(2):
        email = queue_email(to=user.email, subject=_l("Your interview with %(company)s", company="Acme"),
                            template="scheduling/company_booking", locale="en", user=user, candidate="Alice",
                            company="Acme", table="T1", stand="A1", starts_at=None, ends_at=None, edition=None)
        assert email.body_html is None and "Hello" in email.body_text
    assert looked_for.count("email/scheduling/company_booking.html") == 1
    assert _queue(user).body_html is not None  # an e-mail with an HTML version keeps it

    monkeypatch.setattr(services, "_MISSING_TEMPLATES", set())
    monkeypatch.setattr(app.jinja_env, "auto_reload", True)
    looked_for.clear()
    for _ in range(2):
        services._has_template("email/scheduling/company_booking.html")
    assert looked_for.count("email/scheduling/company_booking.html") == 2
