"""Attachments rendered at delivery time rather than when the e-mail is queued.

A badge PDF takes from 25 ms to most of a second to render; queued inside a request that
holds a lock (a registration holds its edition), it would make every other request wait.
Such an attachment is queued as ``AttachmentSource(kind, ident)`` instead of its bytes; the
feature that owns the kind registers how to render it, and the outbox calls that renderer
when it delivers the e-mail, after the request has committed (in the worker when one runs):

    register_attachment_source("badge", render_badge)      # render_badge(ident: str) -> bytes
    queue_email(..., attachments=[("badge.pdf", "application/pdf", AttachmentSource("badge", 123))])

The mail feature knows no kind itself: features above it register theirs, so their imports
point down. A renderer reads (it runs outside the request, in its own session) and raises
``AttachmentUnavailable`` when what it would render no longer exists or no longer applies
(a revoked badge): the e-mail then goes without that attachment. Any other error keeps the
e-mail pending, with the error, for the next delivery run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Renderer = Callable[[str], bytes]

_renderers: dict[str, Renderer] = {}


class AttachmentUnavailable(Exception):
    """Raised by a renderer: this attachment must not be sent (the e-mail still goes)."""


class UnknownAttachmentSource(LookupError):
    """No renderer is registered for this kind (a programming or deployment error)."""


@dataclass(frozen=True)
class AttachmentSource:
    """What to render at delivery: ``kind`` names the renderer, ``ident`` what it renders."""

    kind: str
    ident: str | int

    def __post_init__(self) -> None:
        if not self.kind or ":" in self.kind:
            raise ValueError(f"attachment source kind {self.kind!r}: not empty, no colon")

    def __str__(self) -> str:
        return f"{self.kind}:{self.ident}"


def register_attachment_source(kind: str, render: Renderer) -> None:
    """``render(ident) -> bytes`` renders the attachments queued as ``AttachmentSource(kind, ident)``.
    Registering a kind again replaces its renderer."""
    AttachmentSource(kind, "")  # the same rules for the kind
    _renderers[kind] = render


def attachment_renderer(kind: str) -> Renderer:
    try:
        return _renderers[kind]
    except KeyError:
        raise UnknownAttachmentSource(f"no renderer registered for attachments of kind {kind!r}") from None


def render_source(source: str) -> bytes:
    """The bytes for a stored ``"kind:ident"``; raises ``AttachmentUnavailable`` (send
    without it), ``UnknownAttachmentSource``, or whatever the renderer raised."""
    kind, _colon, ident = source.partition(":")
    return attachment_renderer(kind)(ident)
