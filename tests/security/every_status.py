"""Demo-like data in which every status of every vocabulary shown on a page appears at least
once, added to the access matrix's world (``matrix_world.build_world``) for the French walk.

Candidate A (the walk's candidate) and company X (the walk's recruiters) get a rich history:
registrations at older editions, bookings in every state, applications and waiting-list
entries, badges and scans of every kind. Extra candidates fill the organisers' lists with
every registration and application status; runs, jobs, campaigns and the audit log hold every
status and action. ``missing_codes`` says which codes the data still lacks.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from jobday.db import utcnow
from jobday.extensions import db
from jobday.security import Role
from tests import factories


def add_every_status(ids: dict) -> None:
    from jobday.accounts.models import User
    from jobday.badges.models import BadgeRole, RevokeReason
    from jobday.candidates.models import RegistrationStatus
    from jobday.checkin.models import Scan, ScanResult
    from jobday.companies.models import Participation
    from jobday.editions.models import Edition
    from jobday.jobs.models import Job, JobStatus
    from jobday.scheduling.models import (
        Application,
        ApplicationStatus,
        Booking,
        BookingSource,
        CancelReason,
        Outcome,
        RunStatus,
        ScheduleRun,
        WaitlistEntry,
        WaitlistStatus,
    )
    from jobday.staff.models import AuditAction, AuditEntry, AuditObject, Campaign, CampaignStatus

    now = utcnow()
    edition = db.session.get(Edition, ids["edition"])
    alice = db.session.get(User, ids["candidate_a"])
    organiser = db.session.scalar(select(User).where(User.email == "organiser@example.org"))
    part_x = db.session.get(Participation, ids["participation_x"])
    slots = sorted(part_x.tables[0].slots, key=lambda slot: slot.starts_at)

    # Alice at earlier editions, in the statuses a person keeps (her current one is "registered").
    for year_back, status in zip((3, 4, 5, 6), (RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED,
                                               RegistrationStatus.EXPIRED, RegistrationStatus.WITHDRAWN),
                                 strict=True):
        older = factories.make_edition(year=edition.year - year_back,
                                       starts_on=edition.starts_on - timedelta(days=365 * year_back))
        factories.make_registration(alice, older, status=status)

    # Other candidates: every registration status at the current edition, every application status at X.
    people = {}
    for n, (first, last, status, application) in enumerate((
            ("Zoë", "Müller", RegistrationStatus.WAITLISTED, ApplicationStatus.ACCEPTED),
            ("Émile", "Crèvecœur", RegistrationStatus.OFFERED, ApplicationStatus.DECLINED),
            ("Björn", "Ærø", RegistrationStatus.EXPIRED, ApplicationStatus.WITHDRAWN),
            ("Ayşe", "Çelik", RegistrationStatus.WITHDRAWN, ApplicationStatus.PENDING),
            ("José", "Ñúñez", RegistrationStatus.REGISTERED, ApplicationStatus.ACCEPTED))):
        person = factories.make_candidate(first_name=first, last_name=last, email=f"every{n}@example.org",
                                          education_level="phd", job_areas=("rnd", "regulatory"))
        factories.make_registration(person, edition, status=status)
        db.session.add(Application(edition_id=edition.id, participation_id=part_x.id, candidate_id=person.id,
                                   motivation="J'aimerais vous rencontrer.", status=application))
        people[last] = person

    # Bookings at X: held, no-show, cancelled for each reason, from each source.
    booker = people["Ñúñez"]
    free = [slot for slot in slots[5:] if slot.held_by_candidate_id is None]
    for slot, source, outcome in ((free[0], BookingSource.SCHEDULER, Outcome.HELD),
                                  (free[1], BookingSource.WAITLIST, Outcome.NO_SHOW)):
        factories.hold_slot(slot, booker if outcome == Outcome.HELD else alice)
        db.session.add(Booking(edition_id=edition.id, participation_id=part_x.id, slot_id=slot.id,
                               candidate_id=slot.held_by_candidate_id, starts_at=slot.starts_at,
                               ends_at=slot.ends_at, source=source, outcome=outcome, outcome_at=now))
    for slot, reason, source in zip(free[2:], CancelReason, list(BookingSource) * 2, strict=False):
        db.session.add(Booking(edition_id=edition.id, participation_id=part_x.id, slot_id=slot.id,
                               candidate_id=alice.id, starts_at=slot.starts_at, ends_at=slot.ends_at,
                               active=False, source=source, cancelled_at=now, cancel_reason=reason))

    # Waiting lists at X: every state (one open entry per candidate and company).
    for person, status in zip((people["Müller"], people["Crèvecœur"], people["Ærø"], people["Çelik"],
                               booker), WaitlistStatus, strict=True):
        entry = WaitlistEntry(edition_id=edition.id, participation_id=part_x.id, candidate_id=person.id,
                              status=status, passed_slot_ids=[])
        if status == WaitlistStatus.OFFERED:
            entry.offered_slot_id, entry.offered_at = free[-1].id, now
            entry.offer_expires_at = now + timedelta(hours=2)
        db.session.add(entry)

    # Badges of every role; Alice's older ones revoked for each reason; scans of every result.
    door = db.session.scalar(select(User).where(User.email == "door@example.org"))
    visitor = factories.make_user(roles=(), first_name="Vera", last_name="Visiteuse", email="vera@example.org")
    factories.make_badge(visitor, edition, role=BadgeRole.VISITOR)
    badges = [factories.make_badge(alice, edition, status="revoked", revoke_reason=reason)
              for reason in RevokeReason]
    for n, result in enumerate(ScanResult):
        db.session.add(Scan(edition_id=edition.id, badge_id=badges[n % len(badges)].id, result=result,
                            reason="" if result in (ScanResult.OK, ScanResult.EXIT) else result, gate="A",
                            staff_user_id=door.id, scope=f"u{door.id}", nonce=f"every-status-{n:04d}",
                            scanned_at=now - timedelta(minutes=n), code=badges[0].code,
                            forced=result == ScanResult.OK and n == 0))
    db.session.add(Scan(edition_id=edition.id, badge_id=badges[0].id, result=ScanResult.OK,
                        reason=ScanResult.BADGE_REVOKED, forced=True, gate="B", staff_user_id=organiser.id,
                        scope=f"u{organiser.id}", nonce="every-status-forced", scanned_at=now, code=badges[0].code))

    # A declined company; runs, jobs, campaigns and audit entries of every kind.
    declined = factories.make_company(name="Dune Diagnostics")
    factories.make_participation(declined, edition, status="declined")
    for status in RunStatus:
        db.session.add(ScheduleRun(edition_id=edition.id, status=status, created_by_id=organiser.id,
                                   stats={}, error="Délai dépassé" if status == RunStatus.FAILED else None))
    for status in JobStatus:
        db.session.add(Job(kind="staff.export", params={}, status=status, done=1, total=2,
                           started_by_id=organiser.id, error="Délai dépassé" if status == JobStatus.FAILED else None))
    for status in CampaignStatus:
        db.session.add(Campaign(edition_id=edition.id, audience="waitlisted", subject_fr="Invitation au salon",
                                subject_en="Campaign", body_fr="Bonjour", body_en="Hello",
                                created_by_id=organiser.id, status=status))
    for action, kind in zip(AuditAction, list(AuditObject) * 2, strict=False):
        db.session.add(AuditEntry(action=action, actor_id=organiser.id, object_type=kind, object_id=1,
                                  detail="", ip="127.0.0.1", created_at=now))
    # Alice is also door staff at an earlier fair: the person page shows roles.
    alice.add_role(Role.CANDIDATE)
    db.session.commit()
