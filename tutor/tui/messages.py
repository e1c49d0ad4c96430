"""Typed messages that grading workers post back to the UI thread."""

from __future__ import annotations

from textual.message import Message

from tutor.grader.result import GradeResult


class GradeStarted(Message):
    def __init__(self, exercise_id: str, run: int) -> None:
        super().__init__()
        self.exercise_id = exercise_id
        self.run = run


class GradeFinished(Message):
    def __init__(self, exercise_id: str, run: int, result: GradeResult) -> None:
        super().__init__()
        self.exercise_id = exercise_id
        self.run = run
        self.result = result


class ProgressChanged(Message):
    """Something was recorded; screens that show progress refresh themselves."""
