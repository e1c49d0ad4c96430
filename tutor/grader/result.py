"""Grading results: one verdict per exercise, one outcome per hidden check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from tutor.errors import Remedy

Status = Literal["passed", "failed", "error", "timeout"]
Outcome = Literal["passed", "failed", "error", "skipped"]

NOT_RUN = "Not run."  # the message of a check that never ran (kept for JSON readers)


@dataclass
class CheckResult:
    id: str
    title: str
    outcome: Outcome
    message: str = ""
    optional: bool = False
    # False when the check never ran (the file did not import, the run ended first):
    # front-ends then let the run's message explain, instead of repeating "Not run."
    ran: bool = True

    @classmethod
    def not_run(cls, check_id: str, title: str, optional: bool = False) -> CheckResult:
        """A check that never ran: an error, never a pass."""
        return cls(check_id, title, "error", NOT_RUN, optional, ran=False)


@dataclass
class GradeResult:
    exercise: str
    status: Status
    checks: list[CheckResult] = field(default_factory=list)
    duration_s: float = 0.0
    output: str = ""
    message: str = ""  # what happened to the run as a whole, if anything
    remedy: Remedy | None = None  # the way out of it, worded by each front end

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
        """The contract shape of ``aisec check --json`` (fields may be added, not renamed).

        Each check carries ``id``, ``title``, ``outcome``, ``message``, ``optional``
        and ``ran``.
        """
        return {
            "exercise": self.exercise,
            "passed": self.passed,
            "status": self.status,
            "checks": [asdict(c) for c in self.checks],
            "duration_s": round(self.duration_s, 3),
            "output": self.output,
            "message": self.message,
        }
