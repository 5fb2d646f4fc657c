"""Answers kept for a transaction (``jobday.memo``): the same question asked twice is one
query, and a kept answer never outlives the data it came from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, event, update

from jobday.companies.access import membership_of, participation_for
from jobday.companies.models import CompanyMember, Participation
from jobday.editions.models import Edition
from jobday.editions.services import current_edition
from tests import factories


def _statements(db, run) -> int:
    seen = []

    def listen(_conn, _cursor, statement, *_rest):
        if not statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return len(seen)


def test_the_current_edition_asked_twice_is_one_query(app, db):
    factories.make_edition()
    db.session.commit()
    first = current_edition()
    assert _statements(db, lambda: current_edition()) == 0
    assert current_edition() is first


def test_a_new_edition_is_seen_at_once(app, db):
    assert current_edition() is None
    edition = factories.make_edition()
    assert current_edition() is edition  # pending, then flushed by the query


def test_a_changed_edition_is_seen_in_the_same_transaction(app, db):
    old = factories.make_edition(year=2030, starts_on=date(2030, 3, 1), ends_on=date(2030, 3, 1))
    db.session.commit()
    assert current_edition(date(2029, 1, 1)) == old
    db.session.execute(update(Edition).where(Edition.id == old.id).values(ends_on=date(2028, 3, 1),
                                                                         starts_on=date(2028, 3, 1)))
    newer = factories.make_edition(year=2031, starts_on=date(2031, 3, 1), ends_on=date(2031, 3, 1))
    assert current_edition(date(2029, 1, 1)) == newer


def test_a_membership_is_kept_until_it_changes(app, db):
    company = factories.make_company()
    recruiter = factories.add_recruiter(company, email="kept@x.example")
    db.session.commit()
    member = membership_of(recruiter)
    assert member is not None and member.company is company
    assert _statements(db, lambda: (membership_of(recruiter), membership_of(recruiter).company.name)) == 0
    db.session.delete(member)
    assert membership_of(recruiter) is None  # pending delete: asked again


def test_a_membership_removed_by_a_statement_is_gone(app, db):
    company = factories.make_company()
    recruiter = factories.add_recruiter(company, email="gone@x.example")
    db.session.commit()
    assert membership_of(recruiter) is not None
    db.session.execute(delete(CompanyMember).where(CompanyMember.user_id == recruiter.id))
    assert membership_of(recruiter) is None


def test_nothing_is_kept_past_the_transaction(app, db):
    company = factories.make_company()
    recruiter = factories.add_recruiter(company, email="later@x.example")
    db.session.commit()
    assert membership_of(recruiter) is not None
    db.session.commit()
    assert recruiter.email  # the user itself is read again after the commit
    assert _statements(db, lambda: membership_of(recruiter)) == 1


def _fresh(db, recruiter):
    """What each question's own statement answers, in a new transaction."""
    db.session.commit()
    edition = current_edition()
    member = membership_of(recruiter)
    return edition, member, participation_for(member.company, edition)


def test_the_membership_statement_also_answers_the_edition_and_the_participation(app, db):
    company = factories.make_company()
    recruiter = factories.add_recruiter(company, email="three@x.example")
    past = factories.make_edition(year=2001, starts_on=date(2001, 3, 1), ends_on=date(2001, 3, 2))
    db.session.commit()
    member = membership_of(recruiter)  # no edition ahead: the latest one
    assert _statements(db, lambda: (current_edition(), participation_for(company, past))) == 0
    assert current_edition() is past and participation_for(company, past) is None
    ahead = factories.make_edition(year=2090, starts_on=date(2090, 3, 1), ends_on=date(2090, 3, 2))
    later = factories.make_edition(year=2091, starts_on=date(2091, 3, 1), ends_on=date(2091, 3, 2))
    factories.make_participation(company, later)
    taking_part = factories.make_participation(company, ahead, status="pending")
    db.session.commit()
    member = membership_of(recruiter)
    assert _statements(db, lambda: (current_edition(), participation_for(company, ahead))) == 0
    assert (current_edition(), member, participation_for(company, ahead)) == _fresh(db, recruiter)
    assert participation_for(company, ahead) is taking_part


def test_a_kept_participation_is_asked_again_once_written(app, db):
    company = factories.make_company()
    recruiter = factories.add_recruiter(company, email="written@x.example")
    edition = factories.make_edition()
    db.session.commit()
    membership_of(recruiter)
    assert participation_for(company, edition) is None
    participation = factories.make_participation(company, edition, status="pending")
    assert participation_for(company, edition) is participation  # pending, then flushed by the query
    db.session.execute(delete(Participation).where(Participation.id == participation.id))
    assert participation_for(company, edition) is None


def test_a_recruiter_without_a_company_learns_nothing_of_the_edition(app, db):
    factories.make_edition()
    candidate = factories.make_user(email="nobody@x.example")
    db.session.commit()
    assert membership_of(candidate) is None
    assert _statements(db, current_edition) == 1
