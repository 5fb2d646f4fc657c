"""What a scanner or a person typed, turned back into a badge code. Pure: no Flask, no database.

A USB scanner types like a US keyboard: it presses the physical keys of the characters it
read. On a computer set to another layout those keys give other characters. The scanner page
avoids the problem entirely by decoding ``KeyboardEvent.code`` (the physical key); this module
is the server's fallback for text that arrives already garbled (a scanner typing into a plain
field, an offline queue from an older page, a person typing on a French keyboard).

The badge alphabet and its check symbol decide, never a blind rewrite:

1. the plain reading (``jobday.badges.codes.normalise``: case, spaces, separators, full-width
   forms; plus control characters removed) is kept when it is a well-formed code;
2. else the French AZERTY digit row (``& é " ' ( - è _ ç à`` → ``1 2 3 4 5 6 7 8 9 0``), alone;
3. else a US scanner on an AZERTY host in full: the digit row, A↔Q, Z↔W, and ``,``/``?`` → M;
4. else a US scanner on a German QWERTZ host: Y↔Z swapped.

Each alternative is taken only if it yields a well-formed code (right length, alphabet and
check symbol). Y and Z are both in the alphabet, so "fixing" them blindly would break good
codes; with the check symbol a wrong alternative passes with probability 1/31 at worst, and
it must then also be a code that exists (84 random bits), so a mistaken rewrite is not a
practical risk. When nothing is well formed, the plain reading is returned (it is unknown).
"""

from __future__ import annotations

import unicodedata

from jobday.badges.codes import is_well_formed, normalise

MAX_INPUT = 200  # characters kept from the raw input
MAX_CODE = 64

AZERTY_DIGITS = str.maketrans({"&": "1", "é": "2", "\"": "3", "'": "4", "(": "5", "-": "6", "è": "7",
                               "_": "8", "ç": "9", "à": "0"})
AZERTY_KEYS = str.maketrans({**{k: v for k, v in zip("&é\"'(-è_çà", "1234567890", strict=True)},
                             "a": "q", "q": "a", "A": "Q", "Q": "A", "z": "w", "w": "z", "Z": "W", "W": "Z",
                             ",": "m", "?": "M"})
QWERTZ_KEYS = str.maketrans({"y": "z", "z": "y", "Y": "Z", "Z": "Y"})


def strip_controls(text: str) -> str:
    """Without control and format characters (CR/LF/TAB a scanner appends, GS separators)."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def clean_input(raw: str) -> str:
    return strip_controls(raw or "")[:MAX_INPUT]


def read_code(raw: str) -> str:
    """The badge code meant by ``raw`` (see the module docstring); may be unknown."""
    text = clean_input(raw)
    plain = normalise(text)[:MAX_CODE]
    if is_well_formed(plain):
        return plain
    for table in (AZERTY_DIGITS, AZERTY_KEYS, QWERTZ_KEYS):
        candidate = normalise(text.translate(table))
        if is_well_formed(candidate):
            return candidate
    return plain
