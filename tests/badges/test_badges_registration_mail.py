"""The badge travels with the registration: the e-mail that confirms a place carries the
person's badge as a PDF (issued on the way), read back from a real SMTP server, parsed
with pypdf and its QR code decoded; no place, no badge; one e-mail per confirmation.

The PDF is rendered when the e-mail is delivered, after the registration has committed
(by the worker when a job queue runs), never inside the request that holds the edition's
lock; a badge reissued in between is sent as its replacement, a revoked one not at all."""

from __future__ import annotations

import io
import shutil

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jobday import create_app
from jobday.badges import files
from jobday.badges import services as badge_services
from jobday.badges.models import Badge
from jobday.candidates import registration as reg
from jobday.candidates.models import Registration
from jobday.candidates.signals import registration_confirmed
from jobday.db import reset_write_intent, set_write_intent
from jobday.extensions import db as _db
from jobday.mail.models import OutboundAttachment, OutboundEmail
from jobday.mail.sources import register_attachment_source
from jobday.security import Role
from tests import factories
from tests.badges.conftest import decoded_codes, page_sizes_mm, pdf_text
from tests.conftest import JobdayClient, _config
from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def badge_renders():
    """Each call of the badge renderer, with the outbox's attachments as a connection of its
    own saw them at that moment (only what was committed): ``(ident, [(source, content)])``."""
    calls: list[tuple[str, list]] = []

    def watching(ident: str) -> bytes:
        with Session(_db.engine) as session:
            calls.append((ident, [tuple(row) for row in session.execute(
                select(OutboundAttachment.source, OutboundAttachment.content).order_by(OutboundAttachment.id))]))
        return files.render_attachment(ident)

    register_attachment_source(files.SOURCE_KIND, watching)
    yield calls
    register_attachment_source(files.SOURCE_KIND, files.render_attachment)


@pytest.fixture
def worker_app(tmp_path, sqlite_template, smtp_server):
    """The app with a real job queue (huey on instance/jobs.sqlite), as in production: a
    request hands its e-mails to the worker; ``run_worker`` does the worker's part."""
    shutil.copy(sqlite_template, tmp_path / "jobday.sqlite")
    config = _config(tmp_path, f"sqlite:///{tmp_path / 'jobday.sqlite'}", smtp_server[0])
    app = create_app({**config, "JOB_QUEUE": "worker"})
    app.test_client_class = JobdayClient
    token = set_write_intent(False)
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()
    reset_write_intent(token)


def run_worker(app) -> int:
    huey, done = app.extensions["jobday.huey"], 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        done += 1
    return done


def _log_in(client, user) -> None:
    from jobday.accounts import session_policy

    _db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session.update(session_policy.login_stamps(remembered=False))


def _badges(db, user) -> list[Badge]:
    return list(db.session.scalars(select(Badge).where(Badge.user_id == user.id).order_by(Badge.id)))


def _active_code(db, user) -> str:
    return db.session.scalars(select(Badge.code).where(Badge.user_id == user.id, Badge.status == "active")).one()


def _confirmations(mailbox, address: str) -> list:
    return [m for m in mailbox.to(address) if "is confirmed" in m["Subject"]]


def _only_badge_pdf(message) -> bytes:
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().startswith("badge-2031-") and attachment.get_filename().endswith(".pdf")
    return attachment.get_content()


def _assert_is_badge_of(pdf: bytes, code: str, name: str) -> None:
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert [(round(w), round(h)) for w, h in page_sizes_mm(pdf)] == [(105, 148)]  # A6
    assert name in pdf_text(pdf)
    assert decoded_codes(pdf) == [[code]]


def _register(client, edition, **data):
    return client.post_form(f"/editions/{edition.year}/register", data)


def test_registering_sends_the_confirmation_with_the_badge_attached(backend, db, client, login_as, edition, mailbox,
                                                                   badge_renders):
    person = login_as(factories.make_candidate(email="ana@example.org", first_name="Ana", last_name="Peeters",
                                               locale="en"))
    assert _badges(db, person) == []
    response = _register(client, edition)
    assert response.status_code == 302 and response.headers["Location"].endswith("/candidate")
    [message] = mailbox.to("ana@example.org")
    assert "is confirmed" in message["Subject"]
    assert "badge-2031-Ana-Peeters.pdf" in mailbox.text(message)  # the text says what is attached
    code = _active_code(db, person)  # issued with the confirmation, not at the first download
    pdf = _only_badge_pdf(message)
    _assert_is_badge_of(pdf, code, "Ana")
    # Rendered once, after the registration had committed: the transaction stored a source, no bytes.
    [badge] = _badges(db, person)
    assert badge_renders == [(str(badge.id), [(f"badge:{badge.id}", None)])]
    [attachment] = db.session.scalars(select(OutboundAttachment))
    assert (attachment.source, attachment.content) == (f"badge:{badge.id}", pdf)  # kept for a retry
    # The download serves the very badge the e-mail carried.
    download = client.get(f"/badges/mine.pdf?year={edition.year}")
    assert decoded_codes(download.data) == [[code]]
    assert len(_badges(db, person)) == 1


def test_a_refused_registration_sends_nothing_and_issues_no_badge(db, client, login_as, mailbox):
    full = factories.make_edition(year=2032, capacity=1)
    factories.make_registration(factories.make_candidate(), full)
    person = login_as(factories.make_candidate(email="late@example.org", locale="en"))
    response = _register(client, full)
    assert response.status_code == 409  # full, and the waiting list was not asked for
    assert mailbox.to("late@example.org") == [] and _badges(db, person) == []


def test_the_waiting_list_gets_the_badge_only_with_the_place(db, client, login_as, mailbox):
    edition = factories.make_edition(year=2031, name="Jobdays 2031", capacity=1)
    first = factories.make_candidate(email="first@example.org", locale="en")
    reg.register_candidate(first, edition, actor=first)
    db.session.commit()
    waiting = login_as(factories.make_candidate(email="wait@example.org", first_name="Wout", last_name="Claes",
                                                locale="en"))
    assert _register(client, edition, join_waitlist="1").status_code == 302
    assert mailbox.to("wait@example.org") == [] and _badges(db, waiting) == []  # in line: no badge

    reg.withdraw_registration(first, edition, actor=first, password=DEFAULT_PASSWORD)
    db.session.commit()
    [offer] = mailbox.to("wait@example.org")  # a place is offered: still no badge
    assert "place is free" in offer["Subject"] and list(offer.iter_attachments()) == []
    assert _badges(db, waiting) == []

    assert client.post_form(f"/editions/{edition.year}/offer").status_code == 302
    [confirmation] = _confirmations(mailbox, "wait@example.org")
    _assert_is_badge_of(_only_badge_pdf(confirmation), _active_code(db, waiting), "Wout")


def test_a_withdrawn_registration_loses_its_badge_and_a_new_one_brings_a_new_badge(db, client, login_as,
                                                                                  edition, mailbox):
    person = login_as(factories.make_candidate(email="back@example.org", first_name="Bea", last_name="Maes",
                                               locale="en"))
    _register(client, edition)
    first_code = _active_code(db, person)

    response = client.post_form(f"/editions/{edition.year}/withdraw", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    [withdrawal] = [m for m in mailbox.to("back@example.org") if "cancelled" in m["Subject"]]
    assert list(withdrawal.iter_attachments()) == []  # the cancellation carries no badge
    [badge] = _badges(db, person)
    assert (badge.status, badge.revoke_reason) == ("revoked", "withdrawn")
    assert client.get(f"/badges/mine.pdf?year={edition.year}").status_code == 404
    # A signal for the withdrawn registration (a late or stray call) attaches nothing, issues nothing.
    [registration] = db.session.scalars(select(Registration).where(Registration.user_id == person.id))
    assert [found for _receiver, found in registration_confirmed.send(registration)] == [[]]
    assert len(_badges(db, person)) == 1

    _register(client, edition)  # registering again is a new confirmation: told again, new badge
    first, second = _confirmations(mailbox, "back@example.org")
    second_code = _active_code(db, person)
    assert second_code != first_code
    assert decoded_codes(_only_badge_pdf(first)) == [[first_code]]
    _assert_is_badge_of(_only_badge_pdf(second), second_code, "Bea")


def test_the_signal_twice_sends_one_e_mail_with_one_badge(db, edition, mailbox, badge_renders):
    person = factories.make_candidate(email="twice@example.org", first_name="Tom", last_name="Wouters")
    registration = reg.register_candidate(person, edition, actor=person)  # queues the confirmation
    again = [found for _receiver, found in registration_confirmed.send(registration)]
    once_more = [found for _receiver, found in registration_confirmed.send(registration)]
    assert again == once_more  # the same badge, not a new code each time
    reg._mail_registered(registration)  # the confirmation path again, for the same confirmation
    db.session.commit()
    [message] = mailbox.to("twice@example.org")
    code = _active_code(db, person)
    assert decoded_codes(_only_badge_pdf(message)) == [[code]]
    assert db.session.scalar(select(func.count(Badge.id)).where(Badge.user_id == person.id)) == 1
    assert db.session.scalar(select(func.count(OutboundEmail.id))) == 1
    assert len(badge_renders) == 1  # the signals only named the badge; the delivery rendered it once


def test_a_rolled_back_registration_leaves_no_badge_and_sends_nothing(db, edition, mailbox):
    person = factories.make_candidate(email="undo@example.org", locale="en")
    reg.register_candidate(person, edition, actor=person)
    assert len(_badges(db, person)) == 1  # issued in the registration's transaction...
    db.session.rollback()
    assert _badges(db, person) == [] and mailbox.to("undo@example.org") == []  # ...and gone with it


def test_the_registration_request_renders_no_pdf_the_worker_does(worker_app, mailbox, badge_renders):
    edition = factories.make_edition(year=2031, name="Jobdays 2031")
    person = factories.make_candidate(email="queue@example.org", first_name="Quinten", last_name="Jacobs",
                                      locale="en")
    client = worker_app.test_client()
    _log_in(client, person)

    assert _register(client, edition).status_code == 302
    assert badge_renders == [] and mailbox.to("queue@example.org") == []  # the request rendered nothing
    [attachment] = _db.session.scalars(select(OutboundAttachment))
    badge = badge_services.current_badge(person, edition)
    assert (attachment.source, attachment.content) == (f"badge:{badge.id}", None)

    assert run_worker(worker_app) == 1
    [message] = mailbox.to("queue@example.org")
    _assert_is_badge_of(_only_badge_pdf(message), badge.code, "Quinten")
    assert [ident for ident, _seen in badge_renders] == [str(badge.id)]


def test_before_delivery_a_reissued_badge_goes_as_its_replacement_a_revoked_one_not_at_all(worker_app, mailbox):
    edition = factories.make_edition(year=2031, name="Jobdays 2031")
    organiser = factories.make_user(roles=(Role.ADMIN,))
    renamed = factories.make_candidate(email="lost@example.org", first_name="Lore", last_name="Smets", locale="en")
    leaving = factories.make_candidate(email="gone@example.org", first_name="Gust", last_name="Janssens",
                                       locale="en")
    reg.register_candidate(renamed, edition, actor=renamed)
    reg.register_candidate(leaving, edition, actor=leaving)
    _db.session.commit()  # both confirmations wait for the worker
    first = badge_services.current_badge(renamed, edition)
    replacement = badge_services.reissue_badge(first, reason="lost", actor=organiser)
    reg.withdraw_registration(leaving, edition, actor=leaving, password=DEFAULT_PASSWORD)
    _db.session.commit()
    [revoked] = _badges(_db, leaving)
    assert revoked.status == "revoked" and replacement.code != first.code

    run_worker(worker_app)
    [confirmation] = _confirmations(mailbox, "lost@example.org")
    [reissued] = [m for m in mailbox.to("lost@example.org") if "new badge" in m["Subject"]]
    _assert_is_badge_of(_only_badge_pdf(confirmation), replacement.code, "Lore")  # not the revoked first code
    _assert_is_badge_of(_only_badge_pdf(reissued), replacement.code, "Lore")
    [leaving_confirmation] = _confirmations(mailbox, "gone@example.org")
    assert list(leaving_confirmation.iter_attachments()) == []  # its badge was revoked: not mailed
    _db.session.commit()  # the worker wrote on connections of its own
    assert _db.session.scalar(select(func.count(OutboundEmail.id)).where(OutboundEmail.sent_at.is_(None))) == 0
