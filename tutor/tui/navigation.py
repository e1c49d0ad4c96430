"""The course in reading order, as the `[` and `]` keys walk it.

A lesson's text comes first, then its exercises, then the next lesson's text: the
same order from a lesson screen, an exercise screen and home. The screen stack
follows the same shape (home → lesson → exercise), so escape goes back one step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from tutor.course.model import Course


class Stop(NamedTuple):
    """One place on the way through the course: a lesson's text or one exercise."""

    screen: str  # "lesson" or "exercise"
    id: str
    lesson_id: str


def course_stops(course: Course) -> list[Stop]:
    """Every lesson's text followed by its exercises, in course order."""
    stops: list[Stop] = []
    for entry in course.lessons:
        stops.append(Stop("lesson", entry.id, entry.id))
        stops.extend(Stop("exercise", ex.id, entry.id) for ex in entry.exercises)
    return stops


def neighbour(course: Course, here: Stop, step: int) -> Stop | None:
    """The stop ``step`` places after (or before) ``here``; None past either end."""
    stops = course_stops(course)
    index = stops.index(here) + step
    return stops[index] if 0 <= index < len(stops) else None


def end_message(step: int) -> str:
    return ("That was the end of the course: see your progress (g on home)." if step > 0
            else "This is the start of the course.")


def what_follows(course: Course, here: Stop, lesson_title: Callable[[str], str]) -> str:
    """What ] opens from ``here``, in words: the next exercise or the next lesson."""
    after = neighbour(course, here, 1)
    if after is None:
        return "that was the last exercise of the course"
    if after.screen == "exercise":
        return f"the next exercise, {after.id}"
    return f"the next lesson, {lesson_title(after.id)}"
