"""The catalogue is complete and writes French as French is written: every message the code
and templates use has a French translation (none empty or fuzzy), a no-break space stands
before : ; ! ?, inclusive forms use the middle dot, counts agree ("0 créneau"), and "de",
"que", "le", "la" elide before a value that starts with a vowel ("Entretiens d'Amélie")."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale, gettext, ngettext

from jobday.typography import elide

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "jobday/translations/fr/LC_MESSAGES/messages.po"


def _catalogue():
    with open(PO, "rb") as po:
        return read_po(po)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_extraction_finds_no_message_the_french_catalogue_lacks(tmp_path):
    """What `make extract-messages` would add: nothing, and every French msgstr is filled in."""
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as template:
        extracted = {message.id for message in read_po(template) if message.id}
    french = {message.id: message for message in _catalogue() if message.id}
    assert sorted(map(str, extracted - set(french))) == []
    untranslated = [message.id for message in french.values() if not all(_strings(message)) or message.fuzzy]
    assert untranslated == []


def test_french_punctuation_has_its_no_break_space():
    wrong = [string for message in _catalogue() if message.id for string in _strings(message)
             if re.search(r"(?:[^\u00a0\u202f(]|^)[:;!?](?=\s|$)", string or "")]
    assert wrong == []


def test_inclusive_forms_use_the_middle_dot_and_counts_their_plural_forms():
    catalogue = _catalogue()
    strings = [string for message in catalogue if message.id for string in _strings(message)]
    assert not [s for s in strings if re.search(r"\w\((e|es|s|ne|euse|rice)\)", s or "")]
    assert not [m.id for m in catalogue if m.id and re.search(r"\w\(s\)", str(m.id))]  # "(s)": use ngettext
    assert any("candidat·es" in (s or "") for s in strings)


def test_templates_write_no_colon_of_their_own():
    """A colon after a translated text in a template ("{{ _('Status') }}: ...") misses the
    French no-break space: the colon belongs in the message."""
    found = [f"{path.relative_to(ROOT)}:{n}" for path in (ROOT / "templates").rglob("*.*")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\}\}\s?[:;!?](\s|<|$)", line)]
    assert found == []


@pytest.mark.parametrize(("template", "values", "expected"), [
    ("Entretiens de %(name)s", {"name": "Amélie"}, "Entretiens d'%(name)s"),
    ("Entretiens de %(name)s", {"name": "Bruno"}, "Entretiens de %(name)s"),
    ("De %(name)s", {"name": "Émile"}, "D'%(name)s"),
    ("Plus tard que %(when)s", {"when": "onze heures"}, "Plus tard qu'%(when)s"),
    ("Le logo de %(company)s", {"company": "Hollande Bio"}, "Le logo de %(company)s"),  # h: maybe aspirated
    ("expire le %(when)s", {"when": "8 mars"}, "expire le %(when)s"),
    ("La demande de %(name)s", {"name": None}, "La demande de %(name)s"),
])
def test_elision_before_a_vowel(template, values, expected):
    assert elide(template, values, "fr") == expected
    assert elide(template, values, "en") == template


def test_french_elides_in_code_and_templates_and_counts_agree(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert gettext("Interviews of %(name)s", name="Amélie") == "Entretiens d'Amélie"
        assert gettext("Interviews of %(name)s", name="Bruno") == "Entretiens de Bruno"
        page = render_template_string("{{ _('Interviews of %(name)s', name='Émile') }}")
        assert page == "Entretiens d'Émile"
        assert ngettext("%(num)d candidate", "%(num)d candidates", 0) == "0 candidat·e"
        assert ngettext("%(num)d candidate", "%(num)d candidates", 1) == "1 candidat·e"
        assert ngettext("%(num)d candidate", "%(num)d candidates", 2) == "2 candidat·es"
        with force_locale("en"):
            assert gettext("Interviews of %(name)s", name="Amélie") == "Interviews of Amélie"
