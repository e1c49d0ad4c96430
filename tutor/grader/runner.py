"""Run an exercise's hidden checks against a file and return a trustworthy verdict.

The checks run in a child Python process (:mod:`tutor.grader.process` starts,
watches and stops it; :mod:`tutor.grader.child` is the child) with capped output
and memory, stdin closed, a private working directory and a scrubbed
environment. Results come back through a JSON-lines file written by the pytest
plugin (:mod:`tutor.grader.plugin`), and the verdict (:mod:`tutor.grader.verdict`)
is built against the list of checks read statically from the check file: an
exercise passes only when every expected check ran and passed.

Time: start-up (Python, pytest, the check file) gets a generous limit of its
own, :data:`STARTUP_TIMEOUT`; the exercise's timeout starts when the checks
begin (the plugin's ``collected`` event), so a busy machine does not turn a
failing exercise into a timeout.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from tutor.course.layout import check_file_name
from tutor.errors import ContentError, Problem, Remedy
from tutor.grader.checks import list_checks
from tutor.grader.process import OUTPUT_CAP, Limits, run_child
from tutor.grader.process import stop_all as stop_gradings
from tutor.grader.result import CheckResult, GradeResult
from tutor.grader.verdict import verdict
from tutor.grader.warm import POOL, keep_warm, warm_graders
from tutor.labs.session import LabSettings

__all__ = ["MEMORY_MB", "STARTUP_TIMEOUT", "grade", "keep_warm", "stop_all", "warm_graders"]

MEMORY_MB = 1024
STARTUP_TIMEOUT = 60.0  # Python + pytest + the check file, before any learner code runs


def grade(
    course_checks: Path,
    exercise_id: str,
    target: Path,
    display: str,
    timeout: float,
    *,
    cancel: threading.Event | None = None,
    memory_mb: int = MEMORY_MB,
    startup_timeout: float = STARTUP_TIMEOUT,
    lab: LabSettings | None = None,
) -> GradeResult:
    """Grade ``target`` with the exercise's check file in ``course_checks``.

    ``display`` is how messages name the file (e.g. ``exercises/09_pii/luhn.py``).
    ``timeout`` counts from when the checks begin; start-up has ``startup_timeout``.
    ``lab`` is a defence lab's settings (its corpora, thresholds and model).
    Raises :class:`ContentError` only for a broken check file (a course problem).
    """
    check_file = course_checks / check_file_name(exercise_id)
    expected = list_checks(check_file)
    if not expected:
        raise ContentError([Problem(check_file, None, "no checks found",
                                    "add top-level 'def test_...(exercise):' functions")])
    if not target.is_file():
        return GradeResult(
            exercise_id, "error",
            [CheckResult.not_run(c.id, c.title, c.optional) for c in expected],
            message=f"{display} is missing.", remedy=Remedy.RESTORE_STARTER)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="aisec-grade-") as tmp, POOL.lease() as start:
        run = run_child(check_file, target, display, Path(tmp),
                        Limits(timeout, startup_timeout, memory_mb), cancel, start,
                        extra={"lab": lab.to_config()} if lab is not None else None)
    result = verdict(exercise_id, check_file, expected, run.events, run.returncode,
                     run.stopped, timeout,
                     printed_over=OUTPUT_CAP if run.output_capped else 0)
    result.duration_s = time.monotonic() - started
    result.output = run.output
    return result


def stop_all() -> None:
    """Stop every grading in progress and the warm graders (quitting the TUI)."""
    stop_gradings()
    POOL.close()
