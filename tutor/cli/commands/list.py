"""``aisec list [--json] [--all]``: lessons in order, each with its exercises and status.

Works outside a workspace too (every exercise is then pending). The ``--json``
shape is a contract: ``{"schema_version", "course", "title", "workspace",
"track", "tracks", "lessons": [{..., "exercises": [{"id", "title", "file",
"minutes", "status", "hidden_checks", "tags", "in_track"}]}]}``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.cli.context import course_and_workspace
from tutor.cli.render import Result, lines
from tutor.course.model import Course, Exercise, Track
from tutor.learner.course_index import course_index
from tutor.learner.paths import DEFAULT_WORKSPACE
from tutor.learner.state import State
from tutor.learner.workspace import Workspace
from tutor.text.terminal import Style, plural

SCHEMA_VERSION = 1


def _track_json(track: Track) -> dict[str, Any]:
    return {"id": track.id, "title": track.title, "minutes": track.minutes}


@dataclass(frozen=True)
class ListedExercise:
    exercise: Exercise
    status: State
    hidden_checks: int
    in_track: bool

    def to_json(self) -> dict[str, Any]:
        ex = self.exercise
        return {"id": ex.id, "title": ex.title, "file": f"exercises/{ex.file}",
                "minutes": ex.minutes, "status": self.status.value,
                "hidden_checks": self.hidden_checks, "tags": list(ex.tags),
                "in_track": self.in_track}


@dataclass(frozen=True)
class ListedLesson:
    id: str
    title: str
    minutes: int
    quizzes: int
    exercises: tuple[ListedExercise, ...]
    in_track: bool

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "minutes": self.minutes,
                "quizzes": self.quizzes, "exercises": [e.to_json() for e in self.exercises],
                "in_track": self.in_track}


@dataclass(frozen=True)
class Listing(Result):
    course: Course
    workspace: Path | None
    track: Track | None
    lessons: tuple[ListedLesson, ...]
    show_all: bool = False  # also lessons and exercises outside the track (text only)

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "course": self.course.id,
                "title": self.course.title,
                "workspace": str(self.workspace) if self.workspace else None,
                "track": _track_json(self.track) if self.track else None,
                "tracks": [_track_json(t) for t in self.course.tracks],
                "lessons": [lesson.to_json() for lesson in self.lessons]}

    def to_text(self, style: Style) -> str:
        out = [style.bold(self.course.title)]
        if self.workspace is None:
            out.append(style.dim(f"(no workspace: run 'aisec init' to start; "
                                 f"./{DEFAULT_WORKSPACE})"))
        if self.track is not None:
            out.append(style.dim(f"Track: {self.track.title} ({self.track.minutes} min)"))
        hidden = 0
        for number, lesson in enumerate(self.lessons):
            if not (lesson.in_track or self.show_all):
                hidden += 1
                continue
            out += self._lesson_lines(number, lesson, style)
        if hidden:
            out.append(style.dim(f"\n{plural(hidden, 'more lesson')} outside your track: "
                                 "'aisec list --all' shows them; any of them opens by its id."))
        return lines(*out)

    def _lesson_lines(self, number: int, lesson: ListedLesson, style: Style) -> list[str]:
        out = [f"\n{number:>2}. {style.bold(lesson.title)}  "
               + style.dim(f"[{lesson.id}, {lesson.minutes} min]")]
        for listed in lesson.exercises:
            if not (listed.in_track or self.show_all):
                continue
            ex = listed.exercise
            out.append(f"      {ex.id:<22} {style.state(listed.status):<9} {ex.title}  "
                       + style.dim(f"(~{ex.minutes} min, {listed.hidden_checks} checks)"))
        return out


def listing(course: Course, workspace: Workspace | None, show_all: bool = False) -> Listing:
    state = workspace.state() if workspace else None
    index = course_index(course, workspace.paths.cache if workspace else None)
    lessons = []
    for entry in course.lessons:
        lesson = index.lessons[entry.id]
        exercises = tuple(ListedExercise(
            ex, state.exercise(ex.id).state if state else State.PENDING,
            index.required_checks[ex.id], workspace.in_track(ex) if workspace else True)
            for ex in entry.exercises)
        lessons.append(ListedLesson(
            entry.id, lesson.title, lesson.minutes, lesson.quizzes, exercises,
            workspace.lesson_in_track(entry.id) if workspace else True))
    return Listing(course, workspace.root if workspace else None,
                   workspace.track if workspace else None, tuple(lessons), show_all)


def run(args: argparse.Namespace) -> Listing:
    course, workspace = course_and_workspace(args)
    return listing(course, workspace, show_all=args.all)
