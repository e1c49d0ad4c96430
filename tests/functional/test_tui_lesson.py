"""The lesson screen ends with its sources, as links, and when its facts were checked."""

from __future__ import annotations

import asyncio

from textual.widgets import Markdown

from tests.pilot import wait_until
from tutor.text.export import md_prose
from tutor.tui.app import AisecApp
from tutor.tui.screens.lesson import LessonScreen


def test_sources_are_links_with_their_site_and_the_check_date(mini_workspace):
    async def scenario() -> None:
        app = AisecApp(mini_workspace.course, mini_workspace, poll_interval=0.05)
        async with app.run_test(size=(80, 30)) as pilot:
            await pilot.pause()
            app.open_lesson("demo-lesson")
            # The sources are mounted after the first frame, and their text set after that.
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen)
                             and bool(app.screen.query(".sources"))
                             and bool(app.screen.query_one(".sources", Markdown).source))
            sources = app.screen.query_one(".sources", Markdown).source
            # A long address wraps mid-word at 80 columns; the title and site do not.
            assert "[Python documentation · docs.python.org](<https://docs.python.org/3/>)" \
                in sources
            assert "facts last checked against them on 2026-11-30" in sources

    asyncio.run(scenario())


def test_titles_stay_literal_markdown():
    assert md_prose("a [b](c) *d* `e` <f>") == r"a \[b\](c) \*d\* \`e\` \<f\>"
