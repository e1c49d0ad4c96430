"""`aisec watch`: re-grade on every save, in a plain terminal.

Changes are found by polling each file's modification time and size. Polling
is what keeps working where native file events do not (WSL, network drives,
containers, some editors' atomic saves), and at a few stat calls per second it
costs nothing. A change is graded once the file has stopped changing for
``DEBOUNCE_S``, so an editor writing in several steps triggers one run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tutor.course.model import Exercise
from tutor.grader.result import GradeResult
from tutor.learner.workspace import Workspace
from tutor.text.terminal import Style, grade_report

DEBOUNCE_S = 0.2
Signature = tuple[int, int] | None


def signature(path: Path) -> Signature:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def wait_for_change(path: Path, last: Signature, interval: float) -> Signature:
    """Block until ``path`` changes and then holds still; return its new signature."""
    while True:
        time.sleep(interval)
        current = signature(path)
        if current == last:
            continue
        while True:  # debounce: wait until the editor has finished writing
            time.sleep(DEBOUNCE_S)
            settled = signature(path)
            if settled == current:
                return current
            current = settled


def _show(workspace: Workspace, ex: Exercise, result: GradeResult, style: Style) -> None:
    if sys.stdout.isatty():
        sys.stdout.write("\033[2J\033[H")  # clear the screen so each run stands alone
    print(grade_report(result, ex.title, workspace.display(ex), style))
    status = workspace.status(ex)
    if not result.passed and status.hints_revealed < len(ex.hints):
        print(f"Stuck? In another terminal: 'aisec hint {ex.id}'.")
    print(style.dim(f"\nWatching {workspace.display(ex)} — save to re-check, ctrl+c to stop."),
          flush=True)


def watch(workspace: Workspace, exercise: Exercise | None, interval: float = 0.3) -> int:
    follow = exercise is None
    ex = exercise or workspace.current_exercise()
    style = Style()
    if ex is None:
        print("Every exercise has passed — nothing to watch. Name one to watch it anyway.")
        return 0
    try:
        while True:
            path = workspace.exercise_path(ex)
            last = signature(path)
            result = workspace.check(ex)
            _show(workspace, ex, result, style)
            while not (result.passed and follow):
                last = wait_for_change(path, last, interval)
                result = workspace.check(ex)
                _show(workspace, ex, result, style)
            following = workspace.next_exercise(ex)
            if following is None:
                print(style.green("\nEvery exercise has passed. Well done!"))
                return 0
            print(f"\nPassed! The reference solution is in {workspace.solution_display(ex)}.")
            print(style.bold(f"Next: {following.title} ({workspace.display(following)})"))
            print(style.dim("Save that file to start checking it."), flush=True)
            ex = following
            wait_for_change(workspace.exercise_path(ex),
                            signature(workspace.exercise_path(ex)), interval)
    except KeyboardInterrupt:
        print("\nStopped watching. Your progress is saved.")
        return 0
