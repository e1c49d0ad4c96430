"""What a lesson holds, for the home screen: a mark for the list, and the detail pane
(objectives, exercises with their states, what comes next)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.content import Content

from tutor.learner.state import LessonProgress, Snapshot, State
from tutor.tui.text import plain, state_label, state_mark

if TYPE_CHECKING:
    from tutor.learner.workspace import Workspace
    from tutor.tui.app import AisecApp

BEGUN = "◐"  # a lesson opened or an exercise tried, not all done


def lesson_mark(lesson: LessonProgress, states: Iterable[State]) -> Content:
    """✓ all its exercises passed (a lesson without exercises: read), ◐ begun, · to do."""
    states = list(states)
    if (all(s is State.PASSED for s in states) and states) or (not states and lesson.finished):
        return state_mark(State.PASSED)
    if lesson.opened or any(s is not State.PENDING for s in states):
        return Content.styled(BEGUN, "$accent")
    return state_mark(State.PENDING)


def _reading(lesson: LessonProgress) -> str:
    if lesson.finished:
        return "read"
    return "opened, not read to the end" if lesson.opened else "not opened yet"


def lesson_detail(app: AisecApp, workspace: Workspace, lesson_id: str,
                  state: Snapshot) -> Content:
    """The pane beside the lesson list: enough to decide whether to open the lesson."""
    course = app.course
    ids = [entry.id for entry in course.lessons]
    number = ids.index(lesson_id)
    summary = app.lesson_summary(lesson_id)
    progress = state.lesson(lesson_id)
    lines: list[Content] = [
        plain(f"Lesson {number} · {summary.title}", "bold $accent"),
        plain(f"About {summary.minutes} minutes · {_reading(progress)}", "$text-muted"),
        plain(""),
    ]
    lines += _objectives(app, lesson_id)
    lines += _exercises(app, workspace, lesson_id, state)
    if number + 1 < len(ids):
        following = app.lesson_summary(ids[number + 1]).title
        lines.append(plain(f"Then: Lesson {number + 1} · {following}", "$text-muted"))
    else:
        lines.append(plain("The last lesson of the course.", "$text-muted"))
    lines.append(plain("Enter opens the lesson; ] and [ move through the list.",
                       "$text-muted"))
    return Content("\n").join(lines)


def _objectives(app: AisecApp, lesson_id: str) -> list[Content]:
    # From the front matter only: parsing the whole lesson here (Markdown, quizzes) was
    # most of the time home took to appear. A problem in the body shows when it is opened.
    objectives = app.lesson_summary(lesson_id).objectives
    if not objectives:  # a lesson without objectives does not pass the loader
        return [plain("This lesson's file has a problem: run 'aisec verify-course'.",
                      "$warning"), plain("")]
    return [plain("You will be able to:", "bold"),
            *(plain(f" • {objective}") for objective in objectives), plain("")]


def _exercises(app: AisecApp, workspace: Workspace, lesson_id: str,
               state: Snapshot) -> list[Content]:
    exercises = app.course.lesson(lesson_id).exercises
    if not exercises:
        return []
    lines = [plain("Exercises", "bold")]
    for ex in exercises:
        status = state.exercise(ex.id).state
        outside = "" if workspace.in_track(ex) else " (outside your track)"
        lines.append(Content.assemble(
            " ", state_mark(status), " ", state_label(status), " " * (10 - len(status.word)),
            plain(f"{ex.title} · ~{ex.minutes} min{outside}")))
    lines.append(plain(""))
    return lines
