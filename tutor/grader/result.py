"""Grading results: one verdict per exercise, one outcome per hidden check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from tutor.errors import Remedy

Status = Literal["passed", "failed", "error", "timeout"]
Outcome = Literal["passed", "failed", "error", "skipped"]

NOT_RUN = "Not run."  # the message of a check that never ran (kept for JSON readers)


@dataclass(frozen=True)
class LabScore:
    """A defence lab check's score: ``got`` of ``total`` cases, ``needed`` the share asked."""

    label: str  # "attacks blocked" or "usefulness kept"
    got: int
    total: int
    needed: float
    misses: tuple[str, ...] = ()  # the shown cases that went wrong; held-out ones by kind

    @property
    def share(self) -> float:
        return self.got / self.total if self.total else 0.0

    def headline(self) -> str:
        return (f"{self.label.capitalize()}: {self.got} of {self.total} ({self.share:.0%}; "
                f"needs {self.needed:.0%})")

    @classmethod
    def from_event(cls, data: Any) -> LabScore | None:
        """The score a results line carries, or None when it is not a well-formed one."""
        if not isinstance(data, dict):
            return None
        label, got, total, needed = (data.get(k) for k in ("label", "got", "total", "needed"))
        misses = data.get("misses", [])
        whole = all(isinstance(n, int) and not isinstance(n, bool) for n in (got, total))
        if not (isinstance(label, str) and whole and isinstance(needed, (int, float))
                and isinstance(misses, list) and all(isinstance(m, str) for m in misses)):
            return None
        if not 0 <= got <= total:  # type: ignore[operator]
            return None
        return cls(label[:40], int(got), int(total), float(needed),  # type: ignore[arg-type]
                   tuple(m[:80] for m in misses[:100]))


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
    score: LabScore | None = None  # set by a defence lab's scoring checks

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

        Each check carries ``id``, ``title``, ``outcome``, ``message``, ``optional``,
        ``ran`` and ``score`` (null, or a lab check's ``{label, got, total, needed,
        misses}``).
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
