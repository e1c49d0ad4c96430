"""Plain-terminal presentation: colours only on a TTY, symbols only where they encode."""

from __future__ import annotations

import os
import sys
import textwrap
from typing import TextIO

from tutor.grader.result import GradeResult
from tutor.text.safe import safe_text

OUTPUT_LINES = 40
# How an exercise's state is named to learners, in the CLI and the TUI alike.
STATE_WORDS = {"passed": "done", "pending": "to do", "failed": "failing",
               "error": "error", "timeout": "timed out"}


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

    def state(self, state: str) -> str:
        label = STATE_WORDS.get(state, state)
        if state == "passed":
            return self.green(label)
        if state in ("failed", "error", "timeout"):
            return self.red(label)
        return self.dim(label)


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


def grade_report(result: GradeResult, title: str, display: str, style: Style) -> str:
    """A check run as plain text: every check with its outcome and message.

    Messages, titles and output may carry what the learner's code printed or
    raised: every piece goes through :func:`safe_text`, so an escape sequence in
    them is shown, never obeyed by the terminal.
    """
    passed, total = result.counts()
    out = [style.bold(f"{result.exercise} — {safe_text(title)}"),
           style.dim(f"{safe_text(display)} · {total} hidden checks"), ""]
    if result.message:  # what happened to the run as a whole comes first
        out += [wrap(safe_text(result.message), "  "), ""]
    for check in result.checks:
        optional = style.dim(" (optional: needs a local model)") if check.optional else ""
        out.append(f"  {style.mark(check.outcome)} {safe_text(check.title)}{optional}")
        if check.outcome != "passed" and check.message and check.message != "Not run.":
            out.append(wrap(safe_text(check.message), "      "))
    if result.output.strip():
        lines = safe_text(result.output).rstrip().splitlines()
        shown = lines[:OUTPUT_LINES]
        out += ["", style.dim("  Output from your code:")]
        out += [f"  | {line}" for line in shown]
        if len(lines) > len(shown):
            out.append(style.dim(f"  | ... {len(lines) - len(shown)} more lines"))
    out.append("")
    if result.passed:
        out.append(style.green(style.bold(f"All {total} checks passed.")))
    else:
        out.append(f"{passed} of {total} checks passed.")
    return "\n".join(out)
