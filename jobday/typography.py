"""French elision where a translated sentence meets a value: "Entretiens de %(name)s" reads
"Entretiens d'Amélie" for Amélie and "Entretiens de Bruno" for Bruno.

The catalogue writes the full word ("de", "que", "le", "la", "jusque", "lorsque", "puisque")
before a placeholder; ``elide`` shortens it when the value starts with a vowel, and only in
French. A value starting with "h" keeps the full word (the h may be aspirated: "de Hollande").
The other rules of French typography live in the catalogue itself: a no-break space before
":" and a narrow no-break space before ";", "!" and "?" (tests/core/test_typography.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

VOWELS = frozenset("AEIOUYÀÂÄÆÉÈÊËÎÏÔÖŒÙÛÜaeiouyàâäæéèêëîïôöœùûü")
ELIDED = {"de": "d'", "que": "qu'", "le": "l'", "la": "l'", "jusque": "jusqu'", "lorsque": "lorsqu'",
          "puisque": "puisqu'"}
_BEFORE_VALUE = re.compile(r"\b(" + "|".join(ELIDED) + r") %\((\w+)\)s", re.IGNORECASE)


def elide(template: str, variables: Mapping, language: str) -> str:
    """``template`` with the words before placeholders elided for the values they will hold."""
    if not language.startswith("fr") or "%(" not in template:
        return template

    def shorten(match: re.Match) -> str:
        word, key = match.group(1), match.group(2)
        value = variables.get(key)
        if value is None or str(value)[:1] not in VOWELS:
            return match.group(0)
        short = ELIDED[word.lower()]
        return f"{short[0].upper() + short[1:] if word[0].isupper() else short}%({key})s"

    return _BEFORE_VALUE.sub(shorten, template)
