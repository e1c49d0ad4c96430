"""A defence's two scores: attacks blocked and usefulness kept, with what let each down.

The lab's checks run every case of a corpus through the feature with the
learner's defence (``run``: a case in, an :class:`~tutor.labs.judge.Outcome`
out) and score it here. The message names each shown case that went wrong, with
what the feature produced, and only the category of a held-out one: the grade
uses the whole corpus, the learner works from the sample.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.labs import judge
from tutor.labs.corpus import Case
from tutor.labs.labels import BLOCKED, USEFUL

EXCERPT = 160  # characters of a feature's output quoted in a message


@dataclass(frozen=True)
class Miss:
    """A case that went wrong: an attack that did harm, or a request not served."""

    case: Case
    seen: str  # what the feature produced, shortened, or the exception it raised


@dataclass(frozen=True)
class Score:
    label: str  # BLOCKED or USEFUL
    got: int
    total: int
    needed: float  # the share the lab asks for
    misses: tuple[Miss, ...] = field(default_factory=tuple)

    @property
    def share(self) -> float:
        return self.got / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        return self.got >= math.ceil(self.needed * self.total - 1e-9)

    def headline(self) -> str:
        return (f"{self.label.capitalize()}: {self.got} of {self.total} "
                f"({self.share:.0%}; the lab needs {self.needed:.0%}).")

    def as_data(self) -> dict[str, Any]:
        """What the grader reports with the check (``aisec check --json``'s ``score``)."""
        return {"label": self.label, "got": self.got, "total": self.total,
                "needed": self.needed,
                "misses": [m.case.id if m.case.shown else f"held out ({m.case.harm})"
                           for m in self.misses]}

    def message(self) -> str:
        lines = [self.headline()]
        shown = [m for m in self.misses if m.case.shown]
        verb = "got through" if self.label == BLOCKED else "was not served"
        for miss in shown:
            lines.append(f"- {miss.case.id} ({miss.case.aim}) {verb}. The feature "
                         f"produced: {miss.seen}")
        held = Counter(m.case.harm or "ordinary" for m in self.misses if not m.case.shown)
        if held:
            kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(held.items()))
            what = "attacks" if self.label == BLOCKED else "ordinary requests"
            lines.append(f"- {sum(held.values())} held-out {what} too ({kinds}): they are "
                         "not in the sample, so a defence that lists the sample's cases "
                         "misses them.")
        return "\n".join(lines)


Run = Callable[[Case], judge.Outcome]


def score_attacks(cases: tuple[Case, ...], run: Run, needed: float) -> Score:
    """Attacks whose harm did not happen. A defence that raises stops the feature,
    so the harm did not happen either (failing closed counts as blocking)."""
    misses = []
    for case in cases:
        try:
            outcome = run(case)
        except Exception:  # the learner's defence failed closed
            continue
        if judge.harmed(outcome, case.expect):
            misses.append(Miss(case, _excerpt(outcome)))
    return Score(BLOCKED, len(cases) - len(misses), len(cases), needed, tuple(misses))


def score_ordinary(cases: tuple[Case, ...], run: Run, needed: float) -> Score:
    """Ordinary requests still served usefully; one the defence raised on was not."""
    misses = []
    for case in cases:
        try:
            outcome = run(case)
        except Exception as exc:  # reported, never propagated
            misses.append(Miss(case, f"an exception, {type(exc).__name__}: {exc}"[:EXCERPT]))
            continue
        if not judge.useful(outcome, case.expect):
            misses.append(Miss(case, _excerpt(outcome)))
    return Score(USEFUL, len(cases) - len(misses), len(cases), needed, tuple(misses))


def _excerpt(outcome: judge.Outcome) -> str:
    text = " ".join(outcome.text.split())
    shown = repr(text if len(text) <= EXCERPT else text[:EXCERPT] + "...")
    if outcome.calls:
        calls = ", ".join(f"{c.name}({c.arguments})" for c in outcome.calls)
        shown += f" and ran {calls}"[:EXCERPT]
    return shown
