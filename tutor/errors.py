"""Errors a learner or a course author can cause, worded for them.

Each carries what went wrong and how to fix it; the CLI prints them without a
traceback and maps them to exit code 2 (usage or content error).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One content problem: ``file:line: what is wrong — how to fix it``."""

    file: Path | str
    line: int | None
    what: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return f"{where}: {self.what}" + (f" — {self.fix}" if self.fix else "")


class TutorError(Exception):
    """Base for errors shown to the user as a message, never as a traceback."""

    exit_code = 2


class UsageError(TutorError):
    """The command was used in a way that cannot work (unknown id, no workspace...)."""


class ContentError(TutorError):
    """The course content is broken; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ProblemList:
    """Collects content problems for one file while it is being read."""

    def __init__(self, file: Path | str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def __len__(self) -> int:
        return len(self.problems)

    def add(self, line: int | None, what: str, fix: str = "") -> None:
        self.problems.append(Problem(self.file, line, what, fix))

    def unknown_keys(self, data: dict, allowed: set[str], where: str) -> None:
        """Flag keys outside ``allowed``, suggesting the closest allowed one."""
        import difflib

        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                fix = (f"did you mean '{close[0]}'?" if close
                       else f"allowed: {', '.join(sorted(allowed))}")
                self.add(_line_of(data, str(key)), f"unknown key '{key}' in {where}", fix)

    def text(self, data: dict, key: str, where: str, required: bool = True) -> str:
        """``data[key]`` as stripped text, flagging a missing or empty value."""
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(_line_of(data, key), f"{where} needs '{key}' as non-empty text",
                     f"add '{key}: ...'")
            return ""
        return value.strip()

    def raise_if_any(self) -> None:
        if self.problems:
            raise ContentError(self.problems)


def _line_of(data: dict, key: str) -> int | None:
    line_of = getattr(data, "line_of", None)
    return line_of(key) if line_of else None
