"""Errors a learner or a course author can cause, worded for them.

Each carries what went wrong and how to fix it; the CLI prints them without a
traceback and maps them to exit code 2 (usage or content error).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from tutor.text.suggest import did_you_mean


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


class Remedy(str, Enum):
    """A way out of a problem, named by the engine and worded by each front end.

    The engine says what happened; "run 'aisec reset luhn'" (the CLI) and "press
    x" (the TUI) are the front ends' business (tutor.cli.remedies, tutor.tui.remedies).
    """

    RESTORE_STARTER = "restore-starter"  # the exercise file is missing or unreadable
    CHECK_SETUP = "check-setup"  # the doctor diagnoses Python, the terminal and Ollama
    LIST_COURSE = "list-course"  # see every lesson and exercise with its id


def with_remedy(message: str, remedy: Remedy | None, subject: str,
                words: Mapping[Remedy, str]) -> str:
    """``message`` followed by a front end's wording of ``remedy`` for ``subject``."""
    if remedy is None or remedy not in words:
        return message
    return f"{message} {words[remedy].format(subject=subject)}".strip()


def describe_os_error(exc: OSError) -> str:
    """An operating-system error in words (no "[Errno 20]"), saying nothing was changed."""
    target = f" {exc.filename}" if exc.filename else ""
    return (f"could not access{target}: {exc.strerror or exc}. Check the path and its "
            "permissions; nothing of yours was changed.")


class TutorError(Exception):
    """Base for errors shown to the user as a message, never as a traceback.

    ``remedy`` names the way out, for ``subject`` (an exercise id, say); each front
    end words it (see :class:`Remedy`).
    """

    exit_code = 2

    def __init__(self, message: str = "", *, remedy: Remedy | None = None,
                 subject: str = "") -> None:
        super().__init__(message)
        self.remedy = remedy
        self.subject = subject

    def explained(self, words: Mapping[Remedy, str]) -> str:
        return with_remedy(str(self), self.remedy, self.subject, words)


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
        for key in data:
            if key not in allowed:
                close = did_you_mean(str(key), sorted(allowed))
                fix = (f"did you mean '{close}'?" if close is not None
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
