"""Badges from the moment one takes part (issue 14, item 8): the recruiters of an approved company
and a recruiter who joins one have their badge at once, the demo edition's people too; the
person record issues, downloads and reissues a badge; "resend badge and agenda" works before
any bulk print; ``flask badges print`` names ``--reason``."""

from __future__ import annotations

from sqlalchemy import func, select

from jobday.badges.models import Badge
from jobday.companies import organiser
from jobday.companies.team import accept_invitation, invite_colleague
from jobday.security import Role
from tests import factories
from tests.badges.conftest import candidate

FR = {"Accept-Language": "fr"}


def _active(user, edition):
    return db_scalar(select(Badge).where(Badge.user_id == user.id, Badge.edition_id == edition.id,
                                         Badge.status == "active"))


def db_scalar(statement):
    from jobday.extensions import db

    return db.session.scalar(statement)


def test_approving_a_company_issues_its_recruiters_badges_and_declining_revokes_them(db, edition):
    company = factories.make_company(name="Crèvecœur Bio")
    colleague = factories.add_recruiter(company, first_name="Zoë", last_name="Müller")
    participation = factories.make_participation(company, edition, status="pending")
    admin = factories.make_user(roles=(Role.ADMIN,))
    db.session.commit()
    assert _active(colleague, edition) is None
    organiser.decide_participation(participation.id, approve=True, actor=admin, stand="A7")
    db.session.commit()
    badge = _active(colleague, edition)
    assert badge is not None and badge.role == "recruiter" and badge.company_name == "Crèvecœur Bio"
    assert badge.stand == "A7" and badge.printed_at is None
    assert _active(factories.company_admin(company), edition) is not None
    organiser.decide_participation(participation.id, approve=False, actor=admin)
    db.session.commit()
    assert _active(colleague, edition) is None


def test_a_recruiter_joining_an_approved_company_has_a_badge_at_once(db, edition):
    company = factories.make_company(name="Ærø Labs")
    factories.make_participation(company, edition)
    admin = factories.company_admin(company)
    newcomer = factories.make_user(roles=(), email="new@aero.example", first_name="Ñúñez")
    _invitation, token = invite_colleague(company, "new@aero.example", actor=admin)
    db.session.commit()
    accept_invitation(token, user=newcomer)
    db.session.commit()
    assert _active(newcomer, edition) is not None
    # Joining a company that takes part in no edition gives no badge.
    lone = factories.make_company(name="Çelik Pharma")
    other = factories.make_user(roles=(), email="other@celik.example")
    _invitation, token = invite_colleague(lone, "other@celik.example", actor=factories.company_admin(lone))
    accept_invitation(token, user=other)
    db.session.commit()
    assert db_scalar(select(func.count(Badge.id)).where(Badge.user_id == other.id)) == 0


def test_the_demo_edition_gives_everyone_taking_part_a_badge(app, db):
    from jobday.badges.holders import holders_for_edition
    from jobday.demo.seed import seed_demo
    from jobday.editions.services import get_edition_by_year

    summary = seed_demo(candidates=40, companies=4, year=2033)
    db.session.commit()
    edition = get_edition_by_year(2033)
    holders = holders_for_edition(edition)
    active = set(db.session.scalars(select(Badge.user_id).where(Badge.edition_id == edition.id,
                                                                 Badge.status == "active")))
    assert holders and set(holders) == active
    assert summary.counts["badges"] == len(active)


def test_the_person_record_issues_downloads_and_reissues_the_badge(app, db, client, login_as, edition):
    person = candidate(edition, first_name="Zoë", last_name="Müller")
    outsider = factories.make_candidate(first_name="Bruno")
    db.session.commit()
    login_as(Role.ADMIN)
    page = client.get(f"/staff/people/{person.id}?year={edition.year}", headers=FR).get_data(as_text=True)
    assert "Émettre le badge" in page
    response = client.post_form(f"/staff/people/{person.id}/badge?year={edition.year}")
    assert response.status_code == 303
    badge = _active(person, edition)
    assert badge is not None
    page = client.get(f"/staff/people/{person.id}?year={edition.year}", headers=FR).get_data(as_text=True)
    assert f"/badges/{badge.id}.pdf" in page and "Émettre un nouveau badge" in page
    assert client.get(f"/badges/{badge.id}.pdf").data.startswith(b"%PDF")
    client.post_form(f"/staff/people/{person.id}/badges/{badge.id}/reissue", {"reason": "lost"})
    db.session.expire_all()
    assert _active(person, edition).id != badge.id
    # Someone who does not take part: no badge offered, and a direct request writes nothing.
    page = client.get(f"/staff/people/{outsider.id}?year={edition.year}", headers=FR).get_data(as_text=True)
    assert "Émettre le badge" not in page
    client.post_form(f"/staff/people/{outsider.id}/badge?year={edition.year}")
    assert db_scalar(select(func.count(Badge.id)).where(Badge.user_id == outsider.id)) == 0


def test_resend_badge_and_agenda_works_before_any_print(app, db, client, login_as, edition, mailbox):
    person = candidate(edition, first_name="Zoë", email="zoe@example.org")
    db.session.commit()
    assert _active(person, edition) is None  # never printed, never downloaded
    login_as(Role.ADMIN)
    response = client.post_form(f"/staff/people/{person.id}/resend?year={edition.year}", {"kind": "badge"})
    assert response.status_code == 303
    assert _active(person, edition) is not None
    [message] = mailbox.to("zoe@example.org")
    names = [part.get_filename() for part in message.iter_attachments()]
    assert any(name.endswith(".pdf") and "badge" in name for name in names), names


def test_the_print_command_names_the_reason_option(db, runner, edition, tmp_path):
    candidate(edition)
    db.session.commit()
    args = ["badges", "print", "--edition", str(edition.year), "--layout", "a6"]
    assert runner.invoke(args=[*args, "-o", str(tmp_path / "a.pdf")]).exit_code == 0
    refused = runner.invoke(args=[*args, "-o", str(tmp_path / "b.pdf")])
    assert refused.exit_code == 1 and "--reason" in refused.output and "--only-new" in refused.output
    assert "--reason" in runner.invoke(args=["badges", "print", "--help"]).output
