"""Grading results: one verdict per exercise, one outcome per hidden check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["passed", "failed", "error", "timeout"]
Outcome = Literal["passed", "failed", "error", "skipped"]


@dataclass
class CheckResult:
    id: str
    title: str
    outcome: Outcome
    message: str = ""
    optional: bool = False


@dataclass
class GradeResult:
    exercise: str
    status: Status
    checks: list[CheckResult] = field(default_factory=list)
    duration_s: float = 0.0
    output: str = ""
    message: str = ""  # what happened to the run as a whole, if anything
    content_error: bool = False  # the course is broken, not the learner's code

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def required(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.optional]

    def counts(self) -> tuple[int, int]:
        """(passed, total) over the checks an exercise needs."""
        required = self.required
        return sum(c.outcome == "passed" for c in required), len(required)

    def to_json(self) -> dict[str, Any]:
        """The contract shape of ``aisec check --json`` (fields may be added, not renamed)."""
        return {
            "exercise": self.exercise,
            "passed": self.passed,
            "status": self.status,
            "checks": [
                {k: v for k, v in asdict(c).items()} for c in self.checks
            ],
            "duration_s": round(self.duration_s, 3),
            "output": self.output,
            "message": self.message,
        }
