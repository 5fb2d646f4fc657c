"""A match's reasons in words, e.g. "2 offres en contrôle qualité, niveau Master, langues : français".

Only facts that earned points are said (``score.Reasons``, ``score.OfferMatch``), so every
reason shown is true of the profile and the offers.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import ngettext

from jobday.matching.score import OfferMatch, Reasons
from jobday.vocabulary import ContractType, EducationLevel, JobArea, Language, Region


@lru_cache(maxsize=1024)  # a pure function of labels (a few dozen a language), each looked at letter by letter
def _in_sentence(text: str) -> str:
    """A label inside a sentence: "Contrôle qualité" → "contrôle qualité"; a first word that is
    an acronym ("R&D") stays as it is."""
    first = text.split(" ", 1)[0]
    return text if any(ch.isupper() for ch in first[1:]) else text[:1].lower() + text[1:]


def _area(code: str) -> str:
    return _in_sentence(JobArea.label_of(code))


def _level(code: str, same: bool) -> str:
    name = _in_sentence(EducationLevel.label_of(code))
    return _("%(level)s level", level=name) if same else _("%(level)s level required", level=name)


def _languages(codes) -> str:
    return _("languages: %(languages)s", languages=", ".join(_in_sentence(Language.label_of(c)) for c in codes))


def _regions(codes) -> list[str]:
    return [_("region: %(region)s", region=Region.label_of(code)) for code in codes]


def company_reasons(reasons: Reasons) -> list[str]:
    """A company's reasons: the fitting offers per shared area, then levels, contracts,
    languages and regions."""
    parts = [ngettext("%(num)d offer in %(area)s", "%(num)d offers in %(area)s", count, area=_area(area))
             for area, count in reasons.areas]
    parts += [_level(code, same) for code, same in reasons.levels]
    parts += [_in_sentence(ContractType.label_of(code)) for code in reasons.contracts]
    if reasons.languages:
        parts.append(_languages(reasons.languages))
    return parts + _regions(reasons.regions)


def offer_reasons(match: OfferMatch) -> list[str]:
    """One offer's reasons: the shared areas, level, contract, languages and region."""
    parts = [", ".join(_area(area) for area in match.areas)]
    if match.level:
        parts.append(_level(match.level, match.same_level))
    if match.contract:
        parts.append(_in_sentence(ContractType.label_of(match.contract)))
    if match.languages:
        parts.append(_languages(match.languages))
    return parts + _regions([match.region] if match.region else [])
