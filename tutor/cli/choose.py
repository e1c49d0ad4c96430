"""Which exercise or lesson a command means.

An exercise is named by its id or by its file (``exercises/09_pii/luhn.py``,
relative to the current folder or to the workspace); without a name, a command
works on the current exercise (:meth:`Workspace.current_exercise`, the one rule
for "the exercise the learner is on") and says which one it picked. A lesson is
named by its id or by the number ``aisec list`` shows. A near miss suggests the
closest name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tutor.course.model import Course, Exercise, LessonEntry
from tutor.errors import Remedy, UsageError
from tutor.learner.workspace import Workspace
from tutor.text.suggest import did_you_mean

LAST_WORKED_ON = "the exercise you last worked on"


@dataclass(frozen=True)
class Chosen:
    """The exercise a command works on, and why, when the learner did not name it."""

    exercise: Exercise
    reason: str = ""  # empty when the learner named the exercise

    def announce(self, doing: str) -> str | None:
        """'Checking luhn (the exercise you last worked on).' — None when it was named."""
        if not self.reason:
            return None
        return f"{doing} {self.exercise.id} ({self.reason})."


def suggestion(wanted: str, known: list[str]) -> str:
    """' Did you mean ...?' for a near miss or a part of a name; '' when nothing is close."""
    word = wanted.lower()
    partial = [name for name in known if word and word in name.lower()]
    if len(partial) == 1:
        return f" Did you mean '{partial[0]}'?"
    if 1 < len(partial) <= 5:
        return " Did you mean one of: " + ", ".join(f"'{name}'" for name in partial) + "?"
    close = did_you_mean(wanted, known)
    return f" Did you mean '{close}'?" if close is not None else ""


def find_lesson(course: Course, wanted: str) -> LessonEntry:
    """The lesson with this id, or with this number in ``aisec list`` (counted from 0)."""
    lessons = course.lessons
    if wanted.isdigit():
        number = int(wanted)
        if number < len(lessons):
            return lessons[number]
        raise UsageError(f"There is no lesson {number}: 'aisec list' numbers them 0 to "
                         f"{len(lessons) - 1}.")
    for entry in lessons:
        if entry.id == wanted:
            return entry
    known = [entry.id for entry in lessons]
    raise UsageError(f"There is no lesson '{wanted}'.{suggestion(wanted, known)}",
                     remedy=Remedy.LIST_COURSE)


def find_exercise(workspace: Workspace, wanted: str) -> Exercise:
    """The exercise with this id, or whose file this path names."""
    course = workspace.course
    found = course.find_exercise(wanted) or _exercise_at(workspace, wanted)
    if found is not None:
        return found
    if _looks_like_path(wanted):
        raise UsageError(f"{wanted} is not an exercise file of this course (they are in "
                         f"{workspace.root / 'exercises'}).", remedy=Remedy.LIST_COURSE)
    known = [ex.id for ex in course.exercises]
    raise UsageError(f"There is no exercise '{wanted}'.{suggestion(wanted, known)}",
                     remedy=Remedy.LIST_COURSE)


def _looks_like_path(wanted: str) -> bool:
    return "/" in wanted or "\\" in wanted or wanted.endswith(".py")


def _exercise_at(workspace: Workspace, wanted: str) -> Exercise | None:
    if not _looks_like_path(wanted):
        return None
    given = Path(wanted).expanduser()
    places = {_resolved(base / given)
              for base in (Path.cwd(), workspace.root, workspace.paths.exercises)}
    for ex in workspace.course.exercises:
        if _resolved(workspace.exercise_path(ex)) in places:
            return ex
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare it as written
        return path.absolute()


def choose_exercise(workspace: Workspace, wanted: str | None, *,
                    passed_ok: bool = False) -> Chosen | None:
    """The exercise named, else the current one; None when every exercise has passed.

    ``passed_ok`` (the solution command): without a name, the exercise last worked
    on even if it has passed since — right after a pass, that is the one whose
    reference solution the learner wants to compare with.
    """
    if wanted:
        return Chosen(find_exercise(workspace, wanted))
    state = workspace.state()
    last = workspace.course.find_exercise(state.last_exercise) if state.last_exercise else None
    if passed_ok and last is not None:
        return Chosen(last, LAST_WORKED_ON)
    current = workspace.current_exercise(state)
    if current is None:
        return None
    if current == last:
        return Chosen(current, LAST_WORKED_ON)
    if last is not None:
        return Chosen(current, f"the next one not passed after {last.id}")
    return Chosen(current, "the first exercise not passed yet")


def everything_passed(workspace: Workspace, command: str) -> str:
    """What to say when a command has no current exercise to work on."""
    where = "of your track " if workspace.track is not None else ""
    return (f"Every exercise {where}has passed — well done! Name one to {command} it: "
            f"'aisec {command} ID' ('aisec list' shows them).")


def require_exercise(workspace: Workspace, wanted: str | None, command: str, *,
                     passed_ok: bool = False) -> Chosen:
    """Like :func:`choose_exercise`, but having no exercise to work on is a usage error."""
    chosen = choose_exercise(workspace, wanted, passed_ok=passed_ok)
    if chosen is None:
        raise UsageError(everything_passed(workspace, command))
    return chosen
