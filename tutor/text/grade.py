"""What a learner is shown about one grading, decided once for every front end.

:func:`grade_view` turns a :class:`~tutor.grader.result.GradeResult` into a
:class:`GradeView`: the summary line and its tone, the message about the run as
a whole, each check with the message worth showing, and the learner's output cut
to :data:`OUTPUT_LINES`. The CLI (:func:`tutor.text.terminal.grade_report`) and
the TUI (:class:`tutor.tui.widgets.check_list.CheckList`) only style it.

Every string here may quote the learner's code or its output; the front ends make
it safe (:func:`tutor.text.safe.safe_text`) as they style it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tutor.errors import Remedy, with_remedy
from tutor.grader.result import CheckResult, GradeResult

OUTPUT_LINES = 40
OUTPUT_WIDTH = 200  # characters of one output line; a 500-character line floods a terminal
# Characters shown in all: 40 lines of 80. Forty lines cut to 200 characters still fill
# three screens of an 80-column terminal; short lines are never held back by it.
OUTPUT_CHARS = OUTPUT_LINES * 80
OPTIONAL_NOTE = "(optional: needs a local model)"


@dataclass(frozen=True)
class CheckLine:
    outcome: str  # "passed" | "failed" | "error" | "skipped"
    title: str
    optional: bool
    message: str  # "" when there is nothing to add to the title


@dataclass(frozen=True)
class ScoreLine:
    """One of a defence lab's two scores, as a row of its own above the checks."""

    label: str  # "Attacks blocked" or "Usefulness kept"
    got: int
    total: int
    needed: float
    passed: bool

    @property
    def share(self) -> float:
        return self.got / self.total if self.total else 0.0

    def figures(self) -> str:
        return f"{self.got}/{self.total} {self.share:>4.0%}  needs {self.needed:.0%}"

    def bar(self, width: int = 20) -> tuple[str, str]:
        """(the filled part, the rest) of a bar ``width`` cells long."""
        filled = round(self.share * width)
        return "█" * filled, "░" * (width - filled)


@dataclass(frozen=True)
class GradeView:
    summary: str
    tone: str  # "success" | "error" | "plain"
    overall: str  # what happened to the run as a whole; "" if nothing
    checks: tuple[CheckLine, ...]
    output: tuple[str, ...]  # the first lines printed, each cut (see _shown_output)
    output_more: int  # how many lines were left out
    scores: tuple[ScoreLine, ...] = ()  # a defence lab's scores, in check order


def _summary(result: GradeResult) -> tuple[str, str]:
    passed, total = result.counts()
    if result.passed:
        return ("1 check, passed." if total == 1 else f"All {total} checks passed."), "success"
    if result.status == "timeout":
        return f"Timed out — {count_line(passed, total, 'not passed')}", "error"
    return count_line(passed, total, "failing"), "plain"


def count_line(passed: int, total: int, rest: str = "failing") -> str:
    """"3 checks: 2 passed, 1 failing." — how many checks there are, then how they went.

    Not "1 of 3 checks passed" nor "1 check run": both read as if only some checks ran.
    """
    if total == 1:
        return f"1 check, {'passed' if passed else rest}."
    return f"{total} checks: {passed} passed, {total - passed} {rest}."


def _message(outcome: str, ran: bool, message: str) -> str:
    # A check that did not run has nothing of its own to say: the overall message says why.
    return message if outcome != "passed" and ran else ""


def _check_message(check: CheckResult) -> str:
    """A check's message; a passed lab check shows its score (a failed one's message
    starts with it)."""
    if check.outcome == "passed" and check.score is not None:
        return check.score.headline() + "."
    return _message(check.outcome, check.ran, check.message)


def overall_message(result: GradeResult, remedies: Mapping[Remedy, str]) -> str:
    """What happened to the run as a whole, with the front end's way out of it."""
    return with_remedy(result.message, result.remedy, result.exercise, remedies)


def grade_view(result: GradeResult, remedies: Mapping[Remedy, str]) -> GradeView:
    """The view of ``result``; ``remedies`` is how this front end words a way out."""
    summary, tone = _summary(result)
    # Split on newlines only: a lone \r or form feed stays in its line, shown by the front end.
    output = result.output.replace("\r\n", "\n").rstrip()
    lines = output.split("\n") if output.strip() else []
    shown = _shown_output(lines)
    return GradeView(
        summary=summary, tone=tone, overall=overall_message(result, remedies),
        checks=tuple(CheckLine(c.outcome, c.title, c.optional, _check_message(c))
                     for c in result.checks),
        output=shown,
        output_more=len(lines) - len(shown),
        scores=tuple(ScoreLine(c.score.label.capitalize(), c.score.got, c.score.total,
                               c.score.needed, c.outcome == "passed")
                     for c in result.checks if c.score is not None))


def _shown_output(lines: list[str]) -> tuple[str, ...]:
    """The first lines, each cut to OUTPUT_WIDTH, up to OUTPUT_LINES of them and about
    OUTPUT_CHARS in all (the first line always)."""
    shown: list[str] = []
    room = OUTPUT_CHARS
    for line in lines[:OUTPUT_LINES]:
        cut = _cut(line)
        if shown and len(cut) > room:
            break
        shown.append(cut)
        room -= len(cut)
    return tuple(shown)


def _cut(line: str) -> str:
    if len(line) <= OUTPUT_WIDTH:
        return line
    return f"{line[:OUTPUT_WIDTH]}… ({len(line) - OUTPUT_WIDTH} more characters)"

