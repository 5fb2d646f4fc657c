"""A small load generator for the scenario benches: simulated people over real HTTP.

``Browser`` is one person: an ``http.client`` connection kept alive when the server allows
it (gunicorn's sync workers close it after each answer; it is then reopened), a cookie jar,
and forms read from the pages it gets (hidden CSRF token included) and posted back as a
browser would. Every request is timed into a shared ``Recorder`` under a kind ("sign-up
POST", "book POST", ...) as expected, an error (a status the journey did not expect) or no
answer (timeout); ``Recorder.table()`` prints requests, throughput and p50/p99 per kind.
``run_at()`` starts each journey in its own thread at its planned second (an open loop: a
slow server does not slow the arrivals down).
"""

from __future__ import annotations

import http.client
import math
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

USER_AGENT = "Mozilla/5.0 (jobday-bench)"
GRACE_SECONDS = 10  # a request sent before the time bound waits at most this long after it


# --- measuring ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    status: int  # 0: no answer
    seconds: float
    outcome: str  # "expected", "error" (an answer the journey did not expect) or "timeout" (no answer)
    detail: str = ""


def percentile(values: Iterable[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of ``values``; 0.0 for none."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


class Recorder:
    """Every request of a scenario; the journeys that failed, and those that stopped early."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.samples: list[Sample] = []
        self.failures: list[str] = []  # journeys stopped by an unexpected answer (or a generator bug)
        self.stopped: dict[str, int] = {}  # journeys stopped by the time bound or a request left unanswered
        self.started = time.perf_counter()
        self.finished: float | None = None

    def add(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)

    def fail(self, description: str) -> None:
        with self._lock:
            self.failures.append(description)

    def stop_journey(self, reason: str) -> None:
        with self._lock:
            self.stopped[reason] = self.stopped.get(reason, 0) + 1

    def stop(self) -> None:
        self.finished = time.perf_counter()

    @property
    def wall(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    def errors(self) -> list[Sample]:
        return [sample for sample in self.samples if sample.outcome == "error"]

    def count(self, kind: str, *, outcome: str | None = None) -> int:
        return sum(1 for s in self.samples if s.kind == kind and outcome in (None, s.outcome))

    def table(self, title: str) -> str:
        kinds: dict[str, list[Sample]] = {}
        for sample in self.samples:
            kinds.setdefault(sample.kind, []).append(sample)
        lines = [f"--- {title}",
                 f"    {'request':<22}{'count':>7}{'/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}{'errors':>7}"
                 f"{'no answer':>10}  statuses"]
        for kind, samples in [*kinds.items(), ("all requests", self.samples)]:
            seconds = [s.seconds for s in samples]
            statuses: dict[int, int] = {}
            for s in samples:
                statuses[s.status] = statuses.get(s.status, 0) + 1
            lines.append(
                f"    {kind:<22}{len(samples):>7}{len(samples) / self.wall:>7.1f}"
                f"{percentile(seconds, 0.5) * 1000:>8.0f}{percentile(seconds, 0.99) * 1000:>8.0f}"
                f"{max(seconds, default=0) * 1000:>8.0f}{sum(s.outcome == 'error' for s in samples):>7}"
                f"{sum(s.outcome == 'timeout' for s in samples):>10}  "
                + (" ".join(f"{status}×{n}" for status, n in sorted(statuses.items()))
                   if kind != "all requests" else f"over {self.wall:.1f} s"))
        return "\n".join(lines)


class JourneyFailed(Exception):
    """An unexpected answer: the simulated person cannot go on."""


class Stopped(JourneyFailed):
    """The person stops early for a reason that is speed, not a wrong answer."""

    reason = ""


class OutOfTime(Stopped):
    reason = "the scenario's time bound passed"


class NoAnswer(Stopped):
    reason = "a request had no answer within the timeout"


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def check(self) -> None:
        if self.left() <= 0:
            raise OutOfTime()


# --- pages and forms ----------------------------------------------------------------------


class _FormParser(HTMLParser):
    """The post forms of a page: their action and the fields a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[list[str]]]] = []
        self._fields: list[list[str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = []
            self.forms.append((a.get("action", ""), self._fields))
        elif self._fields is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            self._fields.append([a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")])
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
            self._fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._fields is not None:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _ in self._options[:1]]
            self._fields.extend([self._select, value] for value in chosen)
            self._select = None


@dataclass
class Page:
    status: int
    body: str
    location: str = ""
    path: str = ""

    @cached_property
    def forms(self) -> list[tuple[str, list[list[str]]]]:
        """(action, fields) of each post form, read once."""
        parser = _FormParser()
        parser.feed(self.body)
        return parser.forms

    def form(self, action: str | re.Pattern) -> Form:
        """The post form whose action is ``action`` (a path, or a pattern it matches)."""
        for found, fields in self.forms:
            path = urlsplit(found).path or urlsplit(self.path).path
            if (path == action) if isinstance(action, str) else action.fullmatch(path):
                return Form(found or self.path, [list(pair) for pair in fields])
        raise JourneyFailed(f"no form {action} on {self.path}")

    def code(self) -> str:
        """The machine code of a refusal page (``data-code="slot_taken"``), or ''."""
        match = re.search(r'data-code="([a-z_]+)"', self.body)
        return match.group(1) if match else ""


@dataclass
class Form:
    action: str
    fields: list[list[str]] = field(default_factory=list)

    def set(self, name: str, *values: str) -> Form:
        """Replace the values of ``name`` (several for a multiple choice; none to clear it)."""
        self.fields = [pair for pair in self.fields if pair[0] != name] + [[name, str(v)] for v in values]
        return self

    def value(self, name: str) -> str:
        return next((value for key, value in self.fields if key == name), "")

    def names(self) -> list[str]:
        return [name for name, _ in self.fields]

    def encoded(self) -> str:
        return urlencode([(name, value) for name, value in self.fields])


# --- the simulated person -------------------------------------------------------------------


class Browser:
    """One person's browser: one connection kept alive (reopened when the server closes it),
    the cookies the server set, and the expectation of each answer."""

    def __init__(self, port: int, recorder: Recorder, *, deadline: Deadline | None = None,
                 language: str = "en", timeout: float = 60) -> None:
        self.port, self.recorder, self.deadline, self.timeout = port, recorder, deadline, timeout
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.language = language

    def close(self) -> None:
        self.connection.close()

    def request(self, method: str, path: str, kind: str, *, body: str | None = None,
                headers: dict | None = None, expect: Iterable[int] = (200,)) -> Page:
        timeout = self.timeout
        if self.deadline is not None:
            self.deadline.check()
            timeout = max(1.0, min(timeout, self.deadline.left() + GRACE_SECONDS))
        self.connection.timeout = timeout  # for the next connection; and for this one if it is open:
        if self.connection.sock is not None:
            self.connection.sock.settimeout(timeout)
        sent = {"User-Agent": USER_AGENT, "Accept-Language": self.language, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        try:
            status, reply_headers, data = self._send(method, path, body, sent)
        except TimeoutError as error:
            self.connection.close()
            self.recorder.add(Sample(kind, 0, time.perf_counter() - started, "timeout", f"{method} {path}"))
            raise NoAnswer() from error
        except OSError as error:
            self.recorder.add(Sample(kind, 0, time.perf_counter() - started, "error", f"{method} {path}: {error!r}"))
            raise JourneyFailed(f"{method} {path}: {error!r}") from error
        seconds = time.perf_counter() - started
        self._remember_cookies(reply_headers)
        page = Page(status, data.decode("utf-8", errors="replace"), _local(reply_headers.get("Location", "")), path)
        expected = status in tuple(expect)
        self.recorder.add(Sample(kind, status, seconds, "expected" if expected else "error", f"{method} {path}"))
        if not expected:
            raise JourneyFailed(f"{method} {path} answered {status} (expected {tuple(expect)}); "
                                f"{page.code() or page.body[:200]!r}")
        return page

    def _send(self, method: str, path: str, body: str | None, headers: dict):
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                return response.status, response.headers, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle kept-alive connection: a browser opens a new one and
                # sends a GET again. A POST is not sent twice: a lost answer is an error here.
                self.connection.close()
                if attempt == 2 or method != "GET":
                    raise
        raise AssertionError("unreachable")

    def _remember_cookies(self, headers) -> None:
        for header in headers.get_all("Set-Cookie") or ():
            pair, *attributes = header.split(";")
            name, _, value = pair.strip().partition("=")
            gone = any(a.strip().lower() in ("max-age=0", "expires=thu, 01 jan 1970 00:00:00 gmt")
                       for a in attributes)
            if gone or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, path: str, kind: str, *, expect: Iterable[int] = (200,)) -> Page:
        return self.request("GET", path, kind, expect=expect)

    def submit(self, form: Form, kind: str, *, expect: Iterable[int] = (302, 303)) -> Page:
        return self.request("POST", form.action, kind, body=form.encoded(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"}, expect=expect)

    def post_json(self, path: str, payload: str, kind: str, *, headers: dict | None = None,
                  expect: Iterable[int] = (200,)) -> Page:
        return self.request("POST", path, kind, body=payload,
                            headers={"Content-Type": "application/json", **(headers or {})}, expect=expect)


def _local(location: str) -> str:
    """A redirect's path and query, whatever host it names."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- running journeys -----------------------------------------------------------------------


def run_at(plan: list[tuple[float, Callable[[], None]]], recorder: Recorder, *, label: str = "journey") -> None:
    """Start each journey in its own thread ``offset`` seconds from now; wait for all.

    A journey that raises is recorded as a failure (with its reason), or as stopped when the
    time bound or a request left unanswered stopped it; it never stops the others."""
    start = time.perf_counter()

    def runner(n: int, offset: float, journey: Callable[[], None]) -> None:
        delay = start + offset - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            journey()
        except Stopped as stopped:
            recorder.stop_journey(stopped.reason)
        except JourneyFailed as error:
            recorder.fail(f"{label} {n}: {error}")
        except Exception:  # noqa: BLE001 - a bug in the generator must show, not hang the bench
            recorder.fail(f"{label} {n}: {traceback.format_exc(limit=3)}")

    threads = [threading.Thread(target=runner, args=(n, offset, journey), daemon=True)
               for n, (offset, journey) in enumerate(plan)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
