"""The e-mails the bench server wrote: without an SMTP server the application writes each
message it sends as an ``.eml`` file in its outbox folder (``jobday.mail.services``).
Simulated people wait here for their message and open the link in it, as they would from
their mailbox."""

from __future__ import annotations

import re
import threading
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from tests.bench.loadgen import JourneyFailed


class Outbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._sizes: dict[str, int] = {}
        self._by_recipient: dict[str, dict[str, EmailMessage]] = {}
        self._last_scan = 0.0

    def _scan(self) -> None:
        """Read the files that appeared (or grew: a file may be read while it is written) since
        the last look; one reader at a time, at most ten looks a second."""
        with self._lock:
            if time.monotonic() - self._last_scan < 0.1 or not self.folder.is_dir():
                return
            self._last_scan = time.monotonic()
            for path in self.folder.glob("*.eml"):
                try:
                    size = path.stat().st_size
                    if self._sizes.get(path.name) == size:
                        continue
                    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
                except OSError:
                    continue
                self._sizes[path.name] = size
                if message["To"] is not None:
                    self._by_recipient.setdefault(str(message["To"]).lower(), {})[path.name] = message

    def messages(self, recipient: str) -> list[EmailMessage]:
        self._scan()
        with self._lock:
            return list(self._by_recipient.get(recipient.lower(), {}).values())

    def wait_for_link(self, recipient: str, pattern: str, *, timeout: float = 30) -> str:
        """The path of the first link matching ``pattern`` in a message to ``recipient``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages(recipient):
                match = re.search(r"https?://[^/\s]+(" + pattern + r")", _text(message))
                if match:
                    return match.group(1)
            time.sleep(0.2)
        raise JourneyFailed(f"no e-mail with a link {pattern} for {recipient} within {timeout:.0f} s")


def _text(message: EmailMessage) -> str:
    try:
        body = message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""
    except (KeyError, LookupError, ValueError):  # a file read while it was being written
        return ""
