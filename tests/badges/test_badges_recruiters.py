"""Recruiters' badges: once the organiser approves the company's participation, each
recruiter finds "My badge" on the company page and downloads their own badge; a pending
company shows no badge; someone else's badge is 404."""

from __future__ import annotations

from sqlalchemy import func, select

from jobday.badges.models import Badge
from jobday.companies.models import Participation
from jobday.security import Role
from tests import factories
from tests.badges.conftest import decoded_codes, pdf_text

EN = {"Accept-Language": "en"}
BADGE_LINK = "/badges/mine.pdf?year=2031"


def _active_badge(db, user) -> Badge:
    return db.session.scalars(select(Badge).where(Badge.user_id == user.id, Badge.status == "active")).one()


def test_after_approval_a_recruiter_finds_and_downloads_their_badge(db, client, login_as, edition, organiser,
                                                                   mailbox):
    admin = factories.make_user(roles=(Role.RECRUITER,), email="hr@biolab.example", first_name="Hanne",
                                last_name="Rombouts", locale="en")
    company = factories.make_company(name="Biolab SA", admin=admin)
    colleague = factories.add_recruiter(company, email="jan@biolab.example", first_name="Jan", last_name="Smet")
    participation = factories.make_participation(company, edition, status="pending")

    login_as(colleague)
    assert BADGE_LINK not in client.get("/company", headers=EN).get_data(as_text=True)

    login_as(organiser)
    response = client.post_form(f"/staff/companies/{participation.id}/decide", {"approve": "1", "stand": "B12"})
    assert response.status_code == 302
    assert db.session.get(Participation, participation.id).is_approved
    # The approval e-mail leads to the company page, where the badge now is.
    login_as(admin)
    page = client.get(mailbox.link("hr@biolab.example", "/company"), headers=EN).get_data(as_text=True)
    assert "My badge" in page and BADGE_LINK in page

    login_as(colleague)
    page = client.get("/company", headers=EN).get_data(as_text=True)
    assert BADGE_LINK in page
    pdf = client.get(BADGE_LINK)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    badge = _active_badge(db, colleague)
    assert (badge.role, badge.company_name, badge.stand) == ("recruiter", "Biolab SA", "B12")
    assert decoded_codes(pdf.data) == [[badge.code]]
    text = pdf_text(pdf.data)
    assert "Jan" in text and "Biolab SA" in text
    card = client.get(f"{BADGE_LINK}&layout=card")
    assert decoded_codes(card.data) == [[badge.code]]  # the same badge in the other size


def test_a_pending_company_shows_no_badge_and_serves_none(db, client, login_as, edition):
    company = factories.make_company(name="Waiting SA")
    factories.make_participation(company, edition, status="pending")
    recruiter = login_as(factories.add_recruiter(company, email="wait@waiting.example"))
    page = client.get("/company", headers=EN).get_data(as_text=True)
    assert "Waiting SA" in page and "My badge" not in page and "/badges/mine.pdf" not in page
    assert client.get(BADGE_LINK).status_code == 404
    assert db.session.scalar(select(func.count(Badge.id)).where(Badge.user_id == recruiter.id)) == 0


def test_a_declined_company_loses_its_badges(db, client, login_as, edition, organiser):
    company = factories.make_company(name="Gone SA")
    participation = factories.make_participation(company, edition, status="approved")
    recruiter = login_as(factories.add_recruiter(company))
    assert client.get(BADGE_LINK).status_code == 200
    login_as(organiser)
    assert client.post_form(f"/staff/companies/{participation.id}/decide", {"decline": "1"}).status_code == 302
    login_as(recruiter)
    assert "/badges/mine.pdf" not in client.get("/company").get_data(as_text=True)
    assert client.get(BADGE_LINK).status_code == 404
    [badge] = db.session.scalars(select(Badge).where(Badge.user_id == recruiter.id))
    assert (badge.status, badge.revoke_reason) == ("revoked", "not_taking_part")


def test_a_recruiter_downloads_only_their_own_badge(db, client, login_as, edition):
    from jobday.badges.services import ensure_badge

    company = factories.make_company(name="Pair SA")
    factories.make_participation(company, edition, status="approved")
    mine, theirs = factories.add_recruiter(company), factories.add_recruiter(company)
    other_company = factories.make_company(name="Other SA")
    factories.make_participation(other_company, edition, status="approved")
    stranger = factories.add_recruiter(other_company)
    badges = {user.id: ensure_badge(user, edition, actor=None) for user in (mine, theirs, stranger)}
    login_as(mine)
    own = client.get(f"/badges/{badges[mine.id].id}.pdf")
    assert own.status_code == 200 and decoded_codes(own.data) == [[badges[mine.id].code]]
    assert client.get(f"/badges/{badges[theirs.id].id}.pdf").status_code == 404  # a colleague's
    assert client.get(f"/badges/{badges[stranger.id].id}.pdf").status_code == 404  # another company's
    assert client.get("/badges/999999.pdf").status_code == 404
