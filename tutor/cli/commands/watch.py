"""``aisec watch [ID | FILE]``: re-grade on every save, in a plain terminal.

Interactive, so it prints as it goes: each grading clears the screen (on a
terminal) and shows the report. Without an ID it follows the course, like
rustlings: it starts on the current exercise and, after a pass, says where the
reference solution is and moves on to the next exercise not passed. With an ID
it keeps watching that file after a pass and names the next exercise and the
command to go on. How a save is noticed (the OS's file events, polling as the
fallback, debounced once) is :mod:`tutor.learner.saves`.
"""

from __future__ import annotations

import argparse
import sys

from tutor.cli.choose import choose_exercise, everything_passed
from tutor.cli.commands.check import after_grading, next_step
from tutor.cli.context import open_workspace
from tutor.cli.remedies import WORDS
from tutor.course.model import Exercise
from tutor.errors import UsageError
from tutor.grader.runner import warm_graders
from tutor.learner.saves import SaveDetector, wait_for_save
from tutor.learner.workspace import Checked, Workspace
from tutor.text.terminal import Style, grade_report


class Watcher:
    """Watching one exercise after another: ``follow`` moves on after a pass."""

    def __init__(self, workspace: Workspace, follow: bool, interval: float,
                 reason: str = "") -> None:
        self.workspace = workspace
        self.follow = follow
        self.interval = interval
        self.reason = reason  # why this exercise, when the learner did not name it
        self.style = Style()

    def show(self, ex: Exercise, checked: Checked) -> None:
        workspace, style, result = self.workspace, self.style, checked.result
        if sys.stdout.isatty():
            sys.stdout.write("\033[2J\033[H")  # clear the screen so each run stands alone
        print(grade_report(result, ex.title, workspace.display(ex), style, WORDS))
        step = next_step(workspace, ex, checked)
        for line in after_grading(ex, result.passed, step, style, command="watch"):
            print(line)
        if result.passed and self.follow:
            return  # moving on: watch_course says so
        why = f" ({self.reason})" if self.reason else ""
        print(style.dim(f"\nWatching {workspace.display(ex)}{why} — save to re-check, "
                        "ctrl+c to stop."), flush=True)

    def until_passed(self, ex: Exercise) -> Checked:
        """Grade now and on every save; return after a pass when following the course."""
        # Watching before grading: a save while grading counts.
        with SaveDetector(self.workspace.exercise_path(ex)) as saves:
            checked = self.workspace.check(ex, asked=False)  # starting to watch is not an attempt
            self.show(ex, checked)
            while not (checked.result.passed and self.follow):
                wait_for_save(saves, self.interval)
                checked = self.workspace.check(ex, asked=False)
                self.show(ex, checked)
            return checked

    def watch(self, ex: Exercise) -> int:
        workspace, style = self.workspace, self.style
        workspace.work_on(ex)
        while True:
            checked = self.until_passed(ex)
            following = workspace.next_exercise(ex, checked.state)
            if following is None:
                print(style.green("\nEvery exercise has passed. Well done!"))
                return 0
            # Watch before saying so: a save made as soon as the learner reads
            # "Moving on" must count.
            with SaveDetector(workspace.exercise_path(following)) as saves:
                print(style.bold(f"\nMoving on to {following.title} "
                                 f"({workspace.display(following)})."))
                print(style.dim("Save that file to start checking it; ctrl+c to stop."),
                      flush=True)
                ex, self.reason = following, "the next exercise"
                workspace.work_on(ex)
                wait_for_save(saves, self.interval)


def watch(workspace: Workspace, exercise: Exercise | None, interval: float = 0.3) -> int:
    """Watch ``exercise``, or follow the course from the current exercise (None)."""
    chosen = choose_exercise(workspace, exercise.id if exercise else None)
    if chosen is None:
        print(everything_passed(workspace, "watch"))
        return 0
    watcher = Watcher(workspace, follow=exercise is None, interval=interval,
                      reason=chosen.reason)
    try:
        with warm_graders(1, workspace.course.paths.checks,  # saves are graded warm
                          cache_dir=workspace.paths.cache):
            return watcher.watch(chosen.exercise)
    except KeyboardInterrupt:
        print("\nStopped watching. Your progress is saved.")
        return 0


def run(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    if args.interval <= 0:
        raise UsageError("--interval must be a positive number of seconds.")
    exercise = choose_exercise(workspace, args.id) if args.id else None
    return watch(workspace, exercise.exercise if exercise else None, interval=args.interval)
