"""Typed messages that the grading worker posts back to the exercise screen."""

from __future__ import annotations

from textual.message import Message

from tutor.grader.result import GradeResult
from tutor.learner.state import Snapshot


class GradeStarted(Message):
    def __init__(self, exercise_id: str, run: int) -> None:
        super().__init__()
        self.exercise_id = exercise_id
        self.run = run


class GradeFinished(Message):
    """A grading ended: its result and the learner's progress once it was recorded."""

    def __init__(self, exercise_id: str, run: int, result: GradeResult, state: Snapshot) -> None:
        super().__init__()
        self.exercise_id = exercise_id
        self.run = run
        self.result = result
        self.state = state
