"""The learner-state model: what a learner has done, as typed, immutable values.

``progress.json`` is the stored form (see :mod:`tutor.learner.store`); everything
that shows progress — the CLI, the TUI, reports — reads a :class:`Snapshot` and
never the raw JSON. A snapshot is built from data that has already been
validated, so nothing downstream needs ``isinstance`` guards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any


class State(str, Enum):
    """Where a learner stands on one exercise, with how every front end shows it.

    ``colour`` is a role, not a colour: "success", "error" or "muted"; the CLI
    maps it to ANSI, the TUI to its theme. Being a ``str`` enum, a state compares
    equal to its stored word (``State.PASSED == "passed"``).
    """

    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"

    def __str__(self) -> str:
        return self.value

    @property
    def word(self) -> str:
        return _LOOKS[self][0]

    @property
    def mark(self) -> str:
        return _LOOKS[self][1]

    @property
    def colour(self) -> str:
        return _LOOKS[self][2]


# How each state looks: (word, mark, colour role). The one table of them.
_LOOKS: dict[State, tuple[str, str, str]] = {
    State.PENDING: ("to do", "·", "muted"),
    State.PASSED: ("done", "✓", "success"),
    State.FAILED: ("failing", "✗", "error"),
    State.ERROR: ("error", "✗", "error"),
    State.TIMEOUT: ("timed out", "⧗", "error"),
}


def _text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) else None


def _count(record: Mapping[str, Any], key: str) -> int:
    value = record.get(key, 0)
    return value if type(value) is int else 0


def _optional_count(record: Mapping[str, Any], key: str) -> int | None:
    value = record.get(key)
    return value if type(value) is int else None


def _pair(record: Mapping[str, Any], key: str) -> tuple[int, int] | None:
    value = record.get(key)
    if isinstance(value, list) and len(value) == 2 and all(type(n) is int for n in value):
        return value[0], value[1]
    return None


def _figure(pair: tuple[int, int] | None) -> str:
    return f"{pair[0]}/{pair[1]}" if pair is not None else ""


@dataclass(frozen=True)
class LabRecord:
    """A defence lab's scores in its last recorded grading."""

    blocked: tuple[int, int] | None = None  # (got, total)
    useful: tuple[int, int] | None = None
    attacks_through: tuple[str, ...] = ()  # shown cases by id, held-out ones by kind

    def fields(self) -> dict[str, Any]:
        """The stored exercise record's lab fields (tutor.learner.schema); None: remove."""
        return {"lab_blocked": list(self.blocked) if self.blocked else None,
                "lab_useful": list(self.useful) if self.useful else None,
                "lab_attacks_through": list(self.attacks_through)}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> LabRecord | None:
        blocked, useful = _pair(record, "lab_blocked"), _pair(record, "lab_useful")
        if blocked is None and useful is None:
            return None
        through = record.get("lab_attacks_through")
        return cls(blocked, useful, tuple(through) if isinstance(through, list) else ())

    def figures(self) -> tuple[str, str]:
        """Attacks blocked and usefulness kept as "got/total" ("" for a missing score)."""
        return _figure(self.blocked), _figure(self.useful)

    def summary(self) -> str:
        """E.g. "blocked 15/16 · useful 12/12"."""
        return " · ".join(f"{word} {figure}" for word, figure
                          in zip(("blocked", "useful"), self.figures(), strict=True) if figure)


@dataclass(frozen=True)
class ExerciseProgress:
    """One exercise: its state and what the learner did to get there."""

    id: str
    state: State = State.PENDING
    attempts: int = 0
    hints_revealed: int = 0
    solution_viewed: bool = False
    solution_viewed_before_pass: bool = False
    checks_passed: int | None = None
    checks_total: int | None = None
    attempts_to_pass: int | None = None
    first_checked_at: str | None = None
    last_checked_at: str | None = None
    first_passed_at: str | None = None
    last_checked_digest: str | None = None  # SHA-256 of the file last graded as an attempt
    lab: LabRecord | None = None  # a defence lab's last scores

    @property
    def passed(self) -> bool:
        return self.state is State.PASSED

    @classmethod
    def from_record(cls, exercise_id: str, record: Mapping[str, Any]) -> ExerciseProgress:
        # Once passed, always passed: a later failing run does not undo a pass.
        stored = record.get("last_status")
        state = State.PASSED if record.get("first_passed_at") else (
            State(stored) if isinstance(stored, str) else State.PENDING)
        return cls(
            id=exercise_id, state=state,
            attempts=_count(record, "attempts"),
            hints_revealed=_count(record, "hints_revealed"),
            solution_viewed=record.get("solution_viewed") is True,
            solution_viewed_before_pass=record.get("solution_viewed_before_pass") is True,
            checks_passed=_optional_count(record, "checks_passed"),
            checks_total=_optional_count(record, "checks_total"),
            attempts_to_pass=_optional_count(record, "attempts_to_pass"),
            first_checked_at=_text(record, "first_checked_at"),
            last_checked_at=_text(record, "last_checked_at"),
            first_passed_at=_text(record, "first_passed_at"),
            last_checked_digest=_text(record, "last_checked_digest"),
            lab=LabRecord.from_record(record),
        )


@dataclass(frozen=True)
class QuizAnswer:
    """The learner's latest answer to one quiz question."""

    attempts: int = 0
    choice: int | None = None
    correct: bool = False
    first_correct: bool | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> QuizAnswer:
        first = record.get("first_correct")
        return cls(attempts=_count(record, "attempts"),
                   choice=_optional_count(record, "choice"),
                   correct=record.get("correct") is True,
                   first_correct=first if isinstance(first, bool) else None)


@dataclass(frozen=True)
class LessonProgress:
    """One lesson: opened, read to the end, and the quiz answers given."""

    id: str
    opened_at: str | None = None
    finished_at: str | None = None
    quiz: Mapping[str, QuizAnswer] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def opened(self) -> bool:
        return self.opened_at is not None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @classmethod
    def from_record(cls, lesson_id: str, record: Mapping[str, Any]) -> LessonProgress:
        quiz = record.get("quiz")
        answers = {quiz_id: QuizAnswer.from_record(answer)
                   for quiz_id, answer in (quiz.items() if isinstance(quiz, dict) else ())
                   if isinstance(answer, dict)}
        return cls(id=lesson_id, opened_at=_text(record, "opened_at"),
                   finished_at=_text(record, "finished_at"), quiz=MappingProxyType(answers))


@dataclass(frozen=True)
class Place:
    """Where the learner last was in the app: a lesson (and how far down) or an exercise."""

    screen: str  # "lesson" or "exercise"
    id: str
    scroll: int = 0

    @classmethod
    def from_record(cls, record: Any) -> Place | None:
        if not isinstance(record, dict):
            return None
        screen, place_id, scroll = record.get("screen"), record.get("id"), record.get("scroll", 0)
        if screen not in ("lesson", "exercise") or not isinstance(place_id, str):
            return None
        return cls(screen, place_id, scroll if type(scroll) is int else 0)


@dataclass(frozen=True)
class Snapshot:
    """Everything a learner has done, at one moment. Never changes; a change to the
    progress returns a new snapshot."""

    exercises: Mapping[str, ExerciseProgress] = field(
        default_factory=lambda: MappingProxyType({}))
    lessons: Mapping[str, LessonProgress] = field(default_factory=lambda: MappingProxyType({}))
    created_at: str | None = None
    updated_at: str | None = None
    last_exercise: str | None = None  # the id last worked on, as recorded; may be stale
    revisiting: bool = False  # last_exercise had passed and the learner came back to it
    place: Place | None = None
    theme: str | None = None

    def exercise(self, exercise_id: str) -> ExerciseProgress:
        """An exercise's progress; one never tried is pending."""
        return self.exercises.get(exercise_id) or ExerciseProgress(exercise_id)

    def lesson(self, lesson_id: str) -> LessonProgress:
        return self.lessons.get(lesson_id) or LessonProgress(lesson_id)

    def passed(self, exercise_ids: Iterable[str]) -> int:
        """How many of these exercises have passed."""
        return sum(self.exercise(exercise_id).passed for exercise_id in exercise_ids)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Snapshot:
        """A snapshot of progress data that :func:`tutor.learner.store.clean` has checked."""
        exercises = data.get("exercises", {})
        lessons = data.get("lessons", {})
        return cls(
            exercises=MappingProxyType({
                exercise_id: ExerciseProgress.from_record(exercise_id, record)
                for exercise_id, record in exercises.items() if isinstance(record, dict)}),
            lessons=MappingProxyType({
                lesson_id: LessonProgress.from_record(lesson_id, record)
                for lesson_id, record in lessons.items() if isinstance(record, dict)}),
            created_at=_text(data, "created_at"), updated_at=_text(data, "updated_at"),
            last_exercise=_text(data, "current_exercise"),
            revisiting=data.get("revisiting") is True,
            place=Place.from_record(data.get("place")),
            theme=_text(settings, "theme") if isinstance(settings := data.get("settings"), dict)
            else None)
