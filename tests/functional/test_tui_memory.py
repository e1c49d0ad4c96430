"""Leaving a screen lets go of its widgets (Textual keeps them otherwise: see
tutor.tui.watchers), and the app keeps the garbage collector off what lives as long
as it does."""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.widgets import Header
from textual.widgets._footer import FooterKey

from tests.pilot import run, wait_until
from tutor.tui.app import AisecApp
from tutor.tui.screens.lesson import LessonScreen

VISITS = 4


def _alive(kind: type) -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, kind))


def test_lessons_visited_and_left_keep_no_widgets_alive(mini_workspace):
    async def scenario() -> None:
        gc.unfreeze()  # what an earlier test's app froze
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=(80, 30)) as pilot:
            await wait_until(pilot, lambda: gc.get_freeze_count() > 0)
            gc.unfreeze()  # so that gc.get_objects() sees every object again
            headers, keys, caches = _alive(Header), _alive(FooterKey), _alive(StylesCache)
            for _ in range(VISITS):
                app.open_lesson("demo-lesson")
                await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen)
                                 and app.screen.settled.is_set())
                await app.pop_screen()
                await wait_until(pilot, lambda: not isinstance(app.screen, LessonScreen))
                await pilot.pause()
            # Each lesson screen had its header and footer keys: none of them stays.
            assert _alive(Header) == headers
            assert _alive(FooterKey) <= keys + 1  # home's own keys, drawn again
            # Nor what every widget drew (a lesson has hundreds of widgets).
            assert _alive(StylesCache) <= caches + 10

    run(scenario)


def test_what_start_up_made_is_frozen_after_the_first_frame(mini_workspace):
    async def scenario() -> None:
        gc.unfreeze()
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=(80, 30)) as pilot:
            await wait_until(pilot, lambda: gc.get_freeze_count() > 0)
        gc.unfreeze()

    run(scenario)
