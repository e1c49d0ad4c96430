"""An exercise: instructions, live check results on every save, hints, editing,
and the reference solution once it passes.

Grading runs in a thread worker (the TUI's one pattern: a ``@work`` method posts
typed messages back to the screen); a newer run cancels a stale one, which kills
its grader. The in-app editor is :class:`tutor.tui.widgets.editor.ExerciseEditor`.
Leaving (escape, [, ]) or quitting (ctrl+q, in tutor.tui.app) with unsaved edits
asks first; a reset also backs up unsaved edits.
"""

from __future__ import annotations

import ast
import os
import shlex
import subprocess
import threading
from collections.abc import Callable
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane, TextArea

from tutor.course.model import Exercise
from tutor.errors import ContentError, TutorError
from tutor.grader.checks import list_checks
from tutor.grader.result import GradeResult
from tutor.learner.saves import SaveDetector
from tutor.learner.state import ExerciseProgress, Snapshot
from tutor.tui.messages import GradeFinished, GradeStarted
from tutor.tui.navigation import Stop
from tutor.tui.screens.base import AisecScreen
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.text import plain, state_label
from tutor.tui.widgets.check_list import CheckList
from tutor.tui.widgets.editor import ExerciseEditor, code_area


class ExerciseScreen(AisecScreen[None]):
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
    ExerciseScreen ExerciseEditor { height: 1fr; }
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
            yield Static(plain(f"{self.workspace.display(ex)} · about {ex.minutes} min · "
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
                yield ExerciseEditor(self.workspace, ex)
            with TabPane("Solution", id="solution-pane"), Horizontal():
                with Vertical():
                    yield Static("Your code", classes="pane-label")
                    yield code_area("", read_only=True, id="mine")
                with Vertical():
                    yield Static("Reference solution", classes="pane-label")
                    yield code_area("", read_only=True, id="reference")
        yield Footer()

    def _instructions(self) -> str:
        starter = self.app.course.paths.starter(self.exercise.file)
        try:
            doc = ast.get_docstring(ast.parse(starter.read_bytes()))
        except (OSError, SyntaxError, ValueError):
            doc = None
        return doc or "The instructions are at the top of the exercise file."

    @property
    def editor(self) -> ExerciseEditor:
        return self.query_one(ExerciseEditor)

    def on_mount(self) -> None:
        # Continue (home, and after a restart) brings the learner back here.
        self.app.remember_place("exercise", self.exercise.id)
        self.editor.load()
        state = self.workspace.state()
        self._refresh_status(state)
        self._refresh_hints(state)
        self._refresh_solution(state)
        path = self.workspace.exercise_path(self.exercise)
        self._detector = SaveDetector(path, self._on_saved)
        if self.app.watch_files:
            self.set_interval(self.app.poll_interval, self._detector.poll)
        self.run_checks()

    def on_unmount(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    # -- grading ---------------------------------------------------------------

    def _on_saved(self) -> None:
        if not self.editor.unsaved():  # no unsaved edits here: follow the file
            self.editor.load()
        else:
            self.notify(f"{self.workspace.display(self.exercise)} changed on disk while "
                        "you have unsaved edits in the editor tab. ctrl+s there will ask "
                        "whether to keep both versions or reload.", severity="warning",
                        timeout=8, markup=False)
        self.run_checks()

    def run_checks(self, asked: bool = False) -> None:
        """Grade in a worker; a newer run cancels (and kills) a stale one.

        ``asked``: the learner asked for this run (r), so it counts as an attempt even
        if the file did not change (see Workspace.check).
        """
        if self._cancel is not None:
            self._cancel.set()
        self._run += 1
        self._cancel = threading.Event()
        self.post_message(GradeStarted(self.exercise.id, self._run))
        self._grade(self._run, self._cancel, asked)

    @work(thread=True, exclusive=True, group="grade", exit_on_error=False)
    def _grade(self, run: int, cancel: threading.Event, asked: bool) -> None:
        workspace = self.workspace
        try:
            checked = workspace.check(self.exercise, cancel=cancel, asked=asked)
            result, state = checked.result, checked.state
        except ContentError as exc:
            result, state = GradeResult(self.exercise.id, "error", message=(
                f"The hidden checks could not be loaded (a course problem, not yours): {exc}")
            ), workspace.state()
        if not cancel.is_set():
            self.post_message(GradeFinished(self.exercise.id, run, result, state))

    @on(GradeStarted)
    def _started(self, event: GradeStarted) -> None:
        self.query_one(CheckList).show_running()

    @on(GradeFinished)
    def _finished(self, event: GradeFinished) -> None:
        if event.run != self._run:
            return  # a stale run: a newer one is on its way
        self.last_result = event.result
        self.query_one(CheckList).show_result(event.result)
        self._refresh_status(event.state)
        self._refresh_hints(event.state)
        banner = self.query_one("#banner", Static)
        if event.result.passed:
            total = event.result.counts()[1]
            banner.update(plain(
                f"★ All {total} checks passed! ★  Well done. Compare with the reference "
                "solution (s), or go on to the next exercise (])."))
            banner.add_class("-shown")
            self._refresh_solution(event.state)
        else:
            banner.remove_class("-shown")

    def action_run_checks(self) -> None:
        self.query_one(TabbedContent).active = "checks-pane"
        self.run_checks(asked=True)

    def _progress(self, state: Snapshot) -> ExerciseProgress:
        return state.exercise(self.exercise.id)

    def _refresh_status(self, state: Snapshot) -> None:
        status = self._progress(state)
        parts = [state_label(status.state),
                 plain(f" · {status.attempts} attempt{'s' if status.attempts != 1 else ''}"
                       f" · {status.hints_revealed}/{len(self.exercise.hints)} hints")]
        if status.solution_viewed:
            parts.append(plain(" · solution viewed"))
        self.query_one("#status", Static).update(Content.assemble(*parts))

    # -- hints -----------------------------------------------------------------

    def _refresh_hints(self, state: Snapshot) -> None:
        revealed = min(self._progress(state).hints_revealed, len(self.exercise.hints))
        hints = self.query_one("#hints", VerticalScroll)
        hints.remove_children()
        widgets = []
        for number, hint in enumerate(self.exercise.hints[:revealed], 1):
            widgets.append(Static(plain(f"Hint {number} of {len(self.exercise.hints)}"),
                                  classes="hint-title"))
            widgets.append(Static(plain(hint), classes="hint"))
        widgets.append(Static(plain(self._hints_next(state, revealed)), classes="meta"))
        hints.mount_all(widgets)

    def _hints_next(self, state: Snapshot, revealed: int) -> str:
        """What the learner can do next from the Hints tab."""
        remaining = len(self.exercise.hints) - revealed
        if self._progress(state).passed:
            return ("Passed: compare your code with the reference solution (s)."
                    + (f" {remaining} hint(s) unread (h)." if remaining else ""))
        if remaining:
            return (f"Press h to reveal the next hint ({remaining} left). Hints are recorded "
                    "in your progress.")
        return ("That was the last hint. The reference solution is one key away (s), but try "
                "once more first.")

    def action_hint(self) -> None:
        revealed = self.workspace.reveal_hint(self.exercise)
        self._refresh_hints(revealed.state)
        self._refresh_status(revealed.state)
        self.query_one(TabbedContent).active = "hints-pane"
        if not revealed.new:
            self.notify("No more hints for this exercise.")

    # -- editing ---------------------------------------------------------------

    def action_edit_here(self) -> None:
        self.query_one(TabbedContent).active = "editor-pane"
        self.query_one("#editor", TextArea).focus()

    def action_save(self) -> None:
        self.editor.save()

    @on(ExerciseEditor.Synced)
    def _synced(self, event: ExerciseEditor.Synced) -> None:
        self._detector.acknowledge()  # our own write is not a save to react to
        if event.changed:
            self.run_checks()

    def action_open_editor(self) -> None:
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        path = self.workspace.exercise_path(self.exercise)
        if not command:
            self.notify("No editor is set. Set $EDITOR (for example: export EDITOR=nano), open "
                        f"{self.workspace.display(self.exercise)} in any editor yourself, "
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

    def _refresh_solution(self, state: Snapshot) -> None:
        workspace = self.workspace
        status = self._progress(state)
        if not status.passed and not status.solution_viewed:
            return
        solution = workspace.paths.solution(self.exercise.file)
        try:
            reference = solution.read_text(encoding="utf-8")
        except OSError:
            reference = self.app.course.paths.solution(self.exercise.id).read_text("utf-8")
        self.query_one("#mine", TextArea).load_text(self.editor.read_file().text)
        self.query_one("#reference", TextArea).load_text(reference)

    def action_solution(self) -> None:
        workspace = self.workspace
        if workspace.state().exercise(self.exercise.id).passed:
            self._show_solution(workspace.view_solution(self.exercise, force=False).state)
            return

        def answered(sure: bool | None) -> None:
            if sure:
                self._show_solution(workspace.view_solution(self.exercise, force=True).state)

        self.app.push_screen(ConfirmScreen(
            "This exercise has not passed yet. Show the reference solution anyway? Your "
            "progress will record that you looked.", yes="Show it"), answered)

    def _show_solution(self, state: Snapshot) -> None:
        self._refresh_solution(state)
        self._refresh_status(state)
        self.query_one(TabbedContent).active = "solution-pane"

    def action_reset(self) -> None:
        workspace = self.workspace
        display = workspace.display(self.exercise)
        unsaved = self.editor.unsaved()

        def answered(sure: bool | None) -> None:
            if not sure:
                return
            saved: list[str] = []
            try:
                if unsaved:  # the edits here are not in the file: keep them too
                    edits = workspace.backup_text(self.exercise, self.editor.text)
                    saved.append(f"your unsaved edits in {workspace.paths.display(edits)}")
                backup = workspace.reset(self.exercise)
            except (OSError, TutorError) as exc:
                why = exc if isinstance(exc, TutorError) else (exc.strerror or exc)
                self.notify(f"Could not reset: {why}", severity="error", timeout=12,
                            markup=False)
                return
            if backup:
                saved.insert(0, f"your version in {workspace.paths.display(backup)}")
            where = f" Saved {' and '.join(saved)}." if saved else ""
            self.notify(f"Restored the starter.{where}", markup=False, timeout=8)
            self.editor.load()
            self._detector.acknowledge()
            self.run_checks()

        edits = " and your unsaved edits here are" if unsaved else " is"
        self.app.push_screen(ConfirmScreen(
            f"Reset {display} to the starter? Your current file{edits} backed up in "
            ".aisec/backups/ first.", yes="Reset"), answered)

    def action_ask(self) -> None:
        self.app.open_ask(self.exercise.lesson_id, self.exercise.id)

    def unsaved_file(self) -> str | None:
        """The file with unsaved edits here, if any (the app asks before quitting)."""
        return self.workspace.display(self.exercise) if self.editor.unsaved() else None

    def _leave(self, go: Callable[[], object]) -> None:
        """Run ``go`` now, or after confirming that unsaved edits may be dropped."""
        if not self.editor.unsaved():
            go()
            return

        def answered(sure: bool | None) -> None:
            if sure:
                go()

        self.app.push_screen(ConfirmScreen(
            "You have unsaved edits in the editor tab. Leave without saving them?",
            yes="Leave"), answered)

    def action_back(self) -> None:
        self._leave(self.app.pop_screen)

    def action_neighbour(self, step: int) -> None:
        self._leave(partial(self._go_neighbour, step))

    def _go_neighbour(self, step: int) -> None:
        ex = self.exercise
        self.app.step(Stop("exercise", ex.id, ex.lesson_id), step)
