"""argparse, made friendlier: a mistyped command suggests the right one, and help
pages can list what the course offers (tracks, lessons), read only when asked.

Nothing here imports the course at start-up: ``aisec --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose invalid-choice errors say "Did you mean ...?"."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        from tutor.text.suggest import did_you_mean

        names = [str(choice) for choice in choices]
        close = did_you_mean(str(value), names)
        guess = f" Did you mean '{close}'?" if close is not None else ""
        if isinstance(action, argparse._SubParsersAction):
            message = (f"there is no command '{value}'.{guess} 'aisec --help' lists them "
                       "all.")
        else:
            option = "/".join(action.option_strings) or action.dest
            message = (f"'{value}' is not a choice for {option}.{guess} Choose from: "
                       f"{', '.join(names)}.")
        raise _FriendlyError(message)

    def error(self, message: str) -> NoReturn:
        if message.startswith(_FriendlyError.MARK):
            self.exit(2, f"{self.prog}: {message[len(_FriendlyError.MARK):]}\n")
        super().error(message)


class _FriendlyError(argparse.ArgumentError):
    """An error that says everything itself: shown without the usage line."""

    MARK = "\x00"  # argparse passes only the text on to error(); this marks ours

    def __init__(self, message: str) -> None:
        super().__init__(None, self.MARK + message)


class CourseHelp(argparse.Action):
    """``-h/--help`` that appends what the course offers, read only when help is asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 describe: Callable[[], str] | None = None, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, default=argparse.SUPPRESS, nargs=0,
                         help="show this help message and exit")
        self.describe = describe

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        extra = _course_text(self.describe) if self.describe else ""
        if extra:
            parser.epilog = f"{parser.epilog}\n\n{extra}" if parser.epilog else extra
        parser.print_help()
        parser.exit()


def _course_text(describe: Callable[[], str]) -> str:
    from tutor.errors import TutorError

    try:
        return describe()
    except (TutorError, OSError) as exc:  # a broken course must not break --help
        print(f"(could not read the course: {exc})", file=sys.stderr)
        return ""


def tracks_text() -> str:
    """The course's tracks, for ``init --help``."""
    from tutor.text.terminal import plural

    course = _course()
    if not course.tracks:
        return "This course has no tracks."
    width = max(len(track.id) for track in course.tracks)
    return "tracks in the course:\n" + "\n".join(
        f"  {track.id:<{width}}  {track.title} ({track.minutes} min, "
        f"{plural(len(track.exercises), 'exercise')})" for track in course.tracks)


def lessons_text() -> str:
    """The course's lessons with the numbers ``aisec list`` shows, for ``lesson --help``."""
    course = _course()
    return "lessons (NUMBER  ID):\n" + "\n".join(
        f"  {number:>2}  {entry.id}" for number, entry in enumerate(course.lessons))


def _course() -> Any:
    from tutor.course.layout import default_course_dir
    from tutor.course.loader import load_course

    return load_course(default_course_dir())
