"""Company names, Belgian enterprise numbers, websites and phones."""

import pytest

from jobday.companies.identifiers import (
    format_enterprise_number,
    format_phone,
    name_key,
    normalise_enterprise_number,
    normalise_phone,
    normalise_website,
)


def test_names_that_differ_by_case_accents_and_spacing_share_a_key():
    assert name_key("Biopharma Namur") == name_key("  BIOPHARMA   namur ") == name_key("Biopharmà Namur")
    assert name_key("Vaxolis S.A.") == name_key("vaxolis s a")
    assert name_key("Vaxolis") != name_key("Vaxolis Bio")


@pytest.mark.parametrize("raw", ["0123.456.749", "BE0123456749", "be 0123 456 749", "123456749",
                                 "0123-456-749"])
def test_enterprise_number_accepted_in_its_usual_spellings(raw):
    assert normalise_enterprise_number(raw) == "0123456749"
    assert format_enterprise_number("0123456749") == "0123.456.749"


@pytest.mark.parametrize("raw", [
    "0123.456.748",  # wrong check digits
    "2123.456.749",  # must start with 0 or 1
    "0123.456.74",  # too short
    "01234567490",  # too long
    "NL0123456749", "abcdefghij", "",
])
def test_enterprise_number_refused_when_malformed_or_check_fails(app, raw):
    with pytest.raises(ValueError) as error:
        normalise_enterprise_number(raw)
    assert str(error.value.args[0])


def test_website_needs_http_or_https():
    assert normalise_website("vaxolis.example") == "https://vaxolis.example"
    assert normalise_website("http://vaxolis.example/jobs") == "http://vaxolis.example/jobs"
    assert normalise_website("") == ""
    for bad in ("javascript:alert(1)", "ftp://vaxolis.example", "https://", "data:text/html,x", "localhost"):
        with pytest.raises(ValueError):
            normalise_website(bad)


def test_phone_numbers_are_stored_in_international_form():
    assert normalise_phone("071 12 34 56") == "+3271123456"
    assert normalise_phone("+33 1 23 45 67 89") == "+33123456789"
    assert format_phone("+3271123456") == "+32 71 12 34 56"
    for bad in ("12", "phone", "+32 0"):
        with pytest.raises(ValueError):
            normalise_phone(bad)
