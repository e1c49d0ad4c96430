"""The exercise screen hears saves by the OS's file events: a save in another editor is
graded without waiting for a timer, the in-app editor's own save is graded once, and the
watcher thread goes when the screen does (or the app quits). Where the watcher fails,
the timer polls instead.

Tests wait on conditions, never on fixed sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import watchfiles
from textual.widgets import TextArea

from tests.pilot import adder_path, open_adder, run, wait_until
from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp
from tutor.tui.screens.exercise import ExerciseScreen

SIZE = (100, 40)
NEVER = 3600.0  # a poll timer that never fires within a test: only file events can wake


def watcher_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("aisec-saves")]



def app_for(ws: Workspace, poll_interval: float) -> AisecApp:
    return AisecApp(ws.course, ws, poll_interval=poll_interval)


def test_a_save_elsewhere_is_graded_on_its_file_event(mini_workspace):
    ws = mini_workspace

    async def scenario():
        app = app_for(ws, NEVER)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_adder(app, pilot)
            assert screen._detector.backend == "events"
            assert screen._detector.watching(20)
            first = screen.last_result
            adder_path(ws).write_text("def add(a, b):\n    return a + b\n")
            await wait_until(pilot, lambda: screen.last_result is not first)
            assert screen.last_result.passed

    run(scenario)


def test_the_in_app_editors_save_is_graded_once(mini_workspace):
    ws = mini_workspace

    async def scenario():
        app = app_for(ws, NEVER)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_adder(app, pilot)
            assert screen._detector.watching(20)
            events = screen._detector._events  # the watcher thread, to wait on its steps
            runs = screen._run
            await pilot.press("t")
            screen.query_one("#editor", TextArea).load_text("def add(a, b):\n    return 0\n")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: events.batches >= 1)  # the write's events came
            steps = events.steps
            await wait_until(pilot, lambda: events.steps >= steps + 20)  # well past quiet
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen._run == runs + 1, "graded for the save, not again for its events"

    run(scenario)


def test_the_watcher_thread_goes_with_the_screen_and_at_quit(mini_workspace):
    ws = mini_workspace

    async def scenario():
        app = app_for(ws, 0.05)
        async with app.run_test(size=SIZE) as pilot:
            await open_adder(app, pilot)
            assert len(watcher_threads()) == 1
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, ExerciseScreen))
            assert watcher_threads() == [], "leaving the exercise stops its watcher"
            await open_adder(app, pilot)
            assert len(watcher_threads()) == 1
            await pilot.press("ctrl+q")
        assert watcher_threads() == [], "quitting stops it too"

    run(scenario)


@pytest.fixture
def failing_watchfiles(monkeypatch) -> Iterator[None]:
    def watch(*args: object, **kwargs: object) -> Iterator[set[tuple[int, str]]]:
        raise OSError(28, "inotify watch limit reached")
        yield set()  # a generator, like watchfiles.watch

    monkeypatch.setattr(watchfiles, "watch", watch)
    yield


def test_where_the_watcher_fails_the_timer_polls(mini_workspace, failing_watchfiles):
    ws = mini_workspace

    async def scenario():
        app = app_for(ws, 0.05)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_adder(app, pilot)
            await wait_until(pilot, lambda: screen._detector.backend == "polling")
            first = screen.last_result
            adder_path(ws).write_text("def add(a, b):\n    return a + b\n")
            await wait_until(pilot, lambda: screen.last_result is not first)
            assert screen.last_result.passed

    run(scenario)
