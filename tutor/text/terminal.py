"""Plain-terminal presentation: colours only on a TTY, symbols only where they encode."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from tutor.learner.state import State
from tutor.text.safe import safe_text

if TYPE_CHECKING:  # grade reports only: listing and help start without the grader's types
    from tutor.errors import Remedy
    from tutor.grader.result import GradeResult


class Style:
    """ANSI styling that switches itself off for pipes, NO_COLOR and dumb terminals."""

    def __init__(self, stream: TextIO | None = None) -> None:
        stream = stream or sys.stdout
        self.color = (
            stream.isatty() and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb"
        )
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "✓✗•…".encode(encoding)
            self.unicode = True
        except (UnicodeEncodeError, LookupError):
            self.unicode = False

    def _sgr(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def bold(self, text: str) -> str:
        return self._sgr("1", text)

    def dim(self, text: str) -> str:
        return self._sgr("2", text)

    def green(self, text: str) -> str:
        return self._sgr("32", text)

    def red(self, text: str) -> str:
        return self._sgr("31", text)

    def yellow(self, text: str) -> str:
        return self._sgr("33", text)

    def mark(self, outcome: str) -> str:
        if outcome == "passed":
            return self.green("✓" if self.unicode else "ok")
        if outcome == "skipped":
            return self.yellow("-" if self.unicode else "skip")
        return self.red("✗" if self.unicode else "FAIL")

    def state(self, state: State | str) -> str:
        """An exercise's state in its own words and colour."""
        state = State(state)
        colour = {"success": self.green, "error": self.red}.get(state.colour, self.dim)
        return colour(state.word)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def wrap(text: str, indent: str, width: int = 88) -> str:
    """Wrap a message for a terminal, keeping the author's line breaks."""
    lines = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, width=width, initial_indent=indent,
                                   subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False) or [indent])
    return "\n".join(lines)


def grade_report(result: GradeResult, title: str, display: str, style: Style,
                 remedies: Mapping[Remedy, str]) -> str:
    """A check run as plain text: every check with its outcome and message.

    Messages, titles and output may carry what the learner's code printed or
    raised: every piece goes through :func:`safe_text`, so an escape sequence in
    them is shown, never obeyed by the terminal.
    """
    from tutor.text.grade import OPTIONAL_NOTE, grade_view

    view = grade_view(result, remedies)
    total = result.counts()[1]
    out = [style.bold(f"{result.exercise} — {safe_text(title)}"),
           style.dim(f"{safe_text(display)} · {total} hidden checks"), ""]
    if view.overall:  # what happened to the run as a whole comes first
        out += [wrap(safe_text(view.overall), "  "), ""]
    if view.scores:  # a lab's two scores, side by side, before the details
        width = max(len(score.label) for score in view.scores)
        for score in view.scores:
            filled, empty = score.bar()
            paint = style.green if score.passed else style.red
            out.append(f"  {style.bold(score.label.ljust(width))}  {paint(filled)}"
                       f"{style.dim(empty)}  {paint(score.figures())}")
        out.append("")
    for check in view.checks:
        optional = style.dim(f" {OPTIONAL_NOTE}") if check.optional else ""
        out.append(f"  {style.mark(check.outcome)} {safe_text(check.title)}{optional}")
        if check.message:
            out.append(wrap(safe_text(check.message), "      "))
    if view.output:
        out += ["", style.dim("  Output from your code:")]
        out += [f"  | {safe_text(line)}" for line in view.output]
        if view.output_more:
            out.append(style.dim(f"  | ... {view.output_more} more lines"))
    out.append("")
    tone = {"success": lambda text: style.green(style.bold(text)), "error": style.red}
    out.append(tone.get(view.tone, str)(view.summary))
    return "\n".join(out)
