"""SVG snapshots of the main screens at 80x24, against the tiny fixture course.

Update after an intended change with `pytest tests/functional/test_tui_snapshots.py
--snapshot-update`, then look at the new SVGs before committing them.
"""

from __future__ import annotations

import shutil

from tests.pilot import wait_until
from tutor.tui.app import AisecApp
from tutor.tui.screens.exercise import ExerciseScreen


def make_app(workspace, course=None) -> AisecApp:
    # No file polling: a snapshot must not depend on timer ticks.
    return AisecApp(course or workspace.course, workspace, watch_files=False)


async def wait_for_result(pilot) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExerciseScreen)
                     and pilot.app.screen.last_result is not None)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_welcome(snap_compare, mini_course):
    assert snap_compare(AisecApp(mini_course, None, watch_files=False))


def test_home(snap_compare, mini_workspace):
    assert snap_compare(make_app(mini_workspace))


def test_lesson(snap_compare, mini_workspace):
    async def open_lesson(pilot):
        pilot.app.open_lesson("demo-lesson")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "settled", None) is not None
                         and pilot.app.screen.settled.is_set())
        await pilot.pause()

    assert snap_compare(make_app(mini_workspace), run_before=open_lesson)


def test_exercise_failing(snap_compare, mini_workspace):
    async def open_exercise(pilot):
        pilot.app.open_exercise("adder")
        await wait_for_result(pilot)

    assert snap_compare(make_app(mini_workspace), run_before=open_exercise)


def test_exercise_passing(snap_compare, mini_workspace):
    shutil.copy(mini_workspace.course.paths.solution("adder"),
                mini_workspace.root / "exercises/demo/adder.py")

    async def open_exercise(pilot):
        pilot.app.open_exercise("adder")
        await wait_for_result(pilot)

    assert snap_compare(make_app(mini_workspace), run_before=open_exercise)
