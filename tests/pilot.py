"""Helpers for TUI tests: wait on a condition (never on a fixed sleep)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tutor.learner.workspace import Workspace


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        await pilot.pause(0.05)


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run one async pilot scenario to its end."""
    asyncio.run(scenario())


def adder_path(ws: Workspace) -> Path:
    """The test course's first exercise file in a workspace."""
    return ws.root / "exercises" / "demo" / "adder.py"


async def open_adder(app: Any, pilot: Pilot) -> Any:
    """Open the test course's first exercise and wait for its first grading to show."""
    from tutor.tui.screens.exercise import ExerciseScreen

    app.open_exercise("adder")
    await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen)
                     and app.screen.last_result is not None)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen
