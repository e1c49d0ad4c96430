"""The in-app editor never loses a learner's code.

A file it cannot represent faithfully is shown read-only, unsaved edits are
asked about before quitting, a save never silently reverts a change made in
another editor, and every save keeps the previous version in .aisec/backups/.
Tests wait on conditions, never on fixed sleeps.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tests.pilot import adder_path, run, wait_until
from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.screens.exercise import ExerciseScreen

SIZE = (100, 40)



def make_app(ws: Workspace, watch: bool = True) -> AisecApp:
    return AisecApp(ws.course, ws, poll_interval=0.05, watch_files=watch)



def backups(ws: Workspace) -> list[bytes]:
    folder = ws.root / ".aisec" / "backups"
    return sorted(p.read_bytes() for p in folder.iterdir()) if folder.is_dir() else []


def screen_text(app: AisecApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def notified(app: AisecApp, text: str) -> bool:
    return any(text in n.message for n in app.notices)


def asking(app: AisecApp) -> bool:
    return isinstance(app.screen, ModalScreen)


async def open_editor(app: AisecApp, pilot: Pilot) -> tuple[ExerciseScreen, TextArea]:
    app.open_exercise("adder")
    await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen)
                     and app.screen.last_result is not None)
    screen = app.screen
    assert isinstance(screen, ExerciseScreen)
    await pilot.press("t")
    return screen, screen.query_one("#editor", TextArea)


# -- files the editor cannot represent faithfully -----------------------------------


def test_a_file_that_is_not_utf8_is_read_only_and_ctrl_s_never_writes(mini_workspace):
    ws = mini_workspace
    original = b"# caf\xe9\ndef add(a, b):\n    return a + b\n"
    adder_path(ws).write_bytes(original)

    async def scenario():
        app = make_app(ws, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            _screen, editor = await open_editor(app, pilot)
            editor.load_text("")  # even a buffer emptied behind the editor's back...
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: bool(app.notices))
            assert adder_path(ws).read_bytes() == original, "...is never written"
            assert editor.read_only
            shown = screen_text(app)
            assert "not UTF-8" in shown and "restore the starter with x" in shown
            assert "aisec reset" not in shown, "the TUI words its own way out"
            assert notified(app, "not UTF-8")
        assert adder_path(ws).read_bytes() == original
        assert backups(ws) == []

    run(scenario)


def test_a_file_that_cannot_be_read_is_not_an_empty_editable_buffer(mini_workspace):
    ws = mini_workspace
    adder_path(ws).unlink()
    adder_path(ws).mkdir()  # a folder where the file should be

    async def scenario():
        app = make_app(ws, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            _screen, editor = await open_editor(app, pilot)
            assert editor.read_only
            assert "exercises/demo/adder.py is a folder" in screen_text(app)
            await pilot.press("1", "2", "3")  # typing does not change a read-only editor
            assert editor.text == ""
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: notified(app, "is a folder"))
        assert adder_path(ws).is_dir()

    run(scenario)


def test_a_file_fixed_in_another_editor_becomes_editable(mini_workspace):
    ws = mini_workspace
    adder_path(ws).write_bytes(b"# caf\xe9\n")

    async def scenario():
        app = make_app(ws)
        async with app.run_test(size=SIZE) as pilot:
            _screen, editor = await open_editor(app, pilot)
            assert editor.read_only
            adder_path(ws).write_text("# café\n", encoding="utf-8")
            await wait_until(pilot, lambda: not editor.read_only)
            assert editor.text == "# café\n"
            assert "not UTF-8" not in screen_text(app)

    run(scenario)


# -- quitting with unsaved edits -------------------------------------------------------


def test_ctrl_q_with_unsaved_edits_asks_first(mini_workspace):
    ws = mini_workspace

    async def scenario():
        app = make_app(ws)
        async with app.run_test(size=SIZE) as pilot:
            screen, editor = await open_editor(app, pilot)
            editor.load_text("# half done\n")
            await pilot.press("ctrl+q")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            assert "exercises/demo/adder.py" in screen_text(app)
            await pilot.press("n")
            await wait_until(pilot, lambda: app.screen is screen)
            assert app.is_running and editor.text == "# half done\n"

            app.action_show_help()  # another screen on top still counts
            await wait_until(pilot, lambda: app.screen is not screen)
            await pilot.press("ctrl+q")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("ctrl+q")  # a repeated key does not answer for the learner
            assert isinstance(app.screen, ConfirmScreen) and app.is_running
            await pilot.press("y")
            await wait_until(pilot, lambda: app.return_code is not None)
        assert "half done" not in adder_path(ws).read_text(), "quitting did not save"

    run(scenario)


def test_ctrl_q_without_unsaved_edits_quits_at_once(mini_workspace):
    async def scenario():
        app = make_app(mini_workspace)
        async with app.run_test(size=SIZE) as pilot:
            await open_editor(app, pilot)
            await pilot.press("ctrl+q")
            await wait_until(pilot, lambda: app.return_code is not None)

    run(scenario)


# -- a save from another editor while there are unsaved edits here ----------------------


def test_a_conflicting_save_asks_every_time_and_each_choice_does_what_it_says(mini_workspace):
    ws = mini_workspace
    path = adder_path(ws)

    async def scenario():
        # No file polling: the conflict must be found at save time, not by the watcher.
        app = make_app(ws, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            screen, editor = await open_editor(app, pilot)
            editor.load_text("# mine 1\n")
            path.write_text("# theirs 1\n")

            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: asking(app))
            assert path.read_text() == "# theirs 1\n", "nothing is overwritten before asking"
            assert "exercises/demo/adder.py" in screen_text(app)
            await pilot.press("escape")  # cancel
            await wait_until(pilot, lambda: app.screen is screen)
            assert path.read_text() == "# theirs 1\n" and editor.text == "# mine 1\n"

            await pilot.press("ctrl+s")  # the same conflict asks again
            await wait_until(pilot, lambda: asking(app))
            await pilot.press("k")  # keep both: mine saved, theirs backed up
            await wait_until(pilot, lambda: path.read_text() == "# mine 1\n")
            assert b"# theirs 1\n" in backups(ws)
            assert editor.text == "# mine 1\n"

            editor.load_text("# mine 2\n")
            path.write_text("# theirs 2\n")  # a second conflict asks again
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: asking(app))
            await pilot.press("r")  # reload: theirs shown, mine backed up
            await wait_until(pilot, lambda: editor.text == "# theirs 2\n")
            assert path.read_text() == "# theirs 2\n"
            assert b"# mine 2\n" in backups(ws)
            assert notified(app, ".aisec/backups/adder-")

            await pilot.press("ctrl+q")  # nothing unsaved now: quits at once
            await wait_until(pilot, lambda: app.return_code is not None)

    run(scenario)


def test_a_change_seen_by_the_watcher_still_asks_at_save_time(mini_workspace):
    ws = mini_workspace
    path = adder_path(ws)

    async def scenario():
        app = make_app(ws)
        async with app.run_test(size=SIZE) as pilot:
            _screen, editor = await open_editor(app, pilot)
            editor.load_text("# mine\n")
            path.write_text("# theirs\n")
            await wait_until(pilot, lambda: notified(app, "changed on disk"))
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: asking(app))
            assert path.read_text() == "# theirs\n"
            await pilot.press("escape")
            await app.workers.wait_for_complete()

    run(scenario)


# -- saves and resets keep the previous version -----------------------------------------


def test_a_save_is_atomic_and_keeps_the_previous_version(mini_workspace):
    ws = mini_workspace
    path = adder_path(ws)
    starter = path.read_bytes()

    async def scenario():
        app = make_app(ws, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            _screen, editor = await open_editor(app, pilot)
            inode = path.stat().st_ino
            editor.load_text("def add(a, b):\n    return a + b\n")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "return a + b" in path.read_text())
            assert path.stat().st_ino != inode, "written to a temp file and renamed into place"
            assert backups(ws) == [starter]
            await pilot.press("ctrl+s")  # nothing changed: no second backup
            await wait_until(pilot, lambda: notified(app, "No changes"))
            assert backups(ws) == [starter]
            await app.workers.wait_for_complete()

    run(scenario)


def test_reset_with_unsaved_edits_backs_up_the_edits_too(mini_workspace):
    ws = mini_workspace
    path = adder_path(ws)

    async def scenario():
        app = make_app(ws, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            screen, editor = await open_editor(app, pilot)
            path.write_text("# saved attempt\n")
            editor.load_text("# unsaved attempt\n")
            screen.set_focus(None)
            await pilot.press("x")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await wait_until(pilot, lambda: "NotImplementedError" in editor.text)
            assert "NotImplementedError" in path.read_text()
            assert {b"# saved attempt\n", b"# unsaved attempt\n"} <= set(backups(ws))
            await app.workers.wait_for_complete()

    run(scenario)


def test_saving_a_symlinked_file_replaces_the_link_not_its_target(mini_workspace, tmp_path):
    ws = mini_workspace
    outside = tmp_path / "outside.py"
    outside.write_text("# outside the workspace\n")
    adder_path(ws).unlink()
    adder_path(ws).symlink_to(outside)

    async def scenario():
        app = make_app(ws, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            screen, editor = await open_editor(app, pilot)
            assert "is a symbolic link to" in screen_text(app)
            editor.load_text("# mine\n")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not adder_path(ws).is_symlink())
            assert adder_path(ws).read_text() == "# mine\n"
            assert "is a symbolic link to" not in screen_text(app)
            editor.load_text("# more\n")
            assert screen.unsaved_file() == "exercises/demo/adder.py"
            await app.workers.wait_for_complete()
        assert outside.read_text() == "# outside the workspace\n"
        assert any(str(outside).encode() in b for b in backups(ws))

    run(scenario)
