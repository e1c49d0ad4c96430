"""Home appears without parsing any lesson's Markdown: its detail pane reads the front matter."""

from __future__ import annotations

import asyncio

from textual.widgets import Static

from tests.pilot import wait_until
from tutor.tui import app as app_module
from tutor.tui.app import AisecApp
from tutor.tui.screens.home import HomeScreen


def test_home_shows_a_lessons_objectives_without_parsing_the_lesson(mini_workspace,
                                                                    monkeypatch):
    parsed: list[str] = []
    real_load = app_module.load_lesson

    def load_lesson(path, expected_id=None):
        parsed.append(str(expected_id))
        return real_load(path, expected_id)

    monkeypatch.setattr(app_module, "load_lesson", load_lesson)

    async def scenario() -> None:
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=(160, 50)) as pilot:  # wide: the detail pane shows
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen)
                             and "You will be able to" in _detail(app))
            assert "Show that lessons parse." in _detail(app)
            assert parsed == []

    asyncio.run(scenario())


def _detail(app: AisecApp) -> str:
    return str(app.screen.query_one("#detail-text", Static).content)
