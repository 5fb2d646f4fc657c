"""Badge rules with a real database: who gets a badge, issue, reissue, revoke, one active
badge per person and edition (a partial unique index), and following the registrations."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from jobday.badges import files, services
from jobday.badges.codes import is_well_formed, new_code
from jobday.badges.holders import holders_for_edition
from jobday.badges.models import Badge
from jobday.extensions import db as _db
from jobday.mail.models import OutboundAttachment
from jobday.mail.sources import AttachmentSource, AttachmentUnavailable, render_source
from jobday.security import Role
from tests import factories
from tests.badges.conftest import candidate, decoded_codes, register


def _active(user, edition):
    return _db.session.scalars(select(Badge).where(Badge.user_id == user.id, Badge.edition_id == edition.id,
                                                   Badge.status == "active")).all()


def test_who_gets_a_badge(db, edition):
    registered = candidate(edition, first_name="Łukasz", last_name="Wiśniewski", locale="en")
    candidate(edition, status="waitlisted")
    candidate(edition, status="withdrawn")
    factories.make_user(roles=(Role.CANDIDATE,))  # not registered
    approved = factories.make_company(name="Vaxolis")
    factories.make_participation(approved, edition, stand="B12")
    recruiter = factories.company_admin(approved)
    colleague = factories.add_recruiter(approved, first_name="Søren", last_name="Ødegård")
    pending = factories.make_company(name="Pending Bio")
    factories.make_participation(pending, edition, status="pending")
    staff = factories.make_user(roles=(Role.STAFF,))
    organiser = factories.make_user(roles=(Role.ADMIN,))
    both = factories.make_user(roles=(Role.STAFF, Role.CANDIDATE))
    register(both, edition)
    factories.make_user(roles=(Role.STAFF,)).is_disabled = True

    holders = holders_for_edition(edition)
    assert {uid: h.role for uid, h in holders.items()} == {
        registered.id: "candidate", recruiter.id: "recruiter", colleague.id: "recruiter", staff.id: "staff",
        organiser.id: "staff", both.id: "staff"}
    assert holders[colleague.id].company_name == "Vaxolis" and holders[colleague.id].stand == "B12"
    assert holders[registered.id].locale == "en"


def test_sync_issues_one_active_badge_to_each_holder(db, edition):
    people = [candidate(edition) for _ in range(3)]
    plan = services.sync_edition(edition, actor=None)
    db.session.commit()
    assert len(plan.issue) == 3
    badges = db.session.scalars(select(Badge)).all()
    assert sorted(b.user_id for b in badges) == sorted(p.id for p in people)
    assert all(is_well_formed(b.code) and b.is_active and b.role == "candidate" for b in badges)
    assert len({b.code for b in badges}) == 3
    assert services.sync_edition(edition, actor=None).changes == 0  # nothing more to do


def test_a_second_active_badge_for_the_same_person_is_refused_by_the_database(backend, db, edition):
    person = candidate(edition)
    first = services.ensure_badge(person, edition, actor=person)
    db.session.commit()
    db.session.add(Badge(code=new_code(), user_id=person.id, edition_id=edition.id, role="candidate",
                         status="active", display_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    services.revoke_badge(first, reason="lost", actor=None)
    db.session.add(Badge(code=new_code(), user_id=person.id, edition_id=edition.id, role="candidate",
                         status="active", display_hash="x"))
    db.session.flush()  # revoked ones do not count
    assert len(_active(person, edition)) == 1


def test_badge_codes_are_unique_in_the_database(db, edition):
    person, other = candidate(edition), candidate(edition)
    badge = services.ensure_badge(person, edition, actor=None)
    db.session.add(Badge(code=badge.code, user_id=other.id, edition_id=edition.id, role="candidate",
                         status="active", display_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_reissuing_revokes_the_old_code_and_gives_a_new_one(db, edition, mailbox):
    person = candidate(edition, email="zoe@example.org", locale="en")
    old = services.ensure_badge(person, edition, actor=person)
    db.session.commit()
    organiser = factories.make_user(roles=(Role.ADMIN,))
    new = services.reissue_badge(old, reason="lost", actor=organiser)
    db.session.commit()
    assert (old.status, old.revoke_reason, old.replaced_by_id) == ("revoked", "lost", new.id)
    assert old.revoked_at is not None
    assert new.is_active and new.code != old.code and new.user_id == person.id and new.printed_at is None
    assert _active(person, edition) == [new]
    [message] = mailbox.to("zoe@example.org")
    assert "new badge" in message["Subject"].lower() and "/badges/mine.pdf?year=2031" in mailbox.text(message)


def test_a_revoked_badge_cannot_be_reissued_or_revoked_again(db, edition):
    person = candidate(edition)
    badge = services.ensure_badge(person, edition, actor=None)
    services.revoke_badge(badge, reason="lost", actor=None)
    with pytest.raises(services.BadgeNotActive):
        services.reissue_badge(badge, reason="lost", actor=None)
    with pytest.raises(services.BadgeNotActive):
        services.revoke_badge(badge, reason="lost", actor=None)


def test_an_unknown_reissue_reason_is_refused(db, edition):
    badge = services.ensure_badge(candidate(edition), edition, actor=None)
    with pytest.raises(services.UnknownReason):
        services.reissue_badge(badge, reason="because", actor=None)
    assert badge.is_active


def test_a_name_change_reissues_and_a_stand_change_refreshes(db, edition, mailbox):
    company = factories.make_company(name="Vaxolis")
    participation = factories.make_participation(company, edition, stand="B12")
    recruiter = factories.company_admin(company)
    badge = services.ensure_badge(recruiter, edition, actor=None)
    badge.printed_at, badge.printed_hash = badge.issued_at, badge.display_hash
    db.session.commit()

    participation.stand = "C3"
    plan = services.sync_edition(edition, actor=None)
    assert len(plan.refresh) == 1 and not plan.reissue
    assert badge.is_active and badge.stand == "C3" and badge.needs_printing  # same code, to print again

    recruiter.first_name = "Sofie"
    plan = services.sync_edition(edition, actor=None)
    db.session.commit()
    assert len(plan.reissue) == 1
    assert (badge.status, badge.revoke_reason) == ("revoked", "name_changed")
    [new] = _active(recruiter, edition)
    assert new.first_name == "Sofie" and new.code != badge.code
    assert mailbox.to(recruiter.email)  # told about the new badge


def test_a_role_change_reissues(db, edition):
    person = candidate(edition)
    badge = services.ensure_badge(person, edition, actor=None)
    person.add_role(Role.STAFF)
    db.session.flush()
    new = services.ensure_badge(person, edition, actor=person)
    assert (badge.status, badge.revoke_reason) == ("revoked", "role_changed")
    assert new.role == "staff"


def test_no_badge_for_someone_who_does_not_take_part(db, edition):
    assert services.ensure_badge(candidate(edition, status="waitlisted"), edition, actor=None) is None
    assert db.session.scalar(select(func.count(Badge.id))) == 0


def test_a_company_no_longer_approved_loses_its_badges(db, edition):
    company = factories.make_company()
    participation = factories.make_participation(company, edition)
    badge = services.ensure_badge(factories.company_admin(company), edition, actor=None)
    participation.status = "declined"
    services.sync_edition(edition, actor=None)
    assert (badge.status, badge.revoke_reason) == ("revoked", "not_taking_part")


def test_visitor_badges_are_kept_by_the_sync(db, edition):
    from jobday.badges.holders import visitor

    walk_in = factories.make_user(roles=())
    badge = services.issue_badge(visitor(walk_in), edition, actor=None)
    services.sync_edition(edition, actor=None)
    assert badge.is_active and badge.role == "visitor"
    assert services.ensure_badge(walk_in, edition, actor=walk_in) == badge


def test_a_withdrawn_registration_revokes_the_badge(db, edition):
    from jobday.candidates.signals import registration_withdrawn

    person = candidate(edition)
    badge = services.ensure_badge(person, edition, actor=None)
    [registration] = person_registrations(person)
    registration.status = "withdrawn"
    registration_withdrawn.send(registration, now=None)
    assert (badge.status, badge.revoke_reason) == ("revoked", "withdrawn")


def person_registrations(person):
    from jobday.candidates.models import Registration

    return _db.session.scalars(select(Registration).where(Registration.user_id == person.id)).all()


def test_an_erased_candidate_keeps_no_name_on_any_badge(db, edition):
    from jobday.candidates.signals import candidate_erased

    person = candidate(edition, first_name="Zoë", last_name="Müller")
    badge = services.ensure_badge(person, edition, actor=None)
    candidate_erased.send(person, now=None)
    assert (badge.status, badge.first_name, badge.last_name) == ("revoked", "", "")


@pytest.mark.postgres
def test_two_first_downloads_at_once_issue_one_badge(app, db, edition):
    """Two requests of the same person at the same moment: the edition lock serialises them."""
    person = candidate(edition)
    db.session.commit()
    person_id, edition_id = person.id, edition.id
    barrier, codes, errors = threading.Barrier(2), [], []

    def download():
        from jobday.accounts.models import User
        from jobday.editions.models import Edition

        with app.app_context():
            try:
                user, ed = _db.session.get(User, person_id), _db.session.get(Edition, edition_id)
                barrier.wait()
                badge = services.ensure_badge(user, ed, actor=user)
                codes.append(badge.code)
                _db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=download) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(codes)) == 1
    assert db.session.scalar(select(func.count(Badge.id)).where(Badge.user_id == person_id)) == 1


def test_the_badge_factory_makes_active_and_revoked_badges(db, edition):
    person = candidate(edition)
    revoked = factories.make_badge(person, edition, status="revoked")
    active = factories.make_badge(person, edition)
    assert (revoked.status, revoked.revoke_reason, active.status) == ("revoked", "lost", "active")
    assert is_well_formed(active.code) and active.needs_printing  # never printed
    assert services.current_badge(person, edition) == active


def test_a_reissued_badge_comes_attached_to_its_e_mail(db, edition, mailbox):
    person = candidate(edition, email="att@example.org", first_name="Zoë", last_name="Müller")
    old = services.ensure_badge(person, edition, actor=None)
    new = services.reissue_badge(old, reason="lost", actor=None)
    db.session.flush()
    # The reissue (in a sync it may be one of many, under the edition's lock) renders no PDF:
    # the e-mail names the badge, the delivery renders it after the commit.
    [queued] = db.session.scalars(select(OutboundAttachment)).all()
    assert (queued.source, queued.content) == (f"badge:{new.id}", None)
    db.session.commit()
    [message] = mailbox.to("att@example.org")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "badge-2031-Zoe-Muller.pdf"
    assert decoded_codes(attachment.get_content()) == [[new.code]]


def test_the_confirmation_e_mail_can_carry_the_badge(db, edition):
    from jobday.badges.receivers import attach_badge

    person = candidate(edition)
    [registration] = person_registrations(person)
    [(name, mimetype, content)] = attach_badge(registration)
    badge = services.current_badge(person, edition)
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert content == AttachmentSource("badge", badge.id)  # rendered by the outbox, at delivery
    db.session.commit()  # the renderer reads on a connection of its own
    rendered = render_source(str(content))  # the renderer badges registered
    assert decoded_codes(rendered) == [[badge.code]]
    assert rendered == files.badge_pdf(badge)  # the very badge a download serves
    waiting = candidate(edition, status="waitlisted")
    assert attach_badge(person_registrations(waiting)[0]) == []


def test_the_badge_renderer_follows_reissues_and_refuses_a_revoked_badge(db, edition):
    person = candidate(edition, first_name="Rik", last_name="Aerts")
    first = services.ensure_badge(person, edition, actor=None)
    second = services.reissue_badge(first, reason="lost", actor=None, notify=False)
    third = services.reissue_badge(second, reason="damaged", actor=None, notify=False)
    db.session.commit()  # the renderer reads on a connection of its own
    assert decoded_codes(files.render_attachment(str(first.id))) == [[third.code]]
    assert decoded_codes(files.render_attachment(str(third.id))) == [[third.code]]
    services.revoke_badge(third, reason="other", actor=None)
    db.session.commit()
    for badge in (first, second, third):
        with pytest.raises(AttachmentUnavailable):
            files.render_attachment(str(badge.id))
    with pytest.raises(AttachmentUnavailable):
        files.render_attachment("999999")  # no such badge


def test_a_badge_file_name_spells_ligatures_out(db, edition):
    from jobday.badges.files import filename

    person = candidate(edition, email="lig@example.org", first_name="Zoë", last_name="Crèvecœur")
    badge = services.ensure_badge(person, edition, actor=None)
    assert filename(badge) == "badge-2031-Zoe-Crevecoeur.pdf"  # not "Crevecur": œ is oe, not dropped
    badge.first_name, badge.last_name = "Łukasz", "Æbeltoft-Straße"
    assert filename(badge) == "badge-2031-Lukasz-AEbeltoft-Strasse.pdf"
