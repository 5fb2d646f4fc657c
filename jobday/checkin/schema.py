"""The check-in API's messages, defined once.

Requests are decoded and checked against these types by msgspec (in C: faster than reading
the JSON and checking each field by hand), and the OpenAPI document (``openapi.py``) is
generated from the same types: the result codes, the nonce pattern and the limits are written
here and nowhere else. A refused request names the first field at fault, in the reader's
language (``ApiError`` 400 ``invalid_input`` with ``field``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Literal

import msgspec
from flask_babel import lazy_gettext as _l

from jobday.badges.models import BadgeRole
from jobday.checkin.devices import GATE_PATTERN
from jobday.checkin.models import RESULTS, ScanMode

NONCE_PATTERN = r"^[A-Za-z0-9_.:-]{8,64}$"
CODE_MAX = 200
MAX_SYNC_SCANS = 500
ROLES = ("", *BadgeRole.codes())  # the vocabularies' codes: what the database holds is what is documented

Result = Literal[RESULTS]  # type: ignore[valid-type]  # the tuple of codes, in the models
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=CODE_MAX, pattern=r"\S",
                                   description="As read or typed; normalised. Not blank.")]
Nonce = Annotated[str, msgspec.Meta(pattern=NONCE_PATTERN, description=(
    "Unique per scan attempt; a retried nonce returns the recorded answer."))]
# The gate is checked by ``devices.check_gate`` (its own refusal, ``invalid_gate``); the
# document shows its pattern.
Gate = Annotated[str, msgspec.Meta(
    extra_json_schema={"pattern": GATE_PATTERN.pattern},
    description="Required with a staff session; a device's own gate is used otherwise "
                "(a gate it sends must still be well formed).")]
DateTime = Annotated[str, msgspec.Meta(extra_json_schema={"format": "date-time"})]


class Scan(msgspec.Struct):
    code: Code
    nonce: Nonce
    gate: Gate | msgspec.UnsetType = msgspec.UNSET
    mode: Literal[ScanMode.codes()] = ScanMode.ENTRY.value  # type: ignore[valid-type]
    force: Annotated[bool, msgspec.Meta(description="Organisers only.")] = False


class OfflineScan(Scan, kw_only=True):
    # Parsed and bounded (not in the future) by the view; its form is all the type says.
    client_time: Annotated[DateTime, msgspec.Meta(max_length=40)]
    local_result: Annotated[str, msgspec.Meta(
        extra_json_schema={"enum": list(RESULTS)}, description="What the offline page answered.")] | None = None


class SyncBatch(msgspec.Struct):
    """Each scan is decoded on its own (a wrong one gets an error entry, the others are kept)."""

    scans: Annotated[list[msgspec.Raw], msgspec.Meta(max_length=MAX_SYNC_SCANS)]


class Interview(msgspec.Struct):
    at: DateTime
    company: str
    stand: str


class FirstEntry(msgspec.Struct):
    at: DateTime
    gate: str


class Answer(msgspec.Struct, forbid_unknown_fields=True):
    result: Result
    message: Annotated[str, msgspec.Meta(description="The result in the reader's language.")]
    name: Annotated[str, msgspec.Meta(description="Display name (empty for unknown codes).")]
    role: Literal[ROLES]  # type: ignore[valid-type]
    company: str
    interviews: Annotated[list[Interview], msgspec.Meta(description="Today's interviews of a candidate.")]
    first_entry: Annotated[FirstEntry | None, msgspec.Meta(
        description="For already_inside: when and where the person came in.")]
    forced: bool
    forced_reason: Annotated[str, msgspec.Meta(description=(
        "For a forced entry: the result it overrode (empty otherwise, and in a replayed answer)."))] = ""
    revoked_at: Annotated[DateTime | None, msgspec.Meta(
        description="For a revoked badge: when it was revoked.")] = None
    replaced: Annotated[bool, msgspec.Meta(
        description="For a revoked badge: whether a new badge replaced it.")] = False


class SyncedScan(Answer, forbid_unknown_fields=True, kw_only=True):
    nonce: str


class SyncError(msgspec.Struct, forbid_unknown_fields=True):
    nonce: str | None
    error: Annotated[str, msgspec.Meta(description=(
        "Why this scan was not recorded (invalid_input, invalid_gate, ...); the others still are."))]


class Error(msgspec.Struct):
    error: str
    message: str
    field: str | msgspec.UnsetType = msgspec.UNSET



_AT_FIELD = re.compile(r"at `\$\.([A-Za-z_]+)")
_MISSING_FIELD = re.compile(r"missing required field `([A-Za-z_]+)`")


def faulty_field(error: msgspec.ValidationError) -> str:
    """The request field an error of msgspec names ("body" when the whole body is wrong)."""
    text = str(error)
    found = _AT_FIELD.search(text) or _MISSING_FIELD.search(text)
    return found.group(1) if found else "body"


def field_message(field: str):
    if field == "body":
        return _l("Send a JSON object.")
    return _l("%(field)s is missing or not valid.", field=field)


_decoders: dict[type, msgspec.json.Decoder] = {}
_encoder = msgspec.json.Encoder()


def decode(data: bytes, kind: type):
    """``data`` as a ``kind``; raises ``msgspec.ValidationError`` or ``msgspec.DecodeError``."""
    decoder = _decoders.get(kind)
    if decoder is None:
        decoder = _decoders[kind] = msgspec.json.Decoder(kind)
    return decoder.decode(data)


def encode(message) -> bytes:
    return _encoder.encode(message)


@cache
def components() -> dict[str, dict]:
    """The JSON schemas of the messages, named as the document refers to them."""
    _schemas, found = msgspec.json.schema_components(
        [Scan, OfflineScan, Answer, SyncedScan, SyncError, Error],
        ref_template="#/components/schemas/{name}")
    return found
