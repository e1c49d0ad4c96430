"""The exercise screen as a learner meets it in the first hour: keys that switch tabs
and scroll without Tab, a save that shows its verdict, a footer that fits the terminal,
a solution view that fits a narrow screen, a status line that says what "done" means
after a reset, hints that name the app's keys, and an editor that indents.

Tests wait on conditions, never on fixed sleeps.
"""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import TabbedContent, TextArea

from tests.pilot import adder_path, open_adder, run, wait_until
from tutor.course.loader import load_course
from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.screens.exercise import ExerciseScreen
from tutor.tui.screens.home import HomeScreen
from tutor.tui.widgets.compare import SolutionView

SIZE = (100, 40)



def make_app(ws: Workspace, watch: bool = True) -> AisecApp:
    return AisecApp(ws.course, ws, poll_interval=0.05, watch_files=watch)



def lines(app: AisecApp) -> list[str]:
    """The terminal's rows as the learner sees them, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def shown(app: AisecApp) -> str:
    return "\n".join(lines(app))


def active_tab(screen: ExerciseScreen) -> str:
    return screen.query_one(TabbedContent).active



# -- keys -----------------------------------------------------------------------------


def test_number_keys_and_c_switch_tabs_without_running_the_checks(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_adder(app, pilot)
            result, runs = screen.last_result, screen._run
            for key, pane in [("2", "instructions-pane"), ("3", "hints-pane"),
                              ("5", "solution-pane"), ("c", "checks-pane"),
                              ("4", "editor-pane")]:
                await pilot.press(key)
                assert active_tab(screen) == pane, key
            assert not screen.query_one("#editor", TextArea).has_focus
            await pilot.press("1")
            assert active_tab(screen) == "checks-pane"
            assert screen._run == runs and screen.last_result is result, "nothing re-ran"
            assert "1 Checks" in shown(app) and "5 Solution" in shown(app), "the tab bar says"

    run(scenario)


def test_keys_type_in_the_editor_and_the_footer_then_offers_only_what_works(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_adder(app, pilot)
            assert "r Check" in lines(app)[-1]
            await pilot.press("t")
            editor = screen.query_one("#editor", TextArea)
            editor.load_text("")
            await pilot.press("1", "c", "r", "s", "x", "h")
            assert editor.text == "1crsxh"
            assert active_tab(screen) == "editor-pane"
            await wait_until(pilot, lambda: "r Check" not in lines(app)[-1])
            footer = lines(app)[-1]
            assert "^s Save" in footer and "f1 Help" in footer

    run(scenario)


def test_the_editor_tab_says_how_to_type_until_the_editor_has_the_focus(mini_workspace):
    """4 shows the editor without focusing it (number keys keep switching tabs), so
    letters are still the screen's keys: its border says t or a click types there."""
    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_adder(app, pilot)
            await pilot.press("4")
            await wait_until(pilot, lambda: "t or a click: type here" in shown(app))
            await pilot.press("t")
            editor = screen.query_one("#editor", TextArea)
            await wait_until(pilot, lambda: editor.has_focus)
            await pilot.pause()
            assert "t or a click: type here" not in shown(app)
            await pilot.press("5")  # the solution view, read-only, says nothing of typing
            await pilot.press("escape")
            await pilot.pause()
            assert "type here" not in str(screen.query_one(SolutionView).render())

    run(scenario)


def test_page_keys_scroll_the_results_without_tab_first(mini_workspace):
    adder_path(mini_workspace).write_text(
        "for n in range(60):\n    print('line', n)\n\ndef add(a, b):\n    return a - b\n")

    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_adder(app, pilot)
            results = screen.query_one("#checks-pane VerticalScroll")
            assert results.max_scroll_y > 0 and results.scroll_y == 0
            assert not results.has_focus
            await pilot.press("pagedown")
            await wait_until(pilot, lambda: results.scroll_y > 0)
            await pilot.press("pageup")
            await wait_until(pilot, lambda: results.scroll_y == 0)

    run(scenario)


def test_page_down_in_the_editor_stays_the_editors(mini_workspace):
    adder_path(mini_workspace).write_text("".join(f"x{n} = {n}\n" for n in range(100)))

    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_adder(app, pilot)
            await pilot.press("t")
            editor = screen.query_one("#editor", TextArea)
            await pilot.press("pagedown")
            assert editor.has_focus and editor.cursor_location[0] > 0, "the cursor moved"

    run(scenario)


def test_a_save_from_the_editor_tab_shows_the_checks_when_graded(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_adder(app, pilot)
            before = screen.last_result
            await pilot.press("t")
            screen.query_one("#editor", TextArea).load_text(
                "def add(a, b):\n    return a + b\n")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen.last_result is not before)
            await wait_until(pilot, lambda: active_tab(screen) == "checks-pane")
            assert screen.last_result.passed
            await pilot.press("2")  # keys act again: the focus left the hidden editor
            assert active_tab(screen) == "instructions-pane"

    run(scenario)


def test_a_save_in_another_editor_shows_the_checks_from_the_hints_tab(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_adder(app, pilot)
            await pilot.press("h")  # the learner reads a hint, then saves elsewhere
            assert active_tab(screen) == "hints-pane"
            before = screen.last_result
            adder_path(mini_workspace).write_text("def add(a, b):\n    return a * b\n")
            await wait_until(pilot, lambda: screen.last_result is not before)
            await wait_until(pilot, lambda: active_tab(screen) == "checks-pane")

    run(scenario)


def test_the_help_screen_lists_the_new_keys(mini_workspace):
    from tutor.tui.screens.help import HELP

    for key in ("`1`", "`c`", "`pagedown`", "`ctrl+s`"):
        assert key in HELP, key
    # The quiz's own keys, which the footer never shows (its border names them).
    assert "| quiz | `a`–`d` / `1`–`4` |" in HELP and "| quiz | `s` |" in HELP


# -- small terminals -------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120, 160])
def test_the_footer_fits_with_the_first_hours_keys(mini_workspace, width):
    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=(width, 24)) as pilot:
            await open_adder(app, pilot)
            footer = lines(app)[-1]
            for key in ("esc Back", "r Check", "h Hint", "t Edit", "^s Save", "s Solution",
                        "^q Quit", "f1 Help"):
                assert key in footer, (key, footer)
            assert footer.rstrip().endswith("^p palette"), footer

    run(scenario)


@pytest.mark.parametrize(("size", "stacked"), [((60, 20), True), ((80, 24), True),
                                               ((120, 30), True), ((160, 40), False)])
def test_the_solution_view_stacks_on_a_narrow_screen(mini_workspace, size, stacked):
    shutil.copy(mini_workspace.course.paths.solution("adder"), adder_path(mini_workspace))

    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=size) as pilot:
            screen = await open_adder(app, pilot)
            await pilot.press("5")
            await pilot.pause()
            mine, reference = (screen.query_one(f"#{name}", TextArea)
                               for name in ("mine", "reference"))
            await wait_until(pilot, lambda: "return a + b" in reference.text)
            assert screen.query_one(SolutionView).stacked is stacked
            if stacked:
                assert mine.region.y < reference.region.y and mine.region.width > size[0] - 6
            else:
                assert mine.region.x < reference.region.x and mine.region.y == reference.region.y
            assert mine.region.height >= 3 and reference.region.height >= 3

    run(scenario)


def test_the_solution_view_follows_a_resize(mini_workspace):
    shutil.copy(mini_workspace.course.paths.solution("adder"), adder_path(mini_workspace))

    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=(160, 40)) as pilot:
            screen = await open_adder(app, pilot)
            view = screen.query_one(SolutionView)
            assert not view.stacked
            await pilot.resize_terminal(60, 20)
            await wait_until(pilot, lambda: view.stacked)
            await pilot.press("5")  # shown after the resize: laid out stacked
            await pilot.pause()
            mine, reference = view.query_one("#mine"), view.query_one("#reference")
            assert mine.region.y < reference.region.y
            await pilot.resize_terminal(160, 40)
            await wait_until(pilot, lambda: not view.stacked)

    run(scenario)


# -- what "done" means after a reset -----------------------------------------------------


def test_after_resetting_a_pass_the_status_says_both(mini_workspace):
    shutil.copy(mini_workspace.course.paths.solution("adder"), adder_path(mini_workspace))

    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_adder(app, pilot)
            assert screen.last_result.passed
            assert "passed before" not in shown(app)
            # The banner says what ] opens next: the lesson's next exercise.
            assert "or go on: the next exercise, greeter (])" in " ".join(shown(app).split())
            passed = screen.last_result
            await pilot.press("x")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_until(pilot, lambda: screen.last_result is not passed)
            await app.workers.wait_for_complete()
            await pilot.pause()
            text = shown(app)
            assert "done (passed before) · your file now fails all 3 checks" in text
            assert "3 checks: 0 passed, 3 failing." in text
            # Home counts it as the header does, and as list and check --all's "done" do.
            while not isinstance(app.screen, HomeScreen):
                await pilot.press("escape")
                await pilot.pause()
            await wait_until(pilot, lambda: "1 of 2 exercises passed" in shown(app))
        assert mini_workspace.state().exercise("adder").passed, "a pass stays a pass"

    run(scenario)


# -- hints name the app's keys ----------------------------------------------------------


def test_hints_written_for_the_terminal_name_the_apps_keys(course_dir, tmp_path):
    yaml = course_dir / "course.yaml"
    yaml.write_text(yaml.read_text().replace(
        "- Look at the operator.",
        "- Run `aisec check adder` and read the first failing message."))
    course = load_course(course_dir)
    ws = Workspace.create(tmp_path / "ws", course, custom_course=True)

    async def scenario():
        app = make_app(ws, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            await open_adder(app, pilot)
            await pilot.press("h")
            await wait_until(pilot, lambda: "Hint 1 of 2" in shown(app))
            text = shown(app)
            assert "Run the checks (press r, or just save the file) and read" in text
            assert "aisec check" not in text

    run(scenario)


# -- the editor -------------------------------------------------------------------------


def test_enter_keeps_the_indentation_and_indents_after_a_colon(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_adder(app, pilot)
            await pilot.press("t")
            editor = screen.query_one("#editor", TextArea)
            editor.load_text("")
            await pilot.press(*"def f(x):", "enter", *"if x:  # odd", "enter", *"y = 1",
                              "enter", *"return y")
            assert editor.text == "def f(x):\n    if x:  # odd\n        y = 1\n        return y"

    run(scenario)


def test_a_save_in_another_editor_keeps_the_cursor_where_it_was(mini_workspace):
    path = adder_path(mini_workspace)
    path.write_text("".join(f"x{n} = {n}\n" for n in range(40)))

    async def scenario():
        app = make_app(mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_adder(app, pilot)
            await pilot.press("t")
            editor = screen.query_one("#editor", TextArea)
            editor.cursor_location = (30, 3)
            path.write_text("# a comment added elsewhere\n"
                            + "".join(f"x{n} = {n}\n" for n in range(40)))
            await wait_until(pilot, lambda: editor.text.startswith("# a comment"))
            assert editor.cursor_location == (30, 3)
            path.write_text("short = 1\n")  # shorter now: the place is clamped to the text
            await wait_until(pilot, lambda: editor.text.startswith("short"))
            assert editor.cursor_location == (1, 0)
            await app.workers.wait_for_complete()

    run(scenario)
