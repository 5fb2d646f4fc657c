"""Badge codes: alphabet, strength, check symbol, normalisation of what people type."""

from __future__ import annotations

import math

import pytest

from jobday.badges import codes


def test_the_alphabet_has_no_look_alikes_and_fits_the_qr_alphanumeric_mode():
    assert not set("0O1IL") & set(codes.ALPHABET)
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 31
    assert set(codes.ALPHABET) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def test_a_code_holds_at_least_80_random_bits():
    assert codes.ENTROPY_BITS >= 80
    assert codes.RANDOM_LENGTH * math.log2(len(codes.ALPHABET)) == pytest.approx(84.2, abs=0.1)


def test_new_codes_are_well_formed_and_do_not_repeat():
    made = {codes.new_code() for _ in range(5000)}
    assert len(made) == 5000
    for code in list(made)[:200]:
        assert len(code) == codes.CODE_LENGTH == 18
        assert set(code) <= set(codes.ALPHABET)
        assert codes.is_well_formed(code)


def test_the_check_symbol_catches_any_single_typo():
    code = codes.new_code()
    for position in range(len(code)):
        for symbol in codes.ALPHABET:
            if symbol != code[position]:
                typo = code[:position] + symbol + code[position + 1:]
                assert not codes.is_well_formed(typo), typo


def test_the_check_symbol_catches_any_swap_of_two_neighbours():
    for _ in range(100):
        code = codes.new_code()
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
                assert not codes.is_well_formed(swapped), swapped


@pytest.mark.parametrize("typed", [
    "{code}", "{lower}", "  {code}  ", "{grouped}", "{spaced}", "{en_dash}", "{fullwidth}", "{dotted}",
])
def test_typed_codes_are_normalised(typed):
    code = codes.new_code()
    forms = {
        "code": code, "lower": code.lower(), "grouped": codes.for_humans(code),
        "spaced": " ".join(code[i:i + 3] for i in range(0, 18, 3)),
        "en_dash": code[:6] + "\u2013" + code[6:], "dotted": code[:9] + "." + code[9:],
        "fullwidth": "".join(chr(ord(ch) + 0xFEE0) for ch in code),
    }
    assert codes.normalise(typed.format(**forms)) == code
    assert codes.parse(typed.format(**forms)) == code


@pytest.mark.parametrize("bad", ["", "ABC", "O" * 18, "1" * 18, "I" * 18, "L" * 18])
def test_malformed_codes_are_refused(bad):
    assert codes.parse(bad) is None


def test_a_code_with_a_wrong_check_symbol_is_refused():
    code = codes.new_code()
    wrong = code[:-1] + next(s for s in codes.ALPHABET if s != code[-1])
    assert codes.parse(wrong) is None
    assert codes.parse(code + "2") is None


def test_humans_read_three_groups_of_six():
    code = codes.with_check("ABCDEFGHJKMNPQRST")
    assert codes.for_humans(code) == f"ABCDEF-GHJKMN-PQRST{code[-1]}"
    with pytest.raises(ValueError):
        codes.with_check("ABCDEFGHIJKLMNOPQ")  # I, L, O are not symbols
