"""``aisec progress [--json] [--all]``: what is done, attempts, hints used.

``--json`` carries ``schema_version``: the version of this document's shape
(``{"schema_version", "course", "passed", "total", "lessons": [...],
"exercises": [...]}``), not of the progress file, which keeps its own.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from tutor.cli.context import open_workspace
from tutor.cli.render import Result, lines
from tutor.course.model import Exercise, Track
from tutor.learner.state import ExerciseProgress, LessonProgress
from tutor.learner.workspace import Workspace
from tutor.text.terminal import Style, plural

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ExerciseRow:
    exercise: Exercise
    progress: ExerciseProgress
    in_track: bool

    @property
    def passed(self) -> bool:
        return self.progress.passed

    def to_json(self) -> dict[str, Any]:
        ex, done = self.exercise, self.progress
        return {"id": ex.id, "lesson": ex.lesson_id, "status": done.state.value,
                "attempts": done.attempts, "hints_revealed": done.hints_revealed,
                "hints_total": len(ex.hints), "solution_viewed": done.solution_viewed,
                "first_passed_at": done.first_passed_at,
                "attempts_to_pass": done.attempts_to_pass, "in_track": self.in_track,
                **_lab_json(done)}

    def to_text(self, style: Style) -> str:
        done = self.progress
        extra = [plural(done.attempts, "attempt"),
                 f"{done.hints_revealed}/{len(self.exercise.hints)} hints"]
        if done.solution_viewed:
            extra.append("solution viewed")
        if done.lab is not None:
            extra.append(done.lab.summary())
        return (f"  {self.exercise.id:<22} {style.state(done.state):<9} "
                + style.dim(", ".join(extra)))


def _lab_json(done: ExerciseProgress) -> dict[str, Any]:
    """A lab's last scores as [got, total]; nothing for an exercise."""
    if done.lab is None:
        return {}
    return {"lab_blocked": list(done.lab.blocked) if done.lab.blocked else None,
            "lab_useful": list(done.lab.useful) if done.lab.useful else None}


@dataclass(frozen=True)
class LessonRow:
    progress: LessonProgress
    exercises: tuple[ExerciseRow, ...]  # this lesson's, in course order
    in_track: bool

    def to_json(self) -> dict[str, Any]:
        lesson = self.progress
        return {"id": lesson.id, "opened": lesson.opened, "finished": lesson.finished,
                "quiz_answered": len(lesson.quiz),
                "quiz_correct_first_try": sum(a.first_correct is True
                                              for a in lesson.quiz.values()),
                "exercises_passed": sum(e.passed for e in self.exercises),
                "exercises_total": len(self.exercises)}

    def to_text(self, style: Style, show_all: bool) -> list[str]:
        shown = [e for e in self.exercises if show_all or e.in_track]
        passed = sum(e.passed for e in shown)
        # Read as the app counts it (reached the end, or answered the whole quiz);
        # opening a lesson, or paging past it with ], is not reading it.
        read = ", read" if self.progress.finished else ", opened" if self.progress.opened else ""
        return [f"\n{self.progress.id}: {passed}/{len(shown)} exercises{read}",
                *(row.to_text(style) for row in shown)]


@dataclass(frozen=True)
class Progress(Result):
    course_id: str
    lessons: tuple[LessonRow, ...]
    exercises: tuple[ExerciseRow, ...]  # the course's, in order
    track: Track | None
    show_all: bool = False  # also lessons outside the track (text only)

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "course": self.course_id,
                "passed": sum(e.passed for e in self.exercises),
                "total": len(self.exercises),
                "lessons": [lesson.to_json() for lesson in self.lessons],
                "exercises": [e.to_json() for e in self.exercises]}

    def to_text(self, style: Style) -> str:
        out = [self._headline(style)]
        for lesson in self.lessons:
            if self.show_all or lesson.in_track:
                out += lesson.to_text(style, self.show_all)
        return lines(*out)

    def _headline(self, style: Style) -> str:
        passed = sum(e.passed for e in self.exercises)
        total = len(self.exercises)
        if self.track is None or self.show_all:
            return style.bold(f"{passed} of {plural(total, 'exercise')} done")
        in_track = [e for e in self.exercises if e.in_track]
        done = sum(e.passed for e in in_track)
        return (style.bold(f"{done} of {plural(len(in_track), 'exercise')} done in the track "
                           f"'{self.track.title}'")
                + style.dim(f" ({passed} of {total} in the course)"))


def progress(workspace: Workspace, show_all: bool = False) -> Progress:
    state = workspace.state()
    course = workspace.course
    exercises = tuple(ExerciseRow(ex, state.exercise(ex.id), workspace.in_track(ex))
                      for ex in course.exercises)
    rows = {row.exercise.id: row for row in exercises}
    lessons = tuple(LessonRow(state.lesson(entry.id),
                              tuple(rows[ex.id] for ex in entry.exercises),
                              workspace.lesson_in_track(entry.id))
                    for entry in course.lessons)
    return Progress(course.id, lessons, exercises, workspace.track, show_all)


def run(args: argparse.Namespace) -> Progress:
    return progress(open_workspace(args), show_all=args.all)
