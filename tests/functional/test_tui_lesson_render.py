"""How a lesson looks and behaves: title first, the whole text, lists, keys, leaving early."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Markdown

from tests.pilot import wait_until
from tutor.course.lessons import sections
from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.lesson import LessonScreen

LONG_LESSON = "output-handling"  # the longest lesson of the bundled course


def real_workspace(tmp_path: Path, real_course) -> Workspace:
    return Workspace.create(tmp_path / "ws", real_course, custom_course=False)


def lesson_settled(app: AisecApp) -> bool:
    return isinstance(app.screen, LessonScreen) and app.screen.settled.is_set()


def markdown_sources(app: AisecApp) -> list[str]:
    return [m.source for m in app.screen.query_one("#body").query(Markdown)]


def lines_of(widget) -> list[str]:
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return ["".join(segment.text for segment in strip) for strip in strips]


def test_the_title_comes_first_and_is_not_repeated(mini_workspace):
    async def scenario() -> None:
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=(80, 30)) as pilot:
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: lesson_settled(app))
            sources = markdown_sources(app)
            assert sources[0] == "# A demo lesson"
            assert sources[1] == "- Show that lessons parse."  # the objectives, after it
            assert not any("# A demo lesson" in s for s in sources[1:])
            assert app.screen.sub_title == "A demo lesson"

    asyncio.run(scenario())


def test_a_long_lesson_shows_all_its_text_quizzes_and_exercises_in_order(tmp_path, real_course):
    async def scenario() -> None:
        workspace = real_workspace(tmp_path, real_course)
        app = AisecApp(workspace.course, workspace, watch_files=False)
        lesson = app.lesson(LONG_LESSON)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_lesson(LONG_LESSON)
            await wait_until(pilot, lambda: lesson_settled(app))
            body = app.screen.query_one("#body")
            shown = [child for child in body.children if child.has_class("part")
                     or (child.id is not None and child.id.startswith("quiz-"))]
            expected = []
            for index, segment in enumerate(lesson.segments):
                if isinstance(segment, str):
                    text = segment.partition("\n")[2].lstrip("\n") if index == 0 else segment
                    expected += [("text", s) for s in sections(text)]
                else:
                    expected.append(("quiz", f"quiz-{segment.id}"))
            assert _whole_sections(shown) == expected
            ids = [ex.id for ex in app.course.lesson(LONG_LESSON).exercises]
            assert [b.id for b in app.screen.query(".exercise")] == [f"ex-{i}" for i in ids]
            assert app.screen.query(".sources") and app.screen.query(".end")

    asyncio.run(scenario())


def _whole_sections(shown) -> list[tuple[str, str]]:
    """What the lesson shows, a section cut for the first frame joined up again."""
    found: list[tuple[str, str]] = []
    cut = False
    for widget in shown:
        if widget.id:
            found.append(("quiz", widget.id))
        elif cut:
            found[-1] = ("text", f"{found[-1][1]}\n\n{widget.source}")
        else:
            found.append(("text", widget.source))
        cut = not widget.id and not widget.mark_last
    return found


def test_list_items_keep_their_bullet_and_hanging_indent(mini_workspace):
    async def scenario() -> None:
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=(40, 30)) as pilot:
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: lesson_settled(app))
            await pilot.pause()
            items = list(app.screen.query(".part LightBulletList BulletedParagraph"))
            assert [lines_of(item)[0].rstrip() for item in items] == ["• one", "• two"]
            # A wrapped item goes on under its text, not under its bullet.
            sources = app.screen.query_one(".sources LightBulletList BulletedParagraph")
            first, second = lines_of(sources)[:2]
            assert first.startswith("• Python") and second.startswith("  ") and second.strip()

    asyncio.run(scenario())


def test_keys_scroll_the_lesson_and_reaching_the_end_counts_as_read(tmp_path, real_course):
    async def scenario() -> None:
        workspace = real_workspace(tmp_path, real_course)
        app = AisecApp(workspace.course, workspace, watch_files=False)
        clock = [0.0]
        app.clock = lambda: clock[0]  # read long enough: the test moves time by hand
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_lesson(LONG_LESSON)
            await wait_until(pilot, lambda: lesson_settled(app))
            body = app.screen.query_one("#body", VerticalScroll)
            await pilot.press("down")
            await wait_until(pilot, lambda: body.scroll_y >= 1)
            await pilot.press("pagedown")
            await wait_until(pilot, lambda: body.scroll_y > 10)
            assert not workspace.state().lesson(LONG_LESSON).finished
            clock[0] += 60 * 60
            await pilot.press("end")
            await wait_until(pilot, lambda: workspace.state().lesson(LONG_LESSON).finished)
            await pilot.press("home")
            await wait_until(pilot, lambda: body.scroll_y == 0)

    asyncio.run(scenario())


def test_leaving_and_moving_on_before_the_lesson_is_complete_is_fine(tmp_path, real_course):
    async def scenario() -> None:
        workspace = real_workspace(tmp_path, real_course)
        app = AisecApp(workspace.course, workspace, watch_files=False)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_lesson(LONG_LESSON)
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            await pilot.press("right_square_bracket")  # on to its first exercise
            await wait_until(pilot, lambda: not isinstance(app.screen, LessonScreen))
            await pilot.press("escape")  # back to the lesson, then home
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.pause()
            assert not [n for n in app.notices if n.severity == "error"]

    asyncio.run(scenario())


def test_a_long_lesson_stays_a_few_hundred_widgets_with_no_order_dependent_styles(
        tmp_path, real_course):
    """What made lessons slow: Textual's four widgets per list item, and ':last-child' rules,
    which restyle every block (and all it holds) each time blocks are mounted beside it."""
    async def scenario() -> None:
        workspace = real_workspace(tmp_path, real_course)
        app = AisecApp(workspace.course, workspace, watch_files=False)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_lesson(LONG_LESSON)
            await wait_until(pilot, lambda: lesson_settled(app))
            widgets = list(app.screen.query("*"))
            assert len(widgets) < 300  # 414 with four widgets per list item
            assert not [w for w in widgets if w._has_order_style]

    asyncio.run(scenario())
