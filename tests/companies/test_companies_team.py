"""Invitations, joining, removal and the admin role."""

from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from jobday.companies import team
from jobday.companies.access import membership_of
from jobday.companies.errors import AlreadyInCompany, InvalidInvitation, LastAdmin, NotCompanyAdmin
from jobday.companies.models import CompanyMember, Invitation
from jobday.db import utcnow
from jobday.errors import DomainError
from jobday.security import Role
from tests import factories


def test_an_admin_invites_and_only_the_token_hash_is_stored(db, mailbox):
    company = factories.make_company(name="Vaxolis")
    invitation, token = team.invite_colleague(company, " Colleague@Vaxolis.example ",
                                              actor=factories.company_admin(company))
    db.session.commit()
    assert invitation.email == "colleague@vaxolis.example"
    assert invitation.token_hash == team.hash_token(token) and token not in invitation.token_hash
    assert invitation.expires_at - utcnow() > timedelta(days=6, hours=23)
    link = mailbox.link("colleague@vaxolis.example", "/company/join/")
    assert link.endswith(token)


def test_a_recruiter_who_is_not_admin_cannot_invite(db):
    company = factories.make_company()
    recruiter = factories.add_recruiter(company)
    with pytest.raises(NotCompanyAdmin):
        team.invite_colleague(company, "x@example.org", actor=recruiter)


def test_an_admin_of_another_company_cannot_invite_into_this_one(db):
    company, other = factories.make_company(), factories.make_company()
    with pytest.raises(DomainError) as error:
        team.invite_colleague(company, "x@example.org", actor=factories.company_admin(other))
    assert error.value.status == 404


def test_accepting_joins_once_and_the_link_is_then_used(db):
    company = factories.make_company()
    _invitation, token = team.invite_colleague(company, "new@example.org",
                                               actor=factories.company_admin(company))
    user = factories.make_user(email="new@example.org", roles=(Role.CANDIDATE,))
    member = team.accept_invitation(token, user=user)
    assert member.company_id == company.id and not member.is_admin
    assert user.has_role(Role.RECRUITER)
    with pytest.raises(InvalidInvitation):
        team.accept_invitation(token, user=user)


def test_an_expired_invitation_is_refused(db):
    company = factories.make_company()
    _invitation, token = team.invite_colleague(company, "late@example.org",
                                               actor=factories.company_admin(company))
    user = factories.make_user(email="late@example.org")
    with freeze_time(utcnow() + timedelta(days=7, minutes=1)):
        with pytest.raises(InvalidInvitation):
            team.accept_invitation(token, user=user)
    assert membership_of(user) is None


def test_a_forged_token_is_refused(db):
    with pytest.raises(InvalidInvitation):
        team.invitation_for_token("not-a-token")


def test_an_account_of_another_company_cannot_join(db):
    company, other = factories.make_company(), factories.make_company()
    busy = factories.company_admin(other)
    _invitation, token = team.invite_colleague(company, busy.email, actor=factories.company_admin(company))
    with pytest.raises(AlreadyInCompany):
        team.accept_invitation(token, user=busy)
    assert membership_of(busy).company_id == other.id


def test_the_invitation_belongs_to_its_address(db):
    company = factories.make_company()
    _invitation, token = team.invite_colleague(company, "right@example.org",
                                               actor=factories.company_admin(company))
    with pytest.raises(DomainError) as error:
        team.accept_invitation(token, user=factories.make_user(email="wrong@example.org"))
    assert error.value.code == "invitation_other_address"


def test_a_newcomer_signs_up_through_the_invitation(db):
    company = factories.make_company()
    _invitation, token = team.invite_colleague(company, "fresh@example.org",
                                               actor=factories.company_admin(company))
    user = team.accept_invitation_with_signup(token, first_name="Lotte", last_name="Peeters",
                                              password="purple elephant dances slowly", locale="en")
    assert user.email_confirmed and user.has_role(Role.RECRUITER) and not user.has_role(Role.CANDIDATE)
    assert membership_of(user).company_id == company.id


def test_a_new_invitation_to_the_same_address_replaces_the_old_one(db):
    company = factories.make_company()
    admin = factories.company_admin(company)
    _first, old_token = team.invite_colleague(company, "twice@example.org", actor=admin)
    _second, new_token = team.invite_colleague(company, "twice@example.org", actor=admin)
    assert db.session.scalar(select(func.count(Invitation.id))) == 1
    with pytest.raises(InvalidInvitation):
        team.invitation_for_token(old_token)
    assert team.invitation_for_token(new_token)


def test_inviting_a_current_member_is_refused(db):
    company = factories.make_company()
    recruiter = factories.add_recruiter(company)
    with pytest.raises(DomainError) as error:
        team.invite_colleague(company, recruiter.email, actor=factories.company_admin(company))
    assert error.value.code == "already_member"


def test_removal_takes_effect_at_once_and_frees_their_tables(db):
    company = factories.make_company()
    recruiter = factories.add_recruiter(company)
    participation = factories.make_participation(company, factories.make_edition())
    participation.tables[0].recruiter_id = recruiter.id
    member = membership_of(recruiter)
    team.remove_member(member, actor=factories.company_admin(company))
    db.session.commit()
    assert membership_of(recruiter) is None
    db.session.refresh(participation.tables[0])
    assert participation.tables[0].recruiter_id is None


def test_a_plain_recruiter_cannot_remove_anyone(db):
    company = factories.make_company()
    recruiter = factories.add_recruiter(company)
    with pytest.raises(NotCompanyAdmin):
        team.remove_member(membership_of(factories.company_admin(company)), actor=recruiter)


def test_the_last_admin_cannot_remove_themself_but_can_once_another_admin_exists(db):
    company = factories.make_company()
    admin = factories.company_admin(company)
    with pytest.raises(LastAdmin):
        team.remove_member(membership_of(admin), actor=admin)
    colleague = factories.add_recruiter(company)
    team.hand_over_admin(membership_of(colleague), actor=admin)
    assert membership_of(colleague).is_admin and not membership_of(admin).is_admin
    with pytest.raises(NotCompanyAdmin):
        team.remove_member(membership_of(colleague), actor=admin)
    team.remove_member(membership_of(admin), actor=colleague)
    assert db.session.scalar(select(func.count(CompanyMember.id))) == 1


def test_handing_over_to_someone_of_another_company_is_not_found(db):
    company, other = factories.make_company(), factories.make_company()
    with pytest.raises(DomainError) as error:
        team.hand_over_admin(membership_of(factories.company_admin(other)),
                             actor=factories.company_admin(company))
    assert error.value.status == 404


def test_the_team_lists_read_the_members_as_plain_rows(db):
    """``team.colleagues``: ``Company.members`` as the company and team pages show them."""
    company = factories.make_company(name="Rowlis")
    factories.add_recruiter(company, email="nameless@rowlis.example", first_name="", last_name="")
    factories.add_recruiter(company, is_admin=True, email="zed@rowlis.example", first_name="Zed", last_name="Ærø")
    factories.make_company(name="Otherlis")
    db.session.commit()
    expected = [(m.id, m.is_admin, m.user.display_name, m.user.email) for m in company.members]
    assert len(expected) == 3 and expected[1][2] == "nameless@rowlis.example"
    assert [(c.id, c.is_admin, c.user.display_name, c.user.email) for c in team.colleagues(company.id)] == expected
