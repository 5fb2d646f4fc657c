"""Erasure leaves nothing (issue 16, item 5): a candidate who used every feature is erased, then
every table, every file under the instance folder and the logs are searched for their e-mail,
names and phone number."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import func, select

from jobday.candidates import consent, cv
from jobday.candidates.erasure import erase_candidate
from jobday.candidates.services import ProfileInput, get_or_create_profile, update_profile
from jobday.jobs.services import enqueue, start_job
from jobday.scheduling import applications, booking
from jobday.scheduling.models import WaitlistEntry, Wish
from jobday.storage import ExpiringFile
from tests import factories
from tests.scheduling.conftest import slots_of

EMAIL = "zoe.erasable@example.org"
FIRST, LAST = "Zoëlle", "Crèvecœur-Effacée"
PHONE = "470 98 76 54"
NEEDLES = (EMAIL, FIRST, LAST, "Crèvecœur", "Effacée", "470987654", PHONE)


def _person_who_used_everything(app, client, db):
    edition = factories.make_edition()
    zoe = factories.make_candidate(email=EMAIL, first_name=FIRST, last_name=LAST)
    admin = factories.make_user(roles=("admin",), email="organiser.erase@example.org")
    db.session.commit()
    get_or_create_profile(zoe)
    update_profile(zoe, ProfileInput(first_name=FIRST, last_name=LAST, education_level="master",
                                     job_areas=["quality_control"], phone="0" + PHONE, postcode="6041",
                                     field_of_study="Biotechnologie", years_experience=3,
                                     languages={"fr": "native", "en": "good", "nl": ""},
                                     contract_types=["permanent"], about=f"Je suis {FIRST} {LAST}."), actor=zoe)
    cv.store_cv(get_or_create_profile(zoe), factories.make_pdf(f"% {FIRST} {LAST}\n".encode()), f"CV {LAST}.pdf")
    consent.record_consents(zoe, {"share_with_applied": True, "share_with_all_exhibitors": True, "news": True},
                            actor=zoe)
    factories.make_registration(zoe, edition)
    factories.make_badge(zoe, edition)
    open_company = factories.make_company(name="Vaxolis")
    open_part = factories.make_participation(open_company, edition, stand="A1")
    booking.book_slot(zoe, slots_of(open_part)[0].id, actor=zoe, notify_candidate=True)
    apply_company = factories.make_company(name="Biolab")
    apply_part = factories.make_participation(apply_company, edition, stand="B2", booking_mode="apply")
    applications.apply_to_company(zoe, apply_part, actor=zoe, motivation=f"{FIRST} aime la HPLC.")
    db.session.add(Wish(edition_id=edition.id, participation_id=open_part.id, candidate_id=zoe.id, rank=1))
    db.session.add(WaitlistEntry(edition_id=edition.id, participation_id=apply_part.id, candidate_id=zoe.id))
    factories.make_lead(open_company, zoe, edition, note=f"{FIRST} {LAST}, très motivée, {PHONE}")
    db.session.commit()
    client.post_form("/account/reset", {"email": EMAIL})  # an e-mail with a live link
    job = start_job("staff.export", actor=admin, params={"key": "candidates", "edition_id": edition.id})
    db.session.commit()
    enqueue(job)  # an Excel file of the candidates, her among them, kept as the job's result
    return zoe


def _database_text(db) -> str:
    """Every value of every row, each line prefixed by its table (to say where a needle is)."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            for value in row:
                text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                parts.append(f"{table.name}: {text}")
    return "\n".join(parts)


def _files_text(app) -> str:
    texts = []
    for path in Path(app.instance_path).rglob("*"):
        if path.is_file() and not path.name.startswith("jobday.sqlite"):
            data = path.read_bytes()
            texts.append(data.decode("utf-8", "replace") + data.decode("latin-1"))
    return "\n".join(texts)


def test_an_erased_candidate_is_nowhere(backend, app, client, db, caplog):
    app.config["MAIL_SERVER"] = ""  # development: e-mails are also written as .eml files
    caplog.set_level(logging.DEBUG)
    zoe = _person_who_used_everything(app, client, db)
    before = _database_text(db)
    assert all(needle in before for needle in (EMAIL, FIRST, LAST)), "the world does not hold her"
    assert any(EMAIL in text for text in [_files_text(app)])
    assert db.session.scalar(select(func.count()).select_from(ExpiringFile)) == 1  # the Excel file (zipped)

    erase_candidate(db.session.get(type(zoe), zoe.id))
    db.session.commit()
    db.session.expire_all()

    assert db.session.scalar(select(func.count()).select_from(ExpiringFile)) == 0  # it named her too
    left = {"database": _database_text(db), "files": _files_text(app), "logs": caplog.text}
    found = {where: [line[:200] for line in text.splitlines() if any(needle in line for needle in NEEDLES)]
             for where, text in left.items()}
    assert found == {"database": [], "files": [], "logs": []}
