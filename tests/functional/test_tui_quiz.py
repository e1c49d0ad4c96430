"""The lesson's quiz, driven as a learner does: mouse clicks at an option's place on
the screen, letter and number keys, a second try before the answer is revealed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Markdown, OptionList, Static

from tests.pilot import wait_until
from tutor.course.loader import load_course
from tutor.learner.state import QuizAnswer
from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.quiz import QuizWidget

# Four options, the answer second; the third is long enough to wrap at 80 columns,
# so an option's screen line is not simply its index.
FOUR_CHOICES = """\
choices:
  - "1"
  - "2"
  - "3, which is a long option that wraps onto a second line when the terminal is
    only eighty columns wide"
  - "4"
"""


@pytest.fixture
def quiz_workspace(course_dir: Path, tmp_path: Path) -> Workspace:
    lesson = course_dir / "lessons" / "01-demo.md"
    text = lesson.read_text()
    lesson.write_text(text.replace('choices:\n  - "1"\n  - "2"\n', FOUR_CHOICES))
    return Workspace.create(tmp_path / "ws", load_course(course_dir), custom_course=True)


def latest(workspace: Workspace) -> QuizAnswer:
    return workspace.state().lesson("demo-lesson").quiz.get("q1", QuizAnswer())


def attempts_made(workspace: Workspace) -> int:
    return latest(workspace).attempts


async def open_quiz(app: AisecApp, pilot: Pilot, focus: bool = False) -> QuizWidget:
    app.open_lesson("demo-lesson")
    await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen)
                     and bool(app.screen.query("#quiz-q1 OptionList")))
    # The Markdown above the quiz mounts its blocks (one batch) after it is mounted
    # itself, pushing the quiz down: aim once every block is there.
    await wait_until(pilot, lambda: all(m.children for m in app.screen.query(Markdown)))
    await pilot.pause()
    quiz = app.screen.query_one("#quiz-q1", QuizWidget)
    scrolled: list[bool] = []
    quiz.scroll_visible(animate=False, top=True, on_complete=lambda: scrolled.append(True))
    await wait_until(pilot, lambda: bool(scrolled))
    await pilot.pause()
    assert app.screen.region.contains_region(quiz.region)
    if focus:  # its keys answer only while it has focus
        quiz.query_one(OptionList).focus()
    return quiz


def feedback(quiz: QuizWidget) -> str:
    widget = quiz.query_one(".feedback", Static)
    return "" if not widget.display else str(widget.render())


async def click_option(pilot: Pilot, quiz: QuizWidget, index: int) -> None:
    """A real click in the middle of the option's first line, where a learner aims."""
    where = quiz.option_region(index)
    await pilot.click(quiz, offset=(where.x + where.width // 2 - quiz.region.x,
                                    where.y - quiz.region.y))


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_a_click_records_the_option_under_the_mouse(quiz_workspace, size):
    async def scenario() -> None:
        app = AisecApp(quiz_workspace.course, quiz_workspace, poll_interval=0.05)
        async with app.run_test(size=size) as pilot:
            quiz = await open_quiz(app, pilot)
            options = quiz.query_one(OptionList)
            # First and last, unfocused then focused; then the middle one, the answer,
            # last of all (after a right answer further clicks change nothing).
            clicks = [(False, 0), (False, 3), (True, 0), (True, 3), (True, 1)]
            for attempts, (focused_first, index) in enumerate(clicks, start=1):
                if focused_first:
                    options.focus()
                else:
                    app.screen.set_focus(None)  # the lesson body takes no focus
                await wait_until(pilot, lambda f=focused_first: options.has_focus == f)
                before = quiz.option_region(index)
                await click_option(pilot, quiz, index)
                await wait_until(pilot, lambda n=attempts: attempts_made(quiz_workspace) == n)
                assert latest(quiz_workspace).choice == index, (focused_first, index)
                assert options.has_focus
                # Taking focus moved nothing: the option is where the mouse was.
                assert quiz.option_region(index) == before
        answer = latest(quiz_workspace)
        assert answer.attempts == 5 and answer.first_correct is False and answer.correct

    asyncio.run(scenario())


def screen_rows(app: AisecApp) -> list[str]:
    """The terminal's rows as the learner sees them."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def where_on_screen(app: AisecApp, text: str) -> tuple[int, int]:
    """(column, row) of ``text`` as drawn on the screen, its topmost place (the feedback
    under the options may quote one): where a learner aims the mouse."""
    spots = [(row.index(text), y) for y, row in enumerate(screen_rows(app)) if text in row]
    assert spots, (text, screen_rows(app))
    return spots[0]


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
def test_a_click_on_an_options_drawn_text_records_that_option(quiz_workspace, size):
    """The same as the learner did it, with no help from the widget: find the option's
    words on the screen, click there, then the one below it, focused or not."""
    async def scenario() -> None:
        app = AisecApp(quiz_workspace.course, quiz_workspace, poll_interval=0.05)
        async with app.run_test(size=size) as pilot:
            quiz = await open_quiz(app, pilot)
            options = quiz.query_one(OptionList)
            clicks = [("c) 3, which", 2), ("d) 4", 3), ("a) 1", 0), ("b) 2", 1)]
            for tries, (words, index) in enumerate(clicks, start=1):
                if tries == 3:
                    app.screen.set_focus(None)  # the lesson body takes no focus
                    await wait_until(pilot, lambda: not options.has_focus)
                x, y = where_on_screen(app, words)
                await pilot.click(offset=(x + 3, y))
                await wait_until(pilot, lambda n=tries: attempts_made(quiz_workspace) == n)
                assert latest(quiz_workspace).choice == index, words
                await pilot.pause()
                assert where_on_screen(app, words) == (x, y), "taking focus moved nothing"

    asyncio.run(scenario())


def test_letters_and_numbers_answer_without_reaching_the_lesson_keys(quiz_workspace):
    async def scenario() -> None:
        app = AisecApp(quiz_workspace.course, quiz_workspace, poll_interval=0.05)
        async with app.run_test(size=(80, 24)) as pilot:
            quiz = await open_quiz(app, pilot)
            assert "a–d or 1–4" in str(quiz.border_subtitle)
            quiz.query_one(OptionList).focus()
            await pilot.press("c")
            await wait_until(pilot, lambda: attempts_made(quiz_workspace) == 1)
            assert latest(quiz_workspace).choice == 2
            assert "Not quite" in feedback(quiz) and "answer is" not in feedback(quiz)
            # 'a' asks the AI on the lesson screen; with the quiz focused it answers a).
            await pilot.press("a")
            await wait_until(pilot, lambda: attempts_made(quiz_workspace) == 2)
            assert isinstance(app.screen, LessonScreen)
            assert latest(quiz_workspace).choice == 0
            assert "The answer is b) 2." in feedback(quiz)
            await pilot.press("2")
            await wait_until(pilot, lambda: attempts_made(quiz_workspace) == 3)
            assert latest(quiz_workspace).correct and "Right." in feedback(quiz)

    asyncio.run(scenario())


def test_a_right_answer_stays_right_whatever_key_comes_next(quiz_workspace):
    async def scenario() -> None:
        app = AisecApp(quiz_workspace.course, quiz_workspace, poll_interval=0.05)
        async with app.run_test(size=(80, 24)) as pilot:
            quiz = await open_quiz(app, pilot, focus=True)
            await pilot.press("a", "b")  # wrong, then right
            await wait_until(pilot, lambda: quiz.border_subtitle == "answered")
            assert "Right." in feedback(quiz)
            await pilot.press("c", "1", "4")  # stray keys, still on the quiz
            await pilot.pause()
            assert "Right." in feedback(quiz) and "not right" not in feedback(quiz)
            assert quiz.query_one(OptionList).highlighted == 1
            assert isinstance(app.screen, LessonScreen), "nor do they reach the lesson's keys"
        answer = latest(quiz_workspace)
        assert (answer.attempts, answer.choice, answer.correct) == (2, 1, True)

    asyncio.run(scenario())


def test_a_wrong_answer_gets_a_second_try_before_the_answer(quiz_workspace):
    async def scenario() -> None:
        app = AisecApp(quiz_workspace.course, quiz_workspace, poll_interval=0.05)
        async with app.run_test(size=(100, 40)) as pilot:
            quiz = await open_quiz(app, pilot)
            await click_option(pilot, quiz, 0)
            await wait_until(pilot, lambda: "Not quite" in feedback(quiz))
            assert "b) 2" not in feedback(quiz), "the answer stays hidden after one try"
            assert "One plus one is two." not in feedback(quiz)
            await click_option(pilot, quiz, 1)
            await wait_until(pilot, lambda: "Right." in feedback(quiz))
            assert "One plus one is two." in feedback(quiz)
        answer = latest(quiz_workspace)
        assert (answer.attempts, answer.choice, answer.correct, answer.first_correct) == (
            2, 1, True, False)

    asyncio.run(scenario())


def test_show_answer_reveals_it_and_records_no_try(quiz_workspace):
    async def scenario() -> None:
        app = AisecApp(quiz_workspace.course, quiz_workspace, poll_interval=0.05)
        async with app.run_test(size=(100, 40)) as pilot:
            quiz = await open_quiz(app, pilot, focus=True)
            await pilot.press("4")
            await wait_until(pilot, lambda: quiz.query_one("#show-answer", Button).display)
            await pilot.click(quiz.query_one("#show-answer", Button))
            await wait_until(pilot, lambda: "The answer is b) 2." in feedback(quiz))
            assert not quiz.query_one("#show-answer", Button).display
        assert latest(quiz_workspace).attempts == 1

    asyncio.run(scenario())


def test_a_reopened_lesson_shows_where_the_quiz_was_left(quiz_workspace):
    quiz_workspace.record_quiz("demo-lesson", "q1", 0, False)

    async def scenario() -> None:
        app = AisecApp(quiz_workspace.course, quiz_workspace, poll_interval=0.05)
        async with app.run_test(size=(100, 40)) as pilot:
            quiz = await open_quiz(app, pilot)
            await wait_until(pilot, lambda: "Not quite" in feedback(quiz))
            assert "answer is" not in feedback(quiz)
            quiz.query_one(OptionList).focus()
            await pilot.press("d")
            await wait_until(pilot, lambda: "The answer is b) 2." in feedback(quiz))

    asyncio.run(scenario())
