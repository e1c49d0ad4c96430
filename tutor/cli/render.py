"""Showing what a command did: text for a person, or JSON (``--json``) for a script.

A command that has everything before it shows anything returns a :class:`Result`
(a frozen dataclass describing what happened), and :func:`show` is the one place
that prints it: ``to_json()`` through :func:`~tutor.text.safe.json_for_terminal`,
or ``to_text(style)``, then any ``notes`` on stderr. Commands that show things
while they happen (watch, tui, serve, ask, verify-course, and the rows of
``check --all``) say so in their module's docstring.

Every JSON document a command prints has a top-level ``schema_version``: the
version of that document's shape. Fields are added without a new version; a
field renamed, removed or changed in meaning would need one. The shapes are
pinned by golden files in ``tests/functional/golden/``.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.text.safe import json_for_terminal, safe_line, safe_text
from tutor.text.terminal import Style


class Result(ABC):
    """What a command did, ready to be shown; its exit code says how it went."""

    @property
    def exit_code(self) -> int:
        return 0

    @abstractmethod
    def to_text(self, style: Style) -> str:
        """Exactly what goes to stdout, final newline included."""

    def to_json(self) -> dict[str, Any]:
        raise TypeError(f"{type(self).__name__} has no JSON form")

    def notes(self, style: Style) -> list[str]:
        """Lines for the person at the terminal, on stderr (kept out of piped output)."""
        return []


# What a command's ``run`` returns: a Result to show, or the exit code of a
# command that showed everything itself as it went.
Outcome = Result | int


@dataclass(frozen=True)
class Document(Result):
    """A finished document in the format asked for (``--format``): printed, or, with
    ``-o FILE``, already written there and only announced on stderr."""

    text: str
    written_to: Path | None
    what: str  # "your progress report"
    after: tuple[str, ...] = ()  # notes after "Wrote ..." when written to a file

    def to_text(self, style: Style) -> str:
        return self.text if self.written_to is None else ""

    def notes(self, style: Style) -> list[str]:
        if self.written_to is None:
            return []
        return [f"Wrote {self.what} to {safe_line(str(self.written_to))}.", *self.after]


def write_document(text: str, output: Path | None, what: str,
                   after: tuple[str, ...] = ()) -> Document:
    """Write ``text`` to ``output`` if one was given; the Document says where it went."""
    if output is not None:
        output.write_text(text, encoding="utf-8")
    return Document(text, output, what, after)


def render(result: Result, as_json: bool, style: Style) -> str:
    if as_json:
        return json_for_terminal(result.to_json()) + "\n"
    return result.to_text(style)


def show(result: Result, as_json: bool = False) -> None:
    sys.stdout.write(render(result, as_json, Style()))
    sys.stdout.flush()  # before the notes, so a terminal shows them in order
    for line in result.notes(Style(sys.stderr)):
        print(line, file=sys.stderr)


def note(line: str) -> None:
    """A line on stderr, shown at once (e.g. a file skipped before the result exists)."""
    print(line, file=sys.stderr)


def warn(text: str) -> None:
    note(f"warning: {safe_text(text)}")


def lines(*parts: str) -> str:
    """Lines of text as printed one by one: each ends with a newline."""
    return "".join(f"{part}\n" for part in parts)
