"""The TUI, driven with Textual's pilot against temporary workspaces.

Tests wait on conditions (a result arrived, a screen is active), never on fixed
sleeps; file watching runs on a fast timer so a save is noticed quickly.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, OptionList, Static, TextArea

from tests.pilot import run, wait_until
from tutor.course.model import Course
from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.screens.exercise import ExerciseScreen
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.screens.progress import ProgressScreen
from tutor.tui.screens.welcome import WelcomeScreen
from tutor.tui.widgets.check_list import CheckList

SIZE = (100, 40)


def present(app: AisecApp, selector: str) -> bool:
    """True once the active screen has composed a widget matching ``selector``."""
    return bool(app.screen.query(selector))



def make_app(course: Course, workspace: Workspace | None) -> AisecApp:
    return AisecApp(course, workspace, poll_interval=0.05)


def rendered_text(app: AisecApp) -> str:
    """Everything the active screen's Static widgets show, as plain text."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def screen_text(app: AisecApp) -> str:
    """What is visible on the terminal right now (from the app's own SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(" ".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


def test_welcome_creates_a_workspace_and_goes_home(mini_course, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    async def scenario():
        app = make_app(mini_course, None)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, WelcomeScreen)
            app.screen.query_one("#path").value = str(tmp_path / "mine")
            await pilot.click("#create")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert (tmp_path / "mine" / ".aisec").is_dir()
            assert (tmp_path / "mine" / "exercises" / "demo" / "adder.py").is_file()

    run(scenario)


def test_welcome_takes_a_typed_folder_at_once(mini_course, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    async def scenario():
        app = make_app(mini_course, None)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+u", *str(tmp_path / "typed"), "enter")  # no Tab first
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert (tmp_path / "typed" / ".aisec").is_dir()

    run(scenario)


def test_welcome_words_an_impossible_folder_like_the_cli(mini_course, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")

    async def scenario():
        app = make_app(mini_course, None)
        async with app.run_test(size=SIZE) as pilot:
            app.screen.query_one("#path").value = str(tmp_path / "a-file" / "ws")
            await pilot.click("#create")
            await wait_until(pilot, lambda: "Could not access" in rendered_text(app))
            shown = rendered_text(app)
            assert "[Errno" not in shown and "nothing of yours was changed" in shown

    run(scenario)


def test_welcome_shows_why_a_workspace_cannot_be_created(mini_course, mini_workspace):
    async def scenario():
        app = make_app(mini_course, None)
        async with app.run_test(size=SIZE) as pilot:
            app.screen.query_one("#path").value = str(mini_workspace.root)
            await pilot.click("#create")
            await wait_until(pilot, lambda: "already an aisec workspace" in rendered_text(app))
            assert isinstance(app.screen, WelcomeScreen)

    run(scenario)


def test_home_lists_lessons_and_enter_opens_the_first(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: present(app, "HomeScreen #lessons"))
            lessons = app.screen.query_one("#lessons", OptionList)
            assert lessons.option_count == 1
            assert "A demo lesson" in str(lessons.get_option_at_index(0).prompt)
            lessons.focus()
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            assert app.screen.lesson.id == "demo-lesson"

    run(scenario)


def test_continue_goes_to_the_lesson_first_then_where_the_learner_was(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("c")  # nothing saved yet: the current exercise's lesson
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            await pilot.press("right_square_bracket")  # the lesson's first exercise
            await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            assert app.screen.exercise.id == "adder"
            await app.workers.wait_for_complete()
            await pilot.press("escape")  # back to the lesson it was opened from
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("c")  # the learner was last on the lesson
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))

    run(scenario)


def test_a_quiz_answer_gets_feedback_and_is_recorded(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: present(app, "#quiz-q1 OptionList"))
            choices = app.screen.query_one("#quiz-q1 OptionList", OptionList)
            choices.focus()
            choices.highlighted = 0
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Not quite" in rendered_text(app))
            choices.highlighted = 1
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Right." in rendered_text(app))
            assert "One plus one is two." in rendered_text(app)
        lesson = mini_workspace.state().lesson("demo-lesson")
        assert lesson.opened
        assert lesson.quiz["q1"].choice == 1 and lesson.quiz["q1"].correct
        assert lesson.quiz["q1"].first_correct is False

    run(scenario)


def test_external_links_ask_first_and_odd_links_do_not_crash(mini_workspace):
    async def scenario():
        from textual.widgets import Markdown

        app = make_app(mini_workspace.course, mini_workspace)
        opened: list[str] = []
        app.open_url = lambda url, **kwargs: opened.append(url)  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: present(app, "LessonScreen Markdown"))
            markdown = app.screen.query(Markdown).last()
            markdown.post_message(Markdown.LinkClicked(markdown, "https://example.org"))
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_until(pilot, lambda: opened == ["https://example.org"])
            markdown.post_message(Markdown.LinkClicked(markdown, "../secret.md"))
            await pilot.pause()
            assert isinstance(app.screen, LessonScreen)

    run(scenario)


def test_a_confirm_dialogs_arrow_keys_move_between_its_buttons(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        answers: list[bool | None] = []
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            app.push_screen(ConfirmScreen("Leave?", "Leave", destructive=True), answers.append)
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen)
                             and app.focused is not None)
            labels = [str(b.label) for b in app.screen.query(Button)]
            assert labels == ["Leave (y)", "Cancel (n)"], "each button names its key"
            assert app.focused.id == "no", "the safe answer is focused first"
            await pilot.press("left")
            assert app.focused.id == "yes"
            await pilot.press("right")
            assert app.focused.id == "no"
            await pilot.press("left", "enter")
            await wait_until(pilot, lambda: answers == [True])

    run(scenario)


def exercise_app(workspace: Workspace, exercise_id: str = "adder") -> AisecApp:
    app = make_app(workspace.course, workspace)
    app.exercise_under_test = exercise_id  # type: ignore[attr-defined]
    return app


async def open_exercise(app: AisecApp, pilot: Pilot, exercise_id: str = "adder"
                        ) -> ExerciseScreen:
    app.open_exercise(exercise_id)
    await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen)
                     and app.screen.last_result is not None)
    return app.screen  # type: ignore[return-value]


def test_opening_an_exercise_is_not_an_attempt(mini_workspace):
    ws = mini_workspace

    async def scenario():
        app = make_app(ws.course, ws)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(2):  # an untouched starter, opened twice
                await open_exercise(app, pilot)
                await app.workers.wait_for_complete()
                await pilot.press("escape")
            assert ws.state().exercise("adder").attempts == 0
            ws.exercise_path(ws.course.exercise("adder")).write_text(
                "def add(a, b):\n    return a - b\n")
            for _ in range(2):  # a changed file counts once, not once per opening
                await open_exercise(app, pilot)
                await app.workers.wait_for_complete()
                await pilot.press("escape")
            assert ws.state().exercise("adder").attempts == 1
            screen = await open_exercise(app, pilot)
            await app.workers.wait_for_complete()
            before = screen.last_result
            await pilot.press("r")  # asking is an attempt, changed or not
            await wait_until(pilot, lambda: screen.last_result is not before)
            await app.workers.wait_for_complete()
            assert ws.state().exercise("adder").attempts == 2

    run(scenario)


def test_after_a_pass_the_status_and_hints_speak_of_the_pass(mini_workspace):
    ws = mini_workspace
    ws.exercise_path(ws.course.exercise("adder")).write_text("def add(a, b):\n    return a + b\n")

    async def scenario():
        app = make_app(ws.course, ws)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_exercise(app, pilot)
            await wait_until(pilot, lambda: "Passed: compare your code" in rendered_text(app))
            shown = rendered_text(app)
            assert "try once more first" not in shown
            assert "1 attempt ·" in shown and "check run" not in shown
            assert screen.last_result.passed
            await app.workers.wait_for_complete()

    run(scenario)


def test_saving_from_another_terminal_regrades_and_reveals_the_solution(mini_workspace):
    ws = mini_workspace
    path = ws.root / "exercises" / "demo" / "adder.py"

    async def scenario():
        app = make_app(ws.course, ws)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_exercise(app, pilot)
            assert screen.last_result.status == "failed"
            first = screen.last_result

            path.write_text("def add(a, b)\n    return a + b\n")  # a syntax error
            await wait_until(pilot, lambda: screen.last_result is not first)
            assert screen.last_result.status == "error"
            assert "SyntaxError" in screen.last_result.message
            assert "SyntaxError" in rendered_text(app)
            broken = screen.last_result

            shutil.copy(ws.course.paths.solution("adder"), path)
            await wait_until(pilot, lambda: screen.last_result is not broken)
            assert screen.last_result.passed
            assert "All 3 checks passed" in rendered_text(app)
            assert (ws.root / "solutions" / "demo" / "adder.py").is_file()
            assert "return a + b" in screen.query_one("#reference", TextArea).text
            await pilot.press("ctrl+q")
        assert ws.state().exercise("adder").passed

    run(scenario)


def test_untrusted_text_is_shown_literally(mini_workspace):
    ws = mini_workspace
    path = ws.root / "exercises" / "demo" / "adder.py"
    path.write_text("print('[@click=app.quit]boom[/] [bold red]x[/]')\n"
                    "def add(a, b):\n    return '[@click=app.quit]q[/]'\n")

    async def scenario():
        app = make_app(ws.course, ws)
        async with app.run_test(size=SIZE) as pilot:
            await open_exercise(app, pilot)
            text = rendered_text(app)
            assert "[@click=app.quit]boom[/] [bold red]x[/]" in text
            assert "returned '[@click=app.quit]q[/]'" in text
            for static in app.screen.query(CheckList).first().query(Static):
                await pilot.click(static)  # clicking the text must not run the action
            assert app.is_running

    run(scenario)


def test_editing_in_place_saves_and_regrades(mini_workspace):
    ws = mini_workspace

    async def scenario():
        app = make_app(ws.course, ws)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_exercise(app, pilot)
            before = screen.last_result
            await pilot.press("t")
            editor = screen.query_one("#editor", TextArea)
            assert editor.has_focus
            editor.load_text("def add(a, b):\n    return a + b\n")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen.last_result is not before)
            assert screen.last_result.passed
        assert "return a + b" in (ws.root / "exercises/demo/adder.py").read_text()

    run(scenario)


def test_leaving_with_unsaved_edits_asks_first(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_exercise(app, pilot)
            await pilot.press("t")
            screen.query_one("#editor", TextArea).load_text("# half done\n")
            screen.set_focus(None)
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("n")
            await wait_until(pilot, lambda: app.screen is screen)

    run(scenario)


def test_hint_reset_and_solution_keys(mini_workspace):
    ws = mini_workspace
    path = ws.root / "exercises/demo/adder.py"

    async def scenario():
        app = make_app(ws.course, ws)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_exercise(app, pilot)
            await pilot.press("h")
            await wait_until(pilot, lambda: "Look at the operator." in rendered_text(app))

            path.write_text("# my attempt\n")
            await pilot.press("x")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_until(pilot, lambda: "NotImplementedError" in path.read_text())

            await pilot.press("s")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_until(pilot, lambda: "return a + b"
                             in screen.query_one("#reference", TextArea).text)
            await app.workers.wait_for_complete()
        adder = ws.state().exercise("adder")
        assert adder.hints_revealed == 1
        assert adder.solution_viewed_before_pass is True
        backups = (ws.root / ".aisec/backups").iterdir()
        assert any(p.read_text() == "# my attempt\n" for p in backups)

    run(scenario)


def test_no_editor_set_gives_a_clear_notice(mini_workspace, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)

    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            await open_exercise(app, pilot)
            await pilot.press("o")
            await wait_until(pilot, lambda: any("No editor is set" in n.message
                                                for n in app.notices))

    run(scenario)


def test_a_deleted_exercise_file_says_how_to_get_it_back(mini_workspace):
    (mini_workspace.root / "exercises/demo/adder.py").unlink()

    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_exercise(app, pilot)
            assert screen.last_result.message == "exercises/demo/adder.py is missing."
            shown = rendered_text(app)
            assert "Press x on the exercise screen to restore the starter" in shown
            assert "aisec reset" not in shown, "the TUI words its own way out"

    run(scenario)


def test_corrupt_progress_is_a_notice_not_a_crash(mini_workspace):
    (mini_workspace.root / ".aisec/progress.json").write_text("{broken")
    # A new process's workspace, as `aisec` opens it: nothing read from the file before.
    fresh = Workspace(mini_workspace.root, mini_workspace.course)

    async def scenario():
        app = make_app(fresh.course, fresh)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert any("was unreadable" in n.message for n in app.notices)

    run(scenario)


def test_progress_damaged_while_the_app_runs_is_a_notice_and_nothing_is_lost(mini_workspace):
    ws = mini_workspace
    ws.record_lesson("demo-lesson", opened=True, finished=True)
    path = ws.root / ".aisec/progress.json"

    async def scenario():
        app = make_app(ws.course, ws)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert app.workspace.state().lesson("demo-lesson").finished
            path.write_text("GARBAGE")
            ws.reveal_hint(ws.course.exercise("adder"))  # as pressing h does
            await wait_until(pilot, lambda: any("while aisec was running" in n.message
                                                for n in app.notices))
            assert app.progress_warnings, "kept to print again when the app exits"
        assert ws.state().lesson("demo-lesson").finished

    run(scenario)


def test_the_full_screen_start_leaves_progress_warnings_to_the_app(mini_workspace):
    """Printed before the app starts, a warning is covered by the app at once."""
    import argparse

    from tutor.cli.context import course_and_workspace

    (mini_workspace.root / ".aisec/progress.json").write_text("{broken")
    args = argparse.Namespace(workspace=mini_workspace.root, course=mini_workspace.course.root)
    _course, workspace = course_and_workspace(args, warn_now=False)
    assert workspace is not None
    workspace.state()
    assert any("was unreadable" in w for w in workspace.progress.take_warnings())


def test_the_palettes_system_commands_have_one_of_each_name(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert len(titles) == len(set(titles)), titles
            assert "Keys" in titles and "Toggle light/dark theme" in titles
            assert "Theme" not in titles, "only the two themes checked for contrast"

    run(scenario)


def test_command_palette_jumps_to_an_exercise_by_name(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await pilot.press(*"Greet someone")
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            assert app.screen.exercise.id == "greeter"
            await app.workers.wait_for_complete()

    run(scenario)


@pytest.mark.parametrize(("typed", "hits_expected"), [
    ("demo lesson", 3),  # its title: the lesson, then its two exercises
    ("demo-lesson", 1),  # its id
])
def test_command_palette_opens_a_lesson_by_its_name_or_id(mini_workspace, typed,
                                                          hits_expected):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await pilot.press(*typed)
            hits = app.screen.query_one(CommandList)
            # Exercises found by their lesson's title come after the lesson: the top hit,
            # highlighted, is the lesson.
            await wait_until(pilot, lambda: hits.option_count == hits_expected
                             and hits.highlighted == 0)
            assert "Lesson: A demo lesson" in str(hits.get_option_at_index(0).prompt)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            assert app.screen.lesson.id == "demo-lesson"

    run(scenario)


@pytest.mark.parametrize("width", [80, 120])
def test_the_progress_screen_shows_every_state_at_80_columns(mini_workspace, width):
    ws = mini_workspace
    ws.exercise_path(ws.course.exercise("adder")).write_text("def add(a, b):\n    return a + b\n")
    ws.check(ws.course.exercise("adder"))
    ws.record_lesson("demo-lesson", opened=True, finished=True)

    async def scenario():
        app = make_app(ws.course, ws)
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.press("g")
            await wait_until(pilot, lambda: present(app, "ProgressScreen DataTable"))
            await pilot.pause()
            shown = screen_text(app)
            assert "done" in shown and "to do" in shown and "read" in shown

    run(scenario)


def test_the_progress_screen_of_the_whole_course_fits_80_columns(tmp_path, real_course):
    """The real course (labs add two columns, titles run to 95 characters): at 80
    columns nothing runs off the right edge, titles wrap; wide, one line per row."""
    ws = Workspace.create(tmp_path / "ws", real_course, custom_course=False)
    first = real_course.exercises[0]

    async def scenario():
        app = make_app(ws.course, ws)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("g")
            await wait_until(pilot, lambda: present(app, "ProgressScreen DataTable"))
            table = app.screen.query_one(DataTable)
            await pilot.pause()
            assert table.max_scroll_x == 0, "no column off the right edge"
            shown = " ".join(screen_text(app).split())
            assert "Status" in shown and "to do" in shown and "Useful" in shown
            assert all(word in shown for word in first.title.split())
            await pilot.resize_terminal(160, 40)
            await wait_until(pilot, lambda: table.row_count and all(
                row.height == 1 for row in table.rows.values()))
            await pilot.pause()
            assert table.max_scroll_x == 0
            assert first.title in screen_text(app)

    run(scenario)


@pytest.mark.parametrize(("typed", "expected"), [
    ("greeter", "greeter"),  # the id, as commands and hints name it
    ("adder", "adder"),
    ("demo/greet", "greeter"),  # the file
])
def test_command_palette_finds_an_exercise_by_id_or_file(mini_workspace, typed, expected):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await pilot.press(*typed)
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            assert app.screen.exercise.id == expected
            await app.workers.wait_for_complete()

    run(scenario)


def test_progress_screen_and_theme_toggle(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("g")
            await wait_until(pilot, lambda: present(app, "ProgressScreen DataTable"))
            from textual.widgets import DataTable

            assert app.screen.query_one(DataTable).row_count == 3  # a lesson, 2 exercises
            theme = app.theme
            await pilot.press("ctrl+t")
            assert app.theme != theme

    run(scenario)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_every_screen_fits_small_and_large_terminals(mini_workspace, size):
    async def scenario():
        app = make_app(mini_workspace.course, mini_workspace)
        async with app.run_test(size=size) as pilot:
            app.open_lesson("demo-lesson")
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            await open_exercise(app, pilot)
            app.action_show_progress()
            await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen))
            app.action_show_help()
            await pilot.pause()

    run(scenario)


def test_progress_file_stays_valid_json_after_a_session(mini_workspace):
    test_a_quiz_answer_gets_feedback_and_is_recorded(mini_workspace)
    data = json.loads(Path(mini_workspace.paths.progress).read_text())
    assert data["schema_version"] == 1


def test_home_shows_the_track_first_and_the_rest_apart(course_dir, tmp_path):
    from tutor.course.loader import load_course

    lesson = (course_dir / "lessons" / "01-demo.md").read_text()
    (course_dir / "lessons" / "02-more.md").write_text(
        lesson.replace("id: demo-lesson", "id: more-lesson").replace("A demo lesson", "More"))
    manifest = (course_dir / "course.yaml").read_text().replace(
        "tracks:", "  - id: more-lesson\n    file: lessons/02-more.md\ntracks:")
    (course_dir / "course.yaml").write_text(manifest)
    course = load_course(course_dir)
    ws = Workspace.create(tmp_path / "t", course, custom_course=True, track=course.track("quick"))

    async def scenario():
        app = make_app(course, ws)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: present(app, "HomeScreen #lessons"))
            lessons = app.screen.query_one("#lessons", OptionList)
            prompts = [str(lessons.get_option_at_index(i).prompt)
                       for i in range(lessons.option_count)]
            assert "A demo lesson" in prompts[0] and "0/1 exercises" in prompts[0]
            assert any("Outside your track" in p for p in prompts)
            assert "More" in prompts[-1]
            label = str(app.screen.query_one("#overall", Static).render())
            assert "0 of 1 exercises passed in the track “Quick tour”" in label

    run(scenario)
