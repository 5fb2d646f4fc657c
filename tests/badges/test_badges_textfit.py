"""Names for print: cleaned, then sized with the bundled font's own metrics."""

from __future__ import annotations

import pytest
from PIL import ImageFont

from jobday.badges import textfit


@pytest.mark.parametrize("raw, printed", [
    ("Zoë Müller", "Zoë Müller"),
    ("Zoe\u0308", "Zoë"),  # combining diaeresis composed
    ("  Søren \n\t Ødegård ", "Søren Ødegård"),
    ("\u202eevil\u202c name", "evil name"),  # right-to-left override and pop
    ("Ana\u200f\u200e\u200b Lima", "Ana Lima"),  # direction marks, zero-width space
    ("Léa 😀👍🏽 ❤️", "Léa ❤"),  # emoji go; the heart is in DejaVu, its emoji selector goes
    ("Jean\u00adPierre", "JeanPierre"),  # soft hyphen
    ('<img src="file:///etc/passwd">', '<img src="file:///etc/passwd">'),  # text stays text
])
def test_names_are_cleaned_for_print(raw, printed):
    assert textfit.clean(raw) == printed


def test_cleaned_names_are_capped():
    assert len(textfit.clean("A" * 500)) == textfit.MAX_NAME_CHARS


def test_a_short_name_keeps_the_largest_size_on_one_line():
    fit = textfit.fit("Zoë", width_mm=46, max_pt=20, min_pt=11)
    assert fit == textfit.Fit(("Zoë",), 20, True)


def test_a_long_name_shrinks_on_one_line_before_wrapping():
    fit = textfit.fit("François-Xavier", width_mm=46, max_pt=20, min_pt=11, two_line_max_pt=14)
    assert fit.lines == ("François-Xavier",) and fit.fits
    assert 11 <= fit.size_pt < 20
    assert textfit.text_width_mm("François-Xavier", fit.size_pt) <= 46
    assert textfit.text_width_mm("François-Xavier", fit.size_pt + textfit.STEP_PT) > 46 * textfit.SAFETY


@pytest.mark.parametrize("name, lines", [
    ("Jean-Christophe Alexandre", ("Jean-Christophe", "Alexandre")),  # at a space
    ("Vandenbroucke-Dupont", ("Vandenbroucke-", "Dupont")),  # after a hyphen
])
def test_a_name_too_long_for_one_line_wraps_to_two_at_a_break(name, lines):
    fit = textfit.fit(name, width_mm=46, max_pt=20, min_pt=11, two_line_max_pt=14)
    assert fit.lines == lines and fit.fits
    assert all(textfit.text_width_mm(line, fit.size_pt) <= 46 for line in fit.lines)
    assert 11 <= fit.size_pt <= 14


@pytest.mark.parametrize("name", ["Maximiliana-Alexandrina Josephina", "Ab" * 40])
def test_a_name_that_still_does_not_fit_is_an_overflow(name):
    fit = textfit.fit(name, width_mm=46, max_pt=20, min_pt=11, two_line_max_pt=14)
    assert not fit.fits and fit.size_pt == 11


def test_no_wrap_means_shrink_or_overflow():
    fit = textfit.fit("Novo Nordisk Pharmatech Biologicals Europe SA", width_mm=46, max_pt=9, min_pt=7,
                      wrap=False)
    assert fit.lines == ("Novo Nordisk Pharmatech Biologicals Europe SA",) and not fit.fits


@pytest.mark.parametrize("text", ["Łukasz Wiśniewski", "Søren Ødegård", "François-Xavier", "Zoë Müller"])
def test_the_width_estimate_agrees_with_an_independent_measure(text):
    """Pillow (FreeType, with kerning) measures the same bundled font."""
    font = ImageFont.truetype(str(textfit.FONT_FOLDER / textfit.FONT_FILES["bold"]), size=1000)
    measured_mm = font.getlength(text) / 1000 * 20 * textfit.MM_PER_PT
    assert textfit.text_width_mm(text, 20) == pytest.approx(measured_mm, rel=0.03)
