"""The course as the rest of aisec sees it: lessons in order, their exercises, tracks.

These are plain values, read and validated from ``course.yaml`` by
:mod:`tutor.course.loader`; lesson bodies are parsed lazily by
:mod:`tutor.course.lessons`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tutor.course.layout import CoursePaths
from tutor.errors import Remedy, UsageError
from tutor.text.suggest import did_you_mean

DEFAULT_TIMEOUT = 10.0  # seconds a check may run when the manifest does not say


@dataclass(frozen=True)
class LabSpec:
    """What makes an exercise a defence lab: the scores its defence must reach.

    Its corpora of attacks and ordinary requests are ``tests/labs/<id>.yaml``
    (:mod:`tutor.labs.corpus`); ``blocked`` is the share of attacks whose harm must
    not happen, ``useful`` the share of ordinary requests that must stay useful.
    """

    blocked: float
    useful: float


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    file: str  # relative to exercises/, POSIX separators
    lesson_id: str
    timeout: float = DEFAULT_TIMEOUT
    tags: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    line: int = 0
    minutes: int = 0  # the author's estimate for a learner who has read the lesson
    lab: LabSpec | None = None  # set for a defence lab


@dataclass(frozen=True)
class LessonEntry:
    id: str
    file: str  # relative to the course root
    exercises: tuple[Exercise, ...] = ()
    line: int = 0
    tags: tuple[str, ...] = ()  # the lesson's own; its exercises carry theirs


@dataclass(frozen=True)
class Track:
    """A named subset of the course in order, with a time box (for workshops)."""

    id: str
    title: str
    minutes: int
    lessons: tuple[str, ...]
    exercises: tuple[str, ...]  # the exercises of those lessons that the track includes
    description: str = ""


@dataclass
class Course:
    root: Path
    id: str
    title: str
    lessons: list[LessonEntry]
    description: str = ""
    tracks: list[Track] = field(default_factory=list)
    paths: CoursePaths = field(init=False, compare=False, repr=False)  # follows from root

    def __post_init__(self) -> None:
        self.paths = CoursePaths(self.root)

    @property
    def exercises(self) -> list[Exercise]:
        return [ex for lesson in self.lessons for ex in lesson.exercises]

    def find_exercise(self, exercise_id: str) -> Exercise | None:
        """The exercise with this id, or None (say, one a newer course removed)."""
        return next((ex for ex in self.exercises if ex.id == exercise_id), None)

    def exercise(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise UsageError(_unknown("exercise", exercise_id, [e.id for e in self.exercises]),
                         remedy=Remedy.LIST_COURSE)

    def lesson(self, lesson_id: str) -> LessonEntry:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise UsageError(_unknown("lesson", lesson_id, [les.id for les in self.lessons]),
                         remedy=Remedy.LIST_COURSE)

    def track(self, track_id: str) -> Track:
        for track in self.tracks:
            if track.id == track_id:
                return track
        names = ", ".join(t.id for t in self.tracks) or "none"
        raise UsageError(f"{_unknown('track', track_id, [t.id for t in self.tracks])} "
                         f"Tracks in this course: {names}.")


def _unknown(kind: str, wanted: str, known: list[str]) -> str:
    close = did_you_mean(wanted, known)
    suggestion = f" Did you mean '{close}'?" if close is not None else ""
    return f"There is no {kind} '{wanted}'.{suggestion}"
