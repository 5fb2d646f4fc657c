"""``flask badges print``: the same rules as the print page, from the command line."""

from __future__ import annotations

from sqlalchemy import func, select

from jobday.badges.models import Badge, PrintRun
from tests.badges.conftest import candidate, decoded_codes, page_sizes_mm


def _print(runner, out, *extra):
    return runner.invoke(args=["badges", "print", "--edition", "2031", "--layout", "a4-8", "-o", str(out),
                               *extra])


def test_printing_from_the_command_line(db, runner, edition, tmp_path):
    people = [candidate(edition) for _ in range(10)]
    db.session.commit()
    out = tmp_path / "badges.pdf"
    result = _print(runner, out)
    assert result.exit_code == 0, result.output
    assert "10 badges" in result.output and "2 pages" in result.output and "s\u00a0:" in result.output
    pdf = out.read_bytes()
    assert [(round(w), round(h)) for w, h in page_sizes_mm(pdf)] == [(210, 297)] * 2
    codes = set(db.session.scalars(select(Badge.code).where(Badge.status == "active")))
    assert len(codes) == len(people) and {c for page in decoded_codes(pdf) for c in page} == codes
    assert db.session.scalar(select(func.count(PrintRun.id))) == 1


def test_reprints_need_a_reason_and_only_new_finds_nothing(db, runner, edition, tmp_path):
    candidate(edition)
    db.session.commit()
    assert _print(runner, tmp_path / "first.pdf").exit_code == 0
    refused = _print(runner, tmp_path / "again.pdf")
    assert refused.exit_code == 1 and ("reason" in refused.output or "raison" in refused.output)
    assert not (tmp_path / "again.pdf").exists()
    nothing = _print(runner, tmp_path / "new.pdf", "--only-new")
    assert nothing.exit_code != 0 and not (tmp_path / "new.pdf").exists()
    candidate(edition)
    db.session.commit()
    fresh = _print(runner, tmp_path / "new.pdf", "--only-new")
    assert fresh.exit_code == 0 and "1 badge," in fresh.output
    again = _print(runner, tmp_path / "again.pdf", "--reason", "Ink ran out")
    assert again.exit_code == 0
    reasons = db.session.scalars(select(PrintRun.reason).order_by(PrintRun.id)).all()
    assert reasons == ["", "", "Ink ran out"]


def test_an_unknown_edition_or_layout_is_refused(db, runner, tmp_path):
    assert "Aucune édition en 1999" in runner.invoke(
        args=["badges", "print", "--edition", "1999", "-o", str(tmp_path / "x.pdf")]).output
    assert runner.invoke(args=["badges", "print", "--edition", "2031", "--layout", "a3",
                               "-o", str(tmp_path / "x.pdf")]).exit_code == 2
