"""The fair scheduler's input and output: plain, immutable dataclasses.

Times are whole minutes from any fixed origin the caller chooses (for example the first
midnight of the edition in UTC); the scheduler only compares and subtracts them. Ids are
whatever the caller uses (database ids or strings); they must be hashable, and slot ids are
unique across the whole problem.

Vocabulary:

* an *interview* is one candidate in one slot of one table of one company;
* an *existing* interview was booked before the scheduler runs (open booking, apply and
  accept, an earlier publication): it is fixed, and the scheduler never returns it;
* a *locked* assignment is an interview the organiser pinned in an earlier preview: it is
  fixed, and the scheduler returns it (``Assignment.locked``) so a preview shows it;
* a *taken* slot is unavailable to the scheduler (booked by someone, blocked by the
  recruiter);
* a *wish* is a candidate's ranked request to meet a company; it is *met* when the
  schedule (existing interviews included) has an interview of that candidate with that
  company;
* a *suggestion* is a wish the candidate did not make (``Wish.suggested``: the organiser's
  matching, for candidates without wishes): it weighs less than any real wish and counts
  neither towards coverage nor in the wish figures.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

Id = Hashable
"""Any hashable id (an ``int`` from the database, a ``str`` in tests)."""

LONG_WAIT_MINUTES = 60


class ProblemError(ValueError):
    """The input breaks its own rules (unknown ids, a slot locked twice, two existing
    interviews of one candidate that overlap, ...). ``issues`` lists every finding, in
    words an organiser can act on."""

    def __init__(self, issues: list[str]) -> None:
        more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
        super().__init__("; ".join(issues[:5]) + more)
        self.issues = issues


# --- input ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One interview slot of a table: ``start`` inclusive, ``end`` exclusive, in minutes."""

    id: Id
    start: int
    end: int


@dataclass(frozen=True)
class Table:
    """A table of a company and its slots (in any order)."""

    id: Id
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Company:
    """A company taking part in the scheduler.

    ``max_per_candidate`` overrides ``Settings.max_per_company`` for this company (a
    company that allows a second interview with the same candidate)."""

    id: Id
    tables: tuple[Table, ...]
    max_per_candidate: int | None = None


@dataclass(frozen=True)
class ExistingInterview:
    """An interview the candidate already has, at ``company_id`` from ``start`` to ``end``.

    ``slot_id`` names the slot when it is one of the problem's slots (the slot is then
    unavailable to everyone else); ``None`` for an interview outside the problem (a company
    that does not take part in the wish window, for example)."""

    company_id: Id
    start: int
    end: int
    slot_id: Id | None = None


@dataclass(frozen=True)
class Candidate:
    """A candidate and their availability.

    ``windows`` are (start, end) minute ranges the candidate is present; a slot fits when it
    lies wholly inside one of them (``None``: present all day). ``allowed_slots``, when set,
    further limits the candidate to those slot ids. ``cap`` is a personal cap on the number
    of interviews (existing ones included), on top of the edition's cap."""

    id: Id
    windows: tuple[tuple[int, int], ...] | None = None
    allowed_slots: frozenset[Id] | None = None
    existing: tuple[ExistingInterview, ...] = ()
    cap: int | None = None


@dataclass(frozen=True)
class Wish:
    """``candidate_id`` wants to meet ``company_id``; ``rank`` 1 is the first choice.
    ``shortlisted`` when the company shortlisted that candidate. ``suggested``: not the
    candidate's wish but a suggestion (see the module docstring); its ``rank`` orders the
    candidate's suggestions, 1 the best."""

    candidate_id: Id
    company_id: Id
    rank: int
    shortlisted: bool = False
    suggested: bool = False


@dataclass(frozen=True)
class Lock:
    """An organiser-locked interview: ``candidate_id`` keeps ``slot_id``."""

    candidate_id: Id
    slot_id: Id


@dataclass(frozen=True)
class Settings:
    """The edition's rules and the objective's parameters.

    * ``gap_minutes``: the least free time between two interviews of a candidate (they never
      overlap, whatever the gap);
    * ``max_per_company``: interviews of one candidate with one company (the scheduler
      itself creates at most one per wish; the limit also counts existing interviews);
    * ``max_per_candidate``: the edition's cap on a candidate's interviews, existing ones
      included (``None``: no cap beyond the candidate's own);
    * ``max_rank``: k in the wish weight ``(k + 1 - rank) * factor``; ``None`` takes the
      largest rank among the wishes;
    * ``shortlist_factor``: the factor for a wish whose company shortlisted the candidate;
    * ``long_wait_minutes``: a wait between two consecutive interviews of a candidate longer
      than this counts as a long wait (the third level of the objective).
    """

    gap_minutes: int = 0
    max_per_company: int = 1
    max_per_candidate: int | None = None
    max_rank: int | None = None
    shortlist_factor: int = 2
    long_wait_minutes: int = LONG_WAIT_MINUTES


@dataclass(frozen=True)
class Problem:
    """Everything the scheduler needs; see the module docstring for the vocabulary."""

    candidates: tuple[Candidate, ...]
    companies: tuple[Company, ...]
    wishes: tuple[Wish, ...]
    settings: Settings = field(default_factory=Settings)
    locked: tuple[Lock, ...] = ()
    taken_slots: frozenset[Id] = frozenset()

    def max_rank(self) -> int:
        if self.settings.max_rank is not None:
            return self.settings.max_rank
        return max((wish.rank for wish in self.wishes if not wish.suggested), default=1)

    @cached_property
    def _suggestion_ranks(self) -> tuple[int, int]:
        """(largest rank, total objective weight) of the suggestions, computed once."""
        ranks = [wish.rank for wish in self.wishes if wish.suggested]
        top = max(ranks, default=0)
        return top, sum(top + 1 - rank for rank in ranks)

    def max_suggestion_rank(self) -> int:
        """The largest rank among the suggestions (0 without any)."""
        return self._suggestion_ranks[0]

    def wish_weight(self, wish: Wish) -> int:
        """The weight of meeting a wish: ``(k + 1 - rank) * (shortlist_factor if shortlisted
        else 1)``, k = ``max_rank()``. With k = 8: a first wish weighs 8, an eighth 1, a
        shortlisted first wish 16. A suggestion weighs nothing here (the figures count real
        wishes only); see ``objective_weight``."""
        if wish.suggested:
            return 0
        factor = self.settings.shortlist_factor if wish.shortlisted else 1
        return (self.max_rank() + 1 - wish.rank) * factor

    def weight_scale(self) -> int:
        """What real wishes' weights are multiplied by in the objective: one more than all
        the suggestions weigh together (1 without suggestions). So one point of real wishes
        outweighs every suggestion at once: the wishes come first, lexicographically, and
        ``objective // weight_scale()`` is the real wishes' weight (of a schedule or of a
        bound)."""
        return self._suggestion_ranks[1] + 1

    def objective_weight(self, wish: Wish) -> int:
        """The weight the algorithms maximise (level 2 of the objective): a real wish's
        ``wish_weight`` times ``weight_scale()``, a suggestion ``m + 1 - rank`` (m =
        ``max_suggestion_rank()``); without suggestions this is ``wish_weight``."""
        if wish.suggested:
            return self.max_suggestion_rank() + 1 - wish.rank
        return self.wish_weight(wish) * self.weight_scale()


# --- output -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """An interview in the schedule. ``locked`` for the organiser's locked assignments,
    which the schedule repeats; new ones have ``locked=False``."""

    candidate_id: Id
    company_id: Id
    table_id: Id
    slot_id: Id
    start: int
    end: int
    locked: bool = False


@dataclass(frozen=True)
class CompanyFill:
    """``slots``: all the company's slots; ``open``: those the scheduler could use (neither
    taken nor held by an existing interview or a lock); ``booked``: slots with an interview
    after the schedule (existing, locked and new)."""

    slots: int
    open: int
    booked: int

    @property
    def rate(self) -> float:
        return self.booked / self.slots if self.slots else 0.0


@dataclass(frozen=True)
class Bound:
    """Upper bounds of the first two levels: no schedule covers more than ``coverage``
    candidates, and none that covers ``coverage`` candidates reaches more than ``weight``.
    ``source`` is "flow" (the flow relaxation), "flow+cuts" (the flow tightened by gap cuts:
    sets of companies a candidate's day cannot hold together) or "cp-sat" (the exact model
    on the whole problem: its proven optimum, or the bound CP-SAT reached before the time
    limit, when either is below the flow's)."""

    coverage: int
    weight: int
    source: str = "flow"


@dataclass(frozen=True)
class Proven:
    """Which levels of the objective are proven optimal. Level 2 is only proven together
    with level 1; level 3 (compactness) is proven when there is no long wait at all."""

    coverage: bool = False
    weight: bool = False
    compactness: bool = False


@dataclass(frozen=True)
class Stats:
    """The figures of one schedule, existing and locked interviews included.

    * ``coverage``: candidates with at least one wish who have at least one interview, out
      of ``candidates_with_wishes``;
    * ``wishes_met`` out of ``wishes``; ``weight``: the total weight of the wishes met;
    * ``interviews``: all interviews (existing, locked, new); ``new_interviews``: the
      scheduler's own; ``suggestions_met``: the interviews (locked or new) that meet a
      suggestion rather than a wish;
    * ``long_waits``: waits longer than ``Settings.long_wait_minutes`` between two
      consecutive interviews of a candidate; ``idle_minutes``: waiting time beyond the gap;
    * ``bound``, ``proven``: see ``Bound`` and ``Proven``; ``proven_optimal`` is levels 1
      and 2 together; ``bound`` is ``None`` for the greedy method alone, and when the time
      limit ran out before the flow;
    * ``seconds``: wall time of the method, checking the input included; ``method``:
      "greedy" or "optimiser".
    """

    method: str
    candidates_with_wishes: int
    coverage: int
    wishes: int
    wishes_met: int
    weight: int
    interviews: int
    new_interviews: int
    long_waits: int
    idle_minutes: int
    company_fill: Mapping[Id, CompanyFill]
    bound: Bound | None = None
    proven: Proven = field(default_factory=Proven)
    seconds: float = 0.0
    suggestions_met: int = 0

    @property
    def proven_optimal(self) -> bool:
        return self.proven.coverage and self.proven.weight

    def key(self) -> tuple[int, int, int]:
        """The lexicographic objective as a tuple to maximise."""
        return (self.coverage, self.weight, -self.long_waits)


@dataclass(frozen=True)
class Schedule:
    """The scheduler's answer: the locked and new ``assignments`` (existing interviews are
    not repeated), their ``stats``, the greedy ``baseline``'s stats (``None`` when it was not
    run), the baseline's own assignments, the seconds spent per phase, and whether the
    time limit stopped the search before the bound was reached (``timed_out``)."""

    assignments: tuple[Assignment, ...]
    stats: Stats
    baseline: Stats | None = None
    baseline_assignments: tuple[Assignment, ...] = ()
    phases: Mapping[str, float] = field(default_factory=dict)
    timed_out: bool = False
