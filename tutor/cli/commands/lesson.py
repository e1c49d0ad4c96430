"""``aisec lesson ID|NUMBER``: a lesson as plain text (pipes, screen readers); recorded as
opened. NUMBER is the one ``aisec list`` shows."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from tutor.cli.choose import find_lesson
from tutor.cli.context import course_and_workspace
from tutor.cli.render import Result
from tutor.course.lessons import load_lesson
from tutor.course.plaintext import lesson_to_text
from tutor.text.terminal import Style


@dataclass(frozen=True)
class LessonText(Result):
    text: str  # the lesson and its exercises, plain text ending with a newline

    def to_text(self, style: Style) -> str:
        return self.text


def run(args: argparse.Namespace) -> LessonText:
    course, workspace = course_and_workspace(args)
    entry = find_lesson(course, args.id)
    text = lesson_to_text(load_lesson(course.root / entry.file, entry.id))
    if entry.exercises:
        text += "\nExercises for this lesson:\n" + "".join(
            f"  - {ex.id}: {ex.title} (exercises/{ex.file})\n" for ex in entry.exercises
        )
    if workspace is not None:
        workspace.record_lesson(entry.id, opened=True)
    return LessonText(text)
