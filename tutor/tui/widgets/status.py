"""The exercise screen's status line: the exercise's state, and how the file does now.

"done" means passed once, and a pass stays a pass (one definition for every count).
When the file as it is now fails (after a reset, or a later change), the line says
both, without contradiction: "done (passed before) · your file now fails 2 of 5 checks".
"""

from __future__ import annotations

from textual.content import Content

from tutor.grader.result import GradeResult
from tutor.learner.state import ExerciseProgress
from tutor.tui.text import plain, state_label


def status_line(progress: ExerciseProgress, result: GradeResult | None,
                hint_count: int) -> Content:
    parts = [state_label(progress.state)]
    if progress.passed and result is not None and not result.passed:
        parts.append(plain(f" (passed before) · your file now {failing(result)}"))
    attempts = progress.attempts
    parts.append(plain(f" · {attempts} attempt{'s' if attempts != 1 else ''}"
                       f" · {progress.hints_revealed}/{hint_count} hints"))
    if progress.solution_viewed:
        parts.append(plain(" · solution viewed"))
    return Content.assemble(*parts)


def failing(result: GradeResult) -> str:
    """How the file fails its checks: "fails 2 of 5 checks", "fails all 3 checks"."""
    passed, total = result.counts()
    if total == 0:
        return "does not pass"
    if total == 1:
        return "fails its check"
    if passed == 0:
        return f"fails all {total} checks"
    return f"fails {total - passed} of {total} checks"
