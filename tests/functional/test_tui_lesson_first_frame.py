"""A lesson's first frame holds about one screenful; once whole, the lesson looks the same
as if it had all been mounted at once (a section cut for the first frame included)."""

from __future__ import annotations

import asyncio

import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets._markdown import MarkdownBlock

from tests.pilot import wait_until
from tutor.learner.workspace import Workspace
from tutor.tui import first_screen as first_screen_module
from tutor.tui.app import AisecApp
from tutor.tui.screens import lesson as lesson_module
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.lesson_markdown import LessonMarkdown

LONG_LESSON = "output-handling"  # the longest lesson of the bundled course


def _all_at_once(parts, rows, width):
    return parts, [], False


def _blocks(body: VerticalScroll) -> list[tuple[str, int, int, tuple[str, ...]]]:
    """Every block of the lesson: its kind, where it is in the lesson, its height, its text."""
    found = []
    for block in body.query(MarkdownBlock):
        if isinstance(block.parent, MarkdownBlock):
            continue  # drawn by the block that holds it
        lines = block.render_lines(Region(0, 0, block.size.width, block.size.height))
        found.append((type(block).__name__, block.virtual_region.y + block.parent.virtual_region.y,
                      block.size.height, tuple("".join(s.text for s in line) for line in lines)))
    return found


async def _shown(workspace: Workspace, size: tuple[int, int]):
    app = AisecApp(workspace.course, workspace, watch_files=False)
    async with app.run_test(size=size) as pilot:
        app.open_lesson(LONG_LESSON)
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen)
                         and app.screen.settled.is_set())
        await pilot.pause()
        body = app.screen.query_one("#body", VerticalScroll)
        cut = [m for m in body.query(LessonMarkdown) if not m.mark_last]
        return body.virtual_size, _blocks(body), len(cut)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_a_lesson_cut_for_its_first_frame_looks_as_if_mounted_whole(tmp_path, real_course,
                                                                     monkeypatch, size):
    workspace = Workspace.create(tmp_path / "ws", real_course, custom_course=False)
    cut_size, cut_blocks, cuts = asyncio.run(_shown(workspace, size))
    monkeypatch.setattr(lesson_module, "first_screen", _all_at_once)
    whole_size, whole_blocks, _ = asyncio.run(_shown(workspace, size))
    assert cut_size == whole_size
    assert cut_blocks == whole_blocks
    assert cuts == 1  # the longest lesson's first section is longer than a screen


def test_the_first_frame_holds_about_a_screenful(tmp_path, real_course, monkeypatch):
    """Text below the screen is mounted after the first frame, not in it.

    What the body holds is read when the first frame's follow-up starts (the footer's
    mount), not when the test gets to look: on a busy machine the rest may be there
    by then, which made this test depend on timing.
    """
    workspace = Workspace.create(tmp_path / "ws", real_course, custom_course=False)
    at_first_frame: list[tuple[int, int]] = []
    mount_footer = LessonScreen._mount_footer

    async def spy(self: LessonScreen) -> None:
        shown = sum(len(m.source) for m in self.query(".part").results(LessonMarkdown))
        at_first_frame.append((shown, len(self._rest)))
        await mount_footer(self)

    monkeypatch.setattr(LessonScreen, "_mount_footer", spy)

    async def scenario() -> None:
        app = AisecApp(workspace.course, workspace, watch_files=False)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_lesson(LONG_LESSON)
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen)
                             and app.screen.settled.is_set())

    asyncio.run(scenario())
    [(first, waiting)] = at_first_frame
    assert 0 < first < 2000  # of 22,000 characters
    assert waiting  # the rest waited for the first frame


def test_a_cut_is_between_blocks_and_loses_nothing():
    text = "Para one is here.\n\nPara two.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n"
    head, tail = first_screen_module._cut(text, rows=3, width=40)
    assert head and tail
    assert f"{head}\n\n{tail}\n" == text
    assert "".join(piece for piece, _ in first_screen_module.blocks(text)) == text


def test_headings_and_code_are_never_the_start_of_a_cut():
    """They have a top margin, which a cut would count twice."""
    text = "Intro.\n\n## Heading\n\n```python\nx = 1\n```\n"
    assert first_screen_module._cut(text, rows=1, width=40) == (text, "")


def test_parts_that_fit_go_first_whole_and_quizzes_are_never_cut():
    first, rest, cut = first_screen_module.first_screen(["short one", "short two"], 40, 80)
    assert (first, rest, cut) == (["short one", "short two"], [], False)
    first, rest, cut = first_screen_module.first_screen(["a\n\nb", "c"], 0, 80)
    assert (first, rest, cut) == ([], ["a\n\nb", "c"], False)
