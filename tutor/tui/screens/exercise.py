"""An exercise: instructions, live check results on every save, hints, editing,
and the reference solution once it passes."""

from __future__ import annotations

import ast
import os
import shlex
import subprocess
import threading
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane, TextArea

from tutor.course import Exercise
from tutor.errors import ContentError, TutorError
from tutor.grader.checks import list_checks
from tutor.grader.result import GradeResult
from tutor.tui.messages import GradeFinished, GradeStarted
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.text import plain, state_label
from tutor.tui.watcher import SaveDetector
from tutor.tui.widgets.check_list import CheckList


def _code_area(text: str, read_only: bool = False, **kwargs) -> TextArea:
    """A Python editor; plain text where syntax highlighting is unavailable."""
    try:
        return TextArea.code_editor(text, language="python", read_only=read_only, **kwargs)
    except Exception:  # tree-sitter missing or broken: editing still works
        return TextArea.code_editor(text, read_only=read_only, **kwargs)


class ExerciseScreen(Screen[None]):
    DEFAULT_CSS = """
    ExerciseScreen #top { height: auto; padding: 0 1; }
    ExerciseScreen .title { text-style: bold; color: $accent; }
    ExerciseScreen .meta { color: $text-muted; }
    ExerciseScreen #banner { height: auto; padding: 0 1; background: $success 20%;
                             color: $text; display: none; }
    ExerciseScreen #banner.-shown { display: block; }
    ExerciseScreen TabbedContent { height: 1fr; }
    ExerciseScreen VerticalScroll { padding: 0 1; }
    ExerciseScreen .instructions { height: auto; }
    ExerciseScreen .hint { height: auto; margin-bottom: 1; }
    ExerciseScreen .hint-title { text-style: bold; }
    ExerciseScreen #solution-pane Horizontal { height: 1fr; }
    ExerciseScreen #solution-pane Vertical { width: 1fr; }
    ExerciseScreen .pane-label { text-style: bold; height: 1; padding: 0 1; }
    ExerciseScreen #editor { height: 1fr; }
    """
    BINDINGS = [
        ("escape", "back", "Back"),
        ("r", "run_checks", "Run checks"),
        ("h", "hint", "Hint"),
        ("o", "open_editor", "Open in $EDITOR"),
        ("t", "edit_here", "Edit here"),
        ("ctrl+s", "save", "Save"),
        ("s", "solution", "Solution"),
        ("x", "reset", "Reset"),
        ("a", "ask", "Ask AI"),
        ("right_square_bracket", "neighbour(1)", "Next"),
        ("left_square_bracket", "neighbour(-1)", "Previous"),
    ]

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.exercise = exercise
        self.sub_title = exercise.title
        self._run = 0
        self._cancel: threading.Event | None = None
        self._loaded_text = ""
        self.last_result: GradeResult | None = None

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        app, ex = self.app, self.exercise
        course = app.course
        checks = list_checks(course.paths.check_file(ex.id))
        required = [c for c in checks if not c.optional]
        yield Header()
        with Vertical(id="top"):
            yield Static(plain(ex.title), classes="title")
            tags = f" · {', '.join(ex.tags)}" if ex.tags else ""
            yield Static(plain(f"{app.workspace.display(ex)} · about {ex.minutes} min · "
                               f"{len(required)} hidden checks{tags}"), classes="meta")
            yield Static("", id="status", classes="meta")
        yield Static("", id="banner")
        with TabbedContent(initial="checks-pane"):
            with TabPane("Checks", id="checks-pane"), VerticalScroll():
                yield CheckList([c.title for c in checks], id="checks")
            with TabPane("Instructions", id="instructions-pane"), VerticalScroll():
                yield Static(plain(self._instructions()), classes="instructions")
            with TabPane("Hints", id="hints-pane"), VerticalScroll(id="hints"):
                yield Static("")
            with TabPane("Editor", id="editor-pane"):
                yield _code_area(self._read_file(), id="editor")
            with TabPane("Solution", id="solution-pane"), Horizontal():
                with Vertical():
                    yield Static("Your code", classes="pane-label")
                    yield _code_area("", read_only=True, id="mine")
                with Vertical():
                    yield Static("Reference solution", classes="pane-label")
                    yield _code_area("", read_only=True, id="reference")
        yield Footer()

    def _instructions(self) -> str:
        starter = self.app.course.paths.starter(self.exercise.file)
        try:
            doc = ast.get_docstring(ast.parse(starter.read_bytes()))
        except (OSError, SyntaxError, ValueError):
            doc = None
        return doc or "The instructions are at the top of the exercise file."

    def _read_file(self) -> str:
        path = self.app.workspace.exercise_path(self.exercise)
        try:
            self._loaded_text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            self._loaded_text = ""
        return self._loaded_text

    def on_mount(self) -> None:
        self._refresh_status()
        self._refresh_hints()
        self._refresh_solution()
        path = self.app.workspace.exercise_path(self.exercise)
        self._detector = SaveDetector(path, self._on_saved)
        if self.app.watch_files:
            self.set_interval(self.app.poll_interval, self._detector.poll)
        self.run_checks()

    def on_unmount(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    # -- grading ---------------------------------------------------------------

    def _on_saved(self) -> None:
        editor = self.query_one("#editor", TextArea)
        if editor.text == self._loaded_text:  # no unsaved edits here: follow the file
            editor.load_text(self._read_file())
        else:
            self.notify("The file changed on disk while you have unsaved edits in the editor "
                        "tab; saving there will overwrite it.", severity="warning")
        self.run_checks()

    def run_checks(self) -> None:
        """Grade in a worker; a newer run cancels (and kills) a stale one."""
        if self._cancel is not None:
            self._cancel.set()
        self._run += 1
        cancel = threading.Event()
        self._cancel = cancel
        self.post_message(GradeStarted(self.exercise.id, self._run))
        self.run_worker(partial(self._grade, self._run, cancel), thread=True,
                        exclusive=True, group="grade", exit_on_error=False)

    def _grade(self, run: int, cancel: threading.Event) -> None:
        try:
            result = self.app.workspace.check(self.exercise, cancel=cancel)
        except ContentError as exc:
            result = GradeResult(self.exercise.id, "error", message=(
                f"The hidden checks could not be loaded (a course problem, not yours): {exc}"))
        if not cancel.is_set():
            self.post_message(GradeFinished(self.exercise.id, run, result))

    @on(GradeStarted)
    def _started(self, event: GradeStarted) -> None:
        self.query_one(CheckList).show_running()

    @on(GradeFinished)
    def _finished(self, event: GradeFinished) -> None:
        if event.run != self._run:
            return  # a stale run: a newer one is on its way
        self.last_result = event.result
        self.query_one(CheckList).show_result(event.result)
        self._refresh_status()
        banner = self.query_one("#banner", Static)
        if event.result.passed:
            total = event.result.counts()[1]
            banner.update(plain(
                f"★ All {total} checks passed! ★  Well done. Compare with the reference "
                "solution (s), or go on to the next exercise (])."))
            banner.add_class("-shown")
            self._refresh_solution()
        else:
            banner.remove_class("-shown")

    def action_run_checks(self) -> None:
        self.query_one(TabbedContent).active = "checks-pane"
        self.run_checks()

    def _refresh_status(self) -> None:
        status = self.app.workspace.status(self.exercise)
        parts = [state_label(status.state),
                 plain(f" · {status.attempts} check run{'s' if status.attempts != 1 else ''}"
                       f" · {status.hints_revealed}/{len(self.exercise.hints)} hints", )]
        if status.solution_viewed:
            parts.append(plain(" · solution viewed"))
        self.query_one("#status", Static).update(Content.assemble(*parts))

    # -- hints -----------------------------------------------------------------

    def _refresh_hints(self) -> None:
        revealed = self.app.workspace.status(self.exercise).hints_revealed
        hints = self.query_one("#hints", VerticalScroll)
        hints.remove_children()
        widgets = []
        for number, hint in enumerate(self.exercise.hints[:revealed], 1):
            widgets.append(Static(plain(f"Hint {number} of {len(self.exercise.hints)}"),
                                  classes="hint-title"))
            widgets.append(Static(plain(hint), classes="hint"))
        remaining = len(self.exercise.hints) - revealed
        widgets.append(Static(plain(
            f"Press h to reveal the next hint ({remaining} left). Hints are recorded in your "
            "progress." if remaining else "That was the last hint. The reference solution is "
            "one key away (s), but try once more first."), classes="meta"))
        hints.mount_all(widgets)

    def action_hint(self) -> None:
        _count, new = self.app.workspace.reveal_hint(self.exercise)
        self._refresh_hints()
        self._refresh_status()
        self.query_one(TabbedContent).active = "hints-pane"
        if not new:
            self.notify("No more hints for this exercise.")

    # -- editing ---------------------------------------------------------------

    def action_edit_here(self) -> None:
        self.query_one(TabbedContent).active = "editor-pane"
        self.query_one("#editor", TextArea).focus()

    def action_save(self) -> None:
        editor = self.query_one("#editor", TextArea)
        path = self.app.workspace.exercise_path(self.exercise)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(editor.text, encoding="utf-8")
        except OSError as exc:
            self.notify(f"Could not save {path}: {exc.strerror}", severity="error", markup=False)
            return
        self._loaded_text = editor.text
        self._detector.acknowledge()
        self.notify("Saved. Running the checks…")
        self.run_checks()

    def action_open_editor(self) -> None:
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        path = self.app.workspace.exercise_path(self.exercise)
        if not command:
            self.notify("No editor is set. Set $EDITOR (for example: export EDITOR=nano), open "
                        f"{self.app.workspace.display(self.exercise)} in any editor yourself, "
                        "or press t to edit it here.", severity="warning", timeout=8,
                        markup=False)
            return
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(command), str(path)], check=False)
        except Exception as exc:  # no terminal to hand over (web, tests), or a bad $EDITOR
            self.notify(f"Could not start your editor ({command}): {exc}. Press t to edit "
                        "here instead.", severity="error", markup=False)
            return
        self.refresh()
        self._on_saved()

    # -- solution and reset ----------------------------------------------------------

    def _refresh_solution(self) -> None:
        workspace = self.app.workspace
        status = workspace.status(self.exercise)
        if status.state != "passed" and not status.solution_viewed:
            return
        solution = workspace.paths.solution(self.exercise.file)
        try:
            reference = solution.read_text(encoding="utf-8")
        except OSError:
            reference = self.app.course.paths.solution(self.exercise.id).read_text("utf-8")
        self.query_one("#mine", TextArea).load_text(self._read_file())
        self.query_one("#reference", TextArea).load_text(reference)

    def action_solution(self) -> None:
        workspace = self.app.workspace
        if workspace.status(self.exercise).state == "passed":
            workspace.view_solution(self.exercise, force=False)
            self._show_solution()
            return

        def answered(sure: bool | None) -> None:
            if sure:
                workspace.view_solution(self.exercise, force=True)
                self._show_solution()

        self.app.push_screen(ConfirmScreen(
            "This exercise has not passed yet. Show the reference solution anyway? Your "
            "progress will record that you looked.", yes="Show it"), answered)

    def _show_solution(self) -> None:
        self._refresh_solution()
        self._refresh_status()
        self.query_one(TabbedContent).active = "solution-pane"

    def action_reset(self) -> None:
        display = self.app.workspace.display(self.exercise)

        def answered(sure: bool | None) -> None:
            if not sure:
                return
            try:
                backup = self.app.workspace.reset(self.exercise)
            except (OSError, TutorError) as exc:
                self.notify(f"Could not reset: {exc}", severity="error", markup=False)
                return
            where = (f" Your version is saved in {self.app.workspace.paths.display(backup)}."
                     if backup else "")
            self.notify(f"Restored the starter.{where}", markup=False, timeout=8)
            self.query_one("#editor", TextArea).load_text(self._read_file())
            self._detector.acknowledge()
            self.run_checks()

        self.app.push_screen(ConfirmScreen(
            f"Reset {display} to the starter? Your current file is backed up in "
            ".aisec/backups/ first.", yes="Reset"), answered)

    def action_ask(self) -> None:
        self.app.open_ask(self.exercise.lesson_id, self.exercise.id)

    def _unsaved(self) -> bool:
        return self.query_one("#editor", TextArea).text != self._loaded_text

    def _leave(self, go: object) -> None:
        """Run ``go`` now, or after confirming that unsaved edits may be dropped."""
        if not self._unsaved():
            go()  # type: ignore[operator]
            return

        def answered(sure: bool | None) -> None:
            if sure:
                go()  # type: ignore[operator]

        self.app.push_screen(ConfirmScreen(
            "You have unsaved edits in the editor tab. Leave without saving them?",
            yes="Leave"), answered)

    def action_back(self) -> None:
        self._leave(self.app.pop_screen)

    def action_neighbour(self, step: int) -> None:
        self._leave(partial(self._go_neighbour, step))

    def _go_neighbour(self, step: int) -> None:
        exercises = self.app.course.exercises
        index = exercises.index(self.exercise) + step
        if 0 <= index < len(exercises):
            self.app.open_exercise(exercises[index].id, replace=True)
        else:
            self.notify("That was the last exercise." if step > 0 else "This is the first one.")
