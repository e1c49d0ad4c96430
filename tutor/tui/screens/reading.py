"""Reading a lesson: when it counts as read, and where the learner is in it.

A lesson counts as read when the learner reached its end and had it on screen for a
plausible time for its length, or answered every question of its quiz. Paging
through with `]` or opening and leaving at once does not count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tutor.course.lessons import Lesson, Quiz

# A fast skim: about 1000 words a minute. Paging straight through is faster than this.
SECONDS_PER_1000_WORDS = 60.0
# Lines scrolled are saved this long after the learner stops scrolling (and on leaving).
SAVE_AFTER_SECONDS = 2.0


def lesson_words(lesson: Lesson) -> int:
    """The words of a lesson's text and quiz questions."""
    return sum(len((s.question if isinstance(s, Quiz) else s).split())
               for s in lesson.segments) + sum(len(o.split()) for o in lesson.objectives)


def quiz_answered(lesson: Lesson, answered: int) -> bool:
    """Every question of the lesson's quiz has an answer (a lesson without one: no)."""
    total = len(lesson.quizzes)
    return total > 0 and answered >= total


@dataclass
class ReadingClock:
    """How long a lesson has been open and whether its end was reached."""

    clock: Callable[[], float]
    words: int
    started: float = 0.0
    start_fraction: float = 0.0  # how far down the lesson opened (a resumed reading)
    end_reached: bool = False

    def start(self, fraction_down: float = 0.0) -> None:
        self.started = self.clock()
        self.start_fraction = min(max(fraction_down, 0.0), 1.0)

    def needed_seconds(self) -> float:
        """Time plausible for the part of the lesson still to read when it opened."""
        return self.words / 1000 * SECONDS_PER_1000_WORDS * (1 - self.start_fraction)

    def read(self) -> bool:
        return self.end_reached and self.clock() - self.started >= self.needed_seconds()
