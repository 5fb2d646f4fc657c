"""The company list's lines, written in Python (``candidate._company_lines``), held to the
template loop they replace: every branch (stand or none, booking mode, free slots or none,
booked, reasons) and names that need escaping, in French and English."""

from __future__ import annotations

import pytest
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from jobday.companies.models import APPLY_BOOKING
from jobday.scheduling.queries import CompanyRow, Exhibitor, Stand
from jobday.scheduling.views.candidate import _company_lines

# The loop as companies.html wrote it (two long tags folded), with its rows' texts as the view worked them out.
_TEMPLATE_LOOP = """
{%- from "macros/ui.html" import pill -%}
{%- set on_application, open_booking, booked = pill(_('On application'), 'warn'), pill(_('Open booking'), 'ok'),
      pill(_('Booked'), 'ok') %}
{%- set lines %}
<ul class="company-list">
  {% for company_id, name, url, stand, apply, free_slots, free_label, booked_by_me in rows %}
  <li>
    <a href="{{ url }}"><strong>{{ name }}</strong></a>
    {% if stand %}<span class="hint">{{ stand }}</span>{% endif %}
    <br>
    {% if apply %}{{ on_application }}{% else %}{{ open_booking }}{% endif %}
    <span class="pill pill-{{ 'ok' if free_slots else 'muted' }}">{{ free_label }}</span>
    {% if booked_by_me %}{{ booked }}{% endif %}
    {% if reasons and reasons[company_id] %}<p class="reasons">{{ _('Matches your profile:') }} {{
      reasons[company_id]|join(', ') }}</p>{% endif %}
  </li>
  {% endfor %}
</ul>
{%- endset %}{{ lines }}"""


def _as_the_template_did(app, rows, reasons) -> str:
    texts = [(row.company.id, row.company.name, url_for("scheduling.company", participation_id=row.participation.id),
              _("Stand %(stand)s", stand=row.participation.stand) if row.participation.stand else "",
              row.participation.booking_mode == APPLY_BOOKING, row.free_slots,
              ngettext("%(num)d free slot", "%(num)d free slots", row.free_slots), row.booked_by_me)
             for row in rows]
    return app.jinja_env.from_string(_TEMPLATE_LOOP).render(rows=texts, reasons=reasons)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_lines_are_the_template_loops(app, language):
    rows = [
        CompanyRow(Stand(3, "A1", "free"), Exhibitor(30, "Acme <Bio> & \"Co\""), 12, False),
        CompanyRow(Stand(4, None, APPLY_BOOKING), Exhibitor(40, "L'Oréal"), 0, True),
        CompanyRow(Stand(5, "<B2>", APPLY_BOOKING), Exhibitor(50, "Biolab"), 1, False),
        CompanyRow(Stand(6, "", "free"), Exhibitor(60, "Cobalt"), 2, True),
    ]
    reasons = {30: ["1 offer in R&D", "<b>level</b>"], 50: ["region: Wallonia"]}
    with app.test_request_context("/interviews", headers={"Accept-Language": language}):
        app.preprocess_request()
        for asked in (reasons, {}):
            assert str(_company_lines(rows, asked)) == _as_the_template_did(app, rows, asked)
            assert str(_company_lines(rows, asked)) == str(_company_lines(rows, asked))  # kept texts too
        lines = str(_company_lines(rows, reasons))
    assert "Acme &lt;Bio&gt; &amp; &#34;Co&#34;" in lines and "1 offer in R&amp;D, &lt;b&gt;level&lt;/b&gt;" in lines
    assert ("2 créneaux libres" if language == "fr" else "2 free slots") in lines


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_kept_line_follows_all_it_shows(app, language):
    """A line is kept for its row and language: each change of what it shows (free slots, the
    reader's booking, the stand, the booking mode, the name) writes it anew, as the loop would."""
    first = CompanyRow(Stand(7, "C3", "free"), Exhibitor(70, "Delta"), 3, False)
    changes = [first, CompanyRow(Stand(7, "C3", "free"), Exhibitor(70, "Delta"), 2, False),
               CompanyRow(Stand(7, "C3", "free"), Exhibitor(70, "Delta"), 2, True),
               CompanyRow(Stand(7, "C4", "free"), Exhibitor(70, "Delta"), 2, True),
               CompanyRow(Stand(7, "C4", APPLY_BOOKING), Exhibitor(70, "Delta"), 2, True),
               CompanyRow(Stand(7, "C4", APPLY_BOOKING), Exhibitor(70, "Delta & co"), 2, True), first]
    with app.test_request_context("/interviews", headers={"Accept-Language": language}):
        app.preprocess_request()
        written = [str(_company_lines([row], {})) for row in changes]
        assert written == [_as_the_template_did(app, [row], {}) for row in changes]
    assert len(set(written)) == len(changes) - 1 and written[0] == written[-1]


def test_the_lines_link_under_the_address_root(app):
    row = CompanyRow(Stand(8, None, "free"), Exhibitor(80, "Echo"), 1, False)
    for root in ("", "/jobday"):
        with app.test_request_context("/interviews", base_url=f"http://localhost{root}",
                                      headers={"Accept-Language": "en"}):
            app.preprocess_request()
            assert f'<a href="{root}/interviews/companies/8">' in str(_company_lines([row], {}))
            assert str(_company_lines([row], {})) == _as_the_template_did(app, [row], {})
