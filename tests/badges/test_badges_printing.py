"""Printing: selections, only new or changed, the reprint rule with its reason, print
records, and the background job that makes the PDF."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jobday import storage
from jobday.badges import printing, services
from jobday.badges.models import Badge, PrintRun
from jobday.extensions import db as _db
from jobday.jobs.models import Job
from jobday.jobs.services import enqueue
from jobday.security import Role
from tests import factories
from tests.badges.conftest import candidate, decoded_codes, page_sizes_mm


@pytest.fixture
def fair(db, edition):
    """3 candidates, 2 recruiters of an approved company, 1 of another, 1 staff."""
    people = {"candidates": [candidate(edition, first_name=f"Cand{n}", last_name="Idate") for n in range(3)]}
    vaxolis = factories.make_company(name="Vaxolis")
    factories.make_participation(vaxolis, edition, stand="B12")
    factories.add_recruiter(vaxolis)
    other = factories.make_company(name="Other Bio")
    factories.make_participation(other, edition, stand="C1")
    people.update(vaxolis=vaxolis, other=other, staff=factories.make_user(roles=(Role.STAFF,)))
    return people


def _select(edition, **kwargs):
    return printing.Selection(edition_id=edition.id, **kwargs)


def test_selections_by_role_and_company_in_print_order(db, edition, fair):
    services.sync_edition(edition, actor=None)
    everyone = printing.select_badges(_select(edition))
    assert [b.role for b in everyone] == ["staff"] + ["recruiter"] * 3 + ["candidate"] * 3
    assert [b.company_name for b in everyone if b.role == "recruiter"] == ["Other Bio", "Vaxolis", "Vaxolis"]
    assert {b.role for b in printing.select_badges(_select(edition, role="candidate"))} == {"candidate"}
    vaxolis = printing.select_badges(_select(edition, company_id=fair["vaxolis"].id))
    assert len(vaxolis) == 2 and {b.company_name for b in vaxolis} == {"Vaxolis"}


def test_only_new_or_changed_badges(db, edition, fair):
    services.sync_edition(edition, actor=None)
    badges = printing.select_badges(_select(edition))
    printing.record_print(badges, edition_id=edition.id, layout="a4-8", selection="all", reason="",
                          actor_id=None)
    assert printing.select_badges(_select(edition, only_new=True)) == []
    newcomer = candidate(edition, first_name="New")
    fair["candidates"][0].first_name = "Renamed"  # reissued: a new, never printed badge
    from jobday.companies.models import Participation

    other = select(Participation).where(Participation.company_id == fair["other"].id)
    _db.session.scalars(other).one().stand = "D4"
    services.sync_edition(edition, actor=None)
    fresh = printing.select_badges(_select(edition, only_new=True))
    assert {b.first_name for b in fresh if b.role == "candidate"} == {"New", "Renamed"}
    assert [b.company_name for b in fresh if b.role == "recruiter"] == ["Other Bio"]  # stand changed
    states = {b.first_name: printing.print_state(b.printed_at, b.printed_hash, b.display_hash) for b in fresh}
    assert states["New"] == "new" and states["Renamed"] == "new"
    assert newcomer.id in {b.user_id for b in fresh}


def test_printing_again_needs_a_reason_which_is_recorded(db, edition, fair):
    badges = printing.prepare_print(_select(edition), layout="a4-8", reason=None, actor=None)
    printing.record_print(badges, edition_id=edition.id, layout="a4-8", selection="all", reason="",
                          actor_id=None)
    db.session.commit()
    with pytest.raises(printing.ReprintNeedsReason) as refused:
        printing.prepare_print(_select(edition, role="staff"), layout="a4-8", reason="  ", actor=None)
    assert refused.value.code == "reprint_needs_reason"
    again = printing.prepare_print(_select(edition, role="staff"), layout="a4-8", reason="Printer jammed",
                                   actor=None)
    run = printing.record_print(again, edition_id=edition.id, layout="a4-8", selection="staff",
                                reason="Printer jammed", actor_id=None)
    assert (run.reason, run.badge_count, run.reprint_count) == ("Printer jammed", 1, 1)
    assert again[0].print_count == 2


def test_a_changed_badge_prints_again_without_a_reason(db, edition, fair):
    badges = printing.prepare_print(_select(edition), layout="a4-8", reason=None, actor=None)
    printing.record_print(badges, edition_id=edition.id, layout="a4-8", selection="all", reason="",
                          actor_id=None)
    fair["staff"].locale = "en"  # what is printed changes (the label's language): same code
    changed = printing.prepare_print(_select(edition, only_new=True), layout="a4-8", reason=None, actor=None)
    assert [b.user_id for b in changed] == [fair["staff"].id]


def test_an_empty_selection_and_an_unknown_layout_are_refused(db, edition):
    with pytest.raises(printing.NothingToPrint):
        printing.prepare_print(_select(edition), layout="a4-8", reason=None, actor=None)
    with pytest.raises(printing.UnknownLayout):
        printing.prepare_print(_select(edition), layout="a3", reason=None, actor=None)


def test_the_preview_counts_what_printing_will_do_without_writing(db, edition, fair):
    preview = printing.preview(edition, _select(edition), "a4-8")
    assert (preview.count, preview.new, preview.reprints, preview.pages, preview.pending) == (7, 7, 0, 1, 7)
    assert db.session.scalars(select(Badge)).all() == []
    fair["candidates"][0].last_name = "Vandenbroucke-de Wijngaert-Oppenheimer-Lichtenstein-Habsburg"
    assert printing.preview(edition, _select(edition), "a4-8").overflow == [
        "Cand0 Vandenbroucke-de Wijngaert-Oppenheimer-Lichtenstein-Habsburg"]


def test_the_print_job_makes_the_pdf_and_records_the_print(app, db, edition, fair, organiser):
    job, badges = printing.start_print(_select(edition), layout="a4-8", offset=(1.0, -1.0), reason=None,
                                       actor=organiser)
    db.session.commit()
    job_id, codes = job.id, sorted(b.code for b in badges)
    enqueue(job)
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    assert job.status == "done", job.error
    assert len(codes) == 8  # the organiser is on the team too
    assert (job.done, job.total) == (8, 8)
    assert job.result_name == "badges-2031-a4-8.pdf" and "8 badges" in job.result_summary
    pdf_bytes = storage.read(job.result_key).data
    assert [(round(w), round(h)) for w, h in page_sizes_mm(pdf_bytes)] == [(210, 297)]
    assert sorted(decoded_codes(pdf_bytes)[0]) == codes
    run = db.session.scalars(select(PrintRun)).one()
    assert (run.job_id, run.badge_count, run.reprint_count, run.started_by_id) == (job_id, 8, 0, organiser.id)
    assert all(b.printed_at is not None and b.print_count == 1 for b in db.session.scalars(select(Badge)))
