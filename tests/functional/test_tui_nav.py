"""Moving through the course in the TUI: `]` / `[` in reading order, escape one step back,
Continue back to where the learner was (also after quitting), the theme kept, and when
a lesson counts as read. Driven with key presses against a two-lesson course."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button, OptionList, Static

from tests.pilot import run, wait_until
from tutor.course.loader import load_course
from tutor.course.model import Course
from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp
from tutor.tui.screens.exercise import ExerciseScreen
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.lesson import LessonScreen

SIZE = (100, 30)
PARAGRAPH = "This paragraph is here so that the lesson is long enough to scroll. " * 3


class FakeClock:
    """A monotonic clock the test moves by hand (no sleeping)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def course(course_dir: Path) -> Course:
    """The mini course with a long first lesson and a second lesson without exercises:
    demo-lesson, adder, greeter, more-lesson."""
    first = course_dir / "lessons" / "01-demo.md"
    text = first.read_text()
    first.write_text(text + "\n" + "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(60)) + "\n")
    second = text.replace("id: demo-lesson", "id: more-lesson").replace("A demo lesson", "More")
    (course_dir / "lessons" / "02-more.md").write_text(second)
    manifest = (course_dir / "course.yaml").read_text().replace(
        "tracks:", "  - id: more-lesson\n    file: lessons/02-more.md\ntracks:")
    (course_dir / "course.yaml").write_text(manifest)
    return load_course(course_dir)


@pytest.fixture
def workspace(tmp_path: Path, course: Course) -> Workspace:
    return Workspace.create(tmp_path / "ws", course, custom_course=True)


def reopen(workspace: Workspace) -> Workspace:
    """The same workspace as a new start of the app finds it (a fresh object)."""
    return Workspace(workspace.root, workspace.course, workspace.track)


def make_app(workspace: Workspace, clock: FakeClock | None = None) -> AisecApp:
    app = AisecApp(workspace.course, workspace, watch_files=False)
    if clock is not None:
        app.clock = clock
    return app



def stack(app: AisecApp) -> list[str]:
    """The screen stack as the learner could retrace it."""
    names = []
    for screen in app.screen_stack:
        if isinstance(screen, LessonScreen):
            names.append(f"lesson:{screen.lesson.id}")
        elif isinstance(screen, ExerciseScreen):
            names.append(f"exercise:{screen.exercise.id}")
        elif isinstance(screen, HomeScreen):
            names.append("home")
    return names


def lesson_shown(app: AisecApp) -> bool:
    return isinstance(app.screen, LessonScreen) and bool(app.screen.query("#body"))


def body(app: AisecApp) -> VerticalScroll:
    return app.screen.query_one("#body", VerticalScroll)


def continue_label(app: AisecApp) -> str:
    return str(app.screen.query_one("#continue", Button).label)


# -- resuming ----------------------------------------------------------------------


def test_a_lesson_reopens_at_the_same_scroll_after_quitting(workspace):
    scrolled = {}

    async def first_session():
        app = make_app(workspace)
        async with app.run_test(size=SIZE) as pilot:
            app.screen.query_one("#lessons", OptionList).focus()
            await pilot.press("enter")
            await wait_until(pilot, lambda: lesson_shown(app))
            await wait_until(pilot, lambda: body(app).max_scroll_y > 40)
            await pilot.press("pagedown", "pagedown", "down")
            await wait_until(pilot, lambda: body(app).scroll_y > 20)
            scrolled["y"] = round(body(app).scroll_y)
            await pilot.press("ctrl+q")

    async def second_session():
        app = make_app(reopen(workspace))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert app.focused is app.screen.query_one("#continue", Button)
            assert continue_label(app) == "Continue: Lesson 0 · A demo lesson"
            await pilot.press("enter")
            await wait_until(pilot, lambda: lesson_shown(app))
            await wait_until(pilot, lambda: round(body(app).scroll_y) == scrolled["y"])
            assert app.screen.lesson.id == "demo-lesson"

    run(first_session)
    assert workspace.state().place is not None
    run(second_session)


def test_an_exercise_reopens_after_quitting(workspace):
    async def first_session():
        app = make_app(workspace)
        async with app.run_test(size=SIZE) as pilot:
            app.open_exercise("greeter")
            await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            await app.workers.wait_for_complete()
            await pilot.press("ctrl+q")

    async def second_session():
        app = make_app(reopen(workspace))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert continue_label(app) == "Continue: Lesson 0 · greeter"
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            assert app.screen.exercise.id == "greeter"
            await app.workers.wait_for_complete()

    run(first_session)
    run(second_session)


def test_a_place_that_cannot_be_saved_is_a_notice_not_a_crash(workspace, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    async def scenario():
        app = make_app(workspace)
        async with app.run_test(size=SIZE) as pilot:
            monkeypatch.setattr(workspace, "record_place", refuse)
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: lesson_shown(app))
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert any("Could not save where you are in .aisec/progress.json: Permission "
                       "denied" in notice.message for notice in app.notices)

    run(scenario)


# -- ] and [ -----------------------------------------------------------------------


def test_brackets_walk_the_course_in_reading_order_and_escape_goes_back_one_step(workspace):
    async def scenario():
        app = make_app(workspace)
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))

            async def press(key: str, expected: list[str]) -> None:
                await pilot.press(key)
                await wait_until(pilot, lambda: stack(app) == expected)
                await app.workers.wait_for_complete()

            await press("left_square_bracket", ["home", "lesson:demo-lesson"])
            assert app.notices[-1].message == "This is the start of the course."
            await press("right_square_bracket",
                        ["home", "lesson:demo-lesson", "exercise:adder"])
            await press("right_square_bracket",
                        ["home", "lesson:demo-lesson", "exercise:greeter"])
            await press("right_square_bracket", ["home", "lesson:more-lesson"])
            await press("right_square_bracket", ["home", "lesson:more-lesson"])
            assert "end of the course" in app.notices[-1].message
            await press("left_square_bracket",
                        ["home", "lesson:demo-lesson", "exercise:greeter"])
            await press("left_square_bracket",
                        ["home", "lesson:demo-lesson", "exercise:adder"])
            await press("left_square_bracket", ["home", "lesson:demo-lesson"])
            await press("right_square_bracket",
                        ["home", "lesson:demo-lesson", "exercise:adder"])
            await press("escape", ["home", "lesson:demo-lesson"])
            await press("escape", ["home"])

    run(scenario)


def test_brackets_on_home_select_lessons_and_the_pane_shows_what_each_holds(workspace):
    async def scenario():
        app = make_app(workspace)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            lessons = app.screen.query_one("#lessons", OptionList)
            detail = app.screen.query_one("#detail-text", Static)
            await wait_until(pilot, lambda: "Lesson 0 · A demo lesson" in str(detail.render()))
            text = str(detail.render())
            assert "Show that lessons parse." in text  # the objectives
            assert "to do" in text and "Add two numbers" in text  # exercises, with states
            assert "Then: Lesson 1 · More" in text
            await pilot.press("right_square_bracket")
            await wait_until(pilot, lambda: lessons.highlighted == 1)
            await wait_until(pilot, lambda: "Lesson 1 · More" in str(detail.render()))
            assert "The last lesson of the course." in str(detail.render())
            await pilot.press("left_square_bracket")
            await wait_until(pilot, lambda: lessons.highlighted == 0)
            await pilot.press("enter")  # the list has the focus now: enter opens
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))

    run(scenario)


@pytest.mark.parametrize("size", [(80, 24), (80, 40), (160, 40)])
def test_home_shows_minutes_and_marks_at_every_width(workspace, size):
    async def scenario():
        app = make_app(workspace)
        async with app.run_test(size=size) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            lessons = app.screen.query_one("#lessons", OptionList)
            row = str(lessons.get_option_at_index(0).prompt)
            assert row.startswith("·") and "5 min" in row
            detail = app.screen.query_one("#detail")
            assert detail.display == (size != (80, 24))  # dropped only when small
            assert lessons.region.width >= 40

    run(scenario)


# -- the theme ---------------------------------------------------------------------


def test_the_theme_choice_is_kept_with_the_workspace(workspace):
    async def toggle():
        app = make_app(workspace)
        async with app.run_test(size=SIZE) as pilot:
            assert app.theme == "textual-dark"
            await pilot.press("ctrl+t")
            await wait_until(pilot, lambda: workspace.state().theme == "textual-light")

    async def restart():
        app = make_app(reopen(workspace))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert app.theme == "textual-light"

    run(toggle)
    run(restart)


# -- when a lesson counts as read ----------------------------------------------------


def test_paging_through_with_brackets_does_not_count_as_read(workspace):
    async def scenario():
        app = make_app(workspace, FakeClock())
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: lesson_shown(app))
            await pilot.press("end")  # the end, at once
            await wait_until(pilot, lambda: body(app).scroll_y >= body(app).max_scroll_y - 1)
            for _ in range(3):
                await pilot.press("right_square_bracket")
                await app.workers.wait_for_complete()
            await wait_until(pilot, lambda: stack(app) == ["home", "lesson:more-lesson"])
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        state = workspace.state()
        assert not state.lesson("demo-lesson").finished
        assert not state.lesson("more-lesson").finished
        assert state.lesson("more-lesson").opened

    run(scenario)


def test_a_lesson_read_to_its_end_in_a_plausible_time_counts_as_read(workspace):
    clock = FakeClock()

    async def scenario():
        app = make_app(workspace, clock)
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: lesson_shown(app))
            await wait_until(pilot, lambda: body(app).max_scroll_y > 40)
            clock.now += 5 * 60  # five minutes with the lesson open
            await pilot.press("end")
            await wait_until(pilot, lambda: workspace.state().lesson("demo-lesson").finished)

    run(scenario)


def test_reaching_the_end_counts_once_the_time_is_plausible_on_leaving(workspace):
    clock = FakeClock()

    async def scenario():
        app = make_app(workspace, clock)
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: lesson_shown(app))
            await wait_until(pilot, lambda: body(app).max_scroll_y > 40)
            await pilot.press("end")
            await wait_until(pilot, lambda: body(app).scroll_y >= body(app).max_scroll_y - 1)
            assert not workspace.state().lesson("demo-lesson").finished  # too fast
            await pilot.press("home")  # back up to read it properly
            clock.now += 5 * 60
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert workspace.state().lesson("demo-lesson").finished

    run(scenario)


def test_answering_the_quiz_counts_as_read(workspace):
    async def scenario():
        app = make_app(workspace, FakeClock())
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("more-lesson")
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            await wait_until(pilot, lambda: bool(app.screen.query("#quiz-q1 OptionList")))
            choices = app.screen.query_one("#quiz-q1 OptionList", OptionList)
            choices.focus()
            choices.highlighted = 0  # a wrong answer is an answer too
            await pilot.press("enter")
            await wait_until(pilot, lambda: workspace.state().lesson("more-lesson").finished)

    run(scenario)


def test_what_follows_names_the_next_stop_in_reading_order(real_course):
    """The words a passed exercise's banner uses for what ] opens."""
    from tutor.tui.navigation import Stop, what_follows

    def title(lesson_id: str) -> str:
        return f"<{lesson_id}>"

    lessons = real_course.lessons
    first, second = lessons[0], lessons[1]
    last_of_first = first.exercises[-1]
    assert what_follows(real_course, Stop("exercise", last_of_first.id, first.id), title) \
        == f"the next lesson, <{second.id}>"
    two = second.exercises
    assert what_follows(real_course, Stop("exercise", two[0].id, second.id), title) \
        == f"the next exercise, {two[1].id}"
    # The course's last exercise leads on to a reading-only lesson after it (lesson 13 has
    # no exercise until its lab ships); a course that ends on an exercise says so.
    last_with_exercises = max(i for i, entry in enumerate(lessons) if entry.exercises)
    final = lessons[last_with_exercises].exercises[-1]
    here = Stop("exercise", final.id, final.lesson_id)
    after = lessons[last_with_exercises + 1:]
    last_words = "that was the last exercise of the course"
    assert what_follows(real_course, here, title) == (
        f"the next lesson, <{after[0].id}>" if after else last_words)
    ending = Course(root=real_course.root, id=real_course.id, title=real_course.title,
                    lessons=lessons[:last_with_exercises + 1])
    assert what_follows(ending, here, title) == last_words
