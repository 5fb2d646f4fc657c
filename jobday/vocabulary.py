"""Coded values and their words: every status and code a person may read is a member of a
``Vocabulary`` (a ``StrEnum``) with a translatable label, defined once, in its feature.

The code is what is stored and sent (``"pending"``); the label is what people read
("En attente"); ``tone`` colours a status pill (ok, warn, bad, muted). A column declared with
``VocabularyType`` reads its values back as members, so ``booking.status.label`` works in
templates, and ``check_constraint`` writes the database CHECK from the same members.

The job areas, contract types, education levels, languages and regions live here because
candidates' profiles and companies' offers share them.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ScalarSelect, String, event, func, literal_column, select, type_coerce
from sqlalchemy.types import TypeDecorator

TONES = ("ok", "warn", "bad", "muted")
REGISTRY: dict[str, type[Vocabulary]] = {}


class Vocabulary(StrEnum):
    """Members are declared as ``CODE = "code", _l("Label")`` or ``... , _l("Label"), "tone"``."""

    def __new__(cls, value: str, label: Any = None, tone: str = "muted"):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label if label is not None else value
        member._tone = tone
        return member

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        REGISTRY[cls.__name__] = cls

    @property
    def label(self) -> str:
        return str(self._label)

    @property
    def lazy_label(self):
        """The label translated when it is shown (for form fields defined at import)."""
        return self._label

    @property
    def tone(self) -> str:
        return self._tone

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls, blank: Any = None) -> list[tuple[str, Any]]:
        """(code, lazy label) pairs for a select field, after an optional blank choice."""
        pairs = [(member.value, member._label) for member in cls]
        return [("", blank), *pairs] if blank is not None else pairs

    @classmethod
    def get(cls, code) -> Vocabulary | None:
        """The member for a code, or None for anything else (None, an unknown code, not a string)."""
        return cls._value2member_map_.get(code) if isinstance(code, str) else None

    @classmethod
    def label_of(cls, code: str | None) -> str:
        """The label of a code; an empty code (an optional field left blank) gives ""."""
        if not code:
            return ""
        return cls(code).label

    @classmethod
    def sql_in(cls, column: str, *, nullable: bool = False, blank: bool = False) -> str:
        codes = ([""] if blank else []) + list(cls.codes())
        allowed = f"{column} IN ({', '.join(repr(code) for code in codes)})"
        return f"{column} IS NULL OR {allowed}" if nullable else allowed


def check_constraint(vocabulary: type[Vocabulary], column: str, name: str, *, nullable: bool = False,
                     blank: bool = False) -> CheckConstraint:
    """The database's list of allowed codes, written from the vocabulary itself."""
    return CheckConstraint(vocabulary.sql_in(column, nullable=nullable, blank=blank), name=name)


class VocabularyType(TypeDecorator):
    """A string column whose values are read back as members of ``vocabulary``; an empty
    string (an optional field left blank) stays ``""``."""

    impl = String
    cache_ok = True

    def __init__(self, vocabulary: type[Vocabulary], length: int):
        super().__init__(length)
        self.vocabulary = vocabulary

    def process_bind_param(self, value, dialect):
        return None if value is None else str(value)

    def process_result_value(self, value, dialect):
        return coerce(self.vocabulary, value)

    def copy(self, **kw):
        return VocabularyType(self.vocabulary, self.impl.length)


def coerce(vocabulary: type[Vocabulary], value):
    if value is None or value == "" or isinstance(value, vocabulary):
        return value
    return vocabulary(value)  # an unknown code is a programming error: ValueError


def coerce_on_set(base) -> None:
    """Assigning a code to a vocabulary column gives the member at once (before any flush),
    so a page rendered in the same request reads ``.label`` as well."""

    @event.listens_for(base, "mapper_configured", propagate=True)
    def _listen(mapper, class_):
        for prop in mapper.column_attrs:
            column_type = prop.columns[0].type
            if isinstance(column_type, VocabularyType):
                vocabulary = column_type.vocabulary
                event.listen(getattr(class_, prop.key), "set",
                             lambda _target, value, _old, _initiator, v=vocabulary: coerce(v, value),
                             retval=True)


def as_code(column):
    """A vocabulary column read as its plain code, not a member: comparisons need no member (a
    member equals its code), and turning thousands of codes into members was a page's main cost."""
    return type_coerce(column, String)


def codes_of(column, owner) -> ScalarSelect:
    """The codes of a person's or an offer's rows in a table of their choices (``owner``: the
    condition naming whose), as one comma-separated string (codes are words: no comma)."""
    # The separator written in (``literal_column``), not bound: aggregate_strings renders a bound one
    # per execution, which the statements sent straight to the driver (``driver_sql``) cannot take.
    return select(func.aggregate_strings(as_code(column), literal_column("','"))).where(owner).scalar_subquery()


@functools.lru_cache(maxsize=4096)
def split_codes(codes: str | None) -> frozenset[str]:
    """What ``codes_of`` read, as a set; many people made the same choices, so each distinct
    string is split once per process."""
    return frozenset(codes.split(",")) if codes else frozenset()


def label(value, vocabulary: str | None = None) -> str:
    """The ``label`` filter: ``{{ booking.status|label }}``, or ``{{ code|label('JobArea') }}``
    for a code held as a plain string."""
    if value is None or value == "":
        return ""
    if isinstance(value, Vocabulary):
        return value.label
    if vocabulary is None:
        raise TypeError(f"no vocabulary given for the code {value!r}")
    return REGISTRY[vocabulary](value).label


class JobArea(Vocabulary):
    PRODUCTION = "production", _l("Production")
    QUALITY_CONTROL = "quality_control", _l("Quality control")
    QUALITY_ASSURANCE = "quality_assurance", _l("Quality assurance")
    RND = "rnd", _l("R&D")
    MAINTENANCE = "maintenance", _l("Maintenance")
    ENGINEERING = "engineering", _l("Engineering")
    REGULATORY = "regulatory", _l("Regulatory affairs")
    LOGISTICS = "logistics", _l("Logistics")
    OTHER = "other", _l("Other")


class ContractType(Vocabulary):
    PERMANENT = "permanent", _l("Permanent contract")
    FIXED_TERM = "fixed_term", _l("Fixed-term contract")
    INTERNSHIP = "internship", _l("Internship")
    STUDENT_JOB = "student_job", _l("Student job")


class EducationLevel(Vocabulary):
    CESS = "cess", _l("Secondary school (CESS)")
    BACHELOR = "bachelor", _l("Bachelor")
    MASTER = "master", _l("Master")
    PHD = "phd", _l("PhD")
    OTHER = "other", _l("Other")


class Language(Vocabulary):
    FR = "fr", _l("French")
    NL = "nl", _l("Dutch")
    EN = "en", _l("English")
    DE = "de", _l("German")


class Region(Vocabulary):
    WALLONIA = "wallonia", _l("Wallonia")
    BRUSSELS = "brussels", _l("Brussels")
    FLANDERS = "flanders", _l("Flanders")
    ABROAD = "abroad", _l("Outside Belgium")
