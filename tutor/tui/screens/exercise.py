"""An exercise: instructions, live check results on every save, hints, editing,
and the reference solution once it passes.

The in-app editor (t, ctrl+s) never loses a learner's code:

- A file it cannot represent exactly (not UTF-8, unreadable, a folder, missing)
  is shown read-only with a note that says why and how to fix it, and ctrl+s
  never writes over it. We refuse rather than keep the undecodable bytes
  somehow: a learner cannot see or edit such bytes here anyway, and the grader
  could not import the file until it is UTF-8 (see tutor.learner.files).
- A save compares the file on disk with what the editor loaded or last saved.
  If another editor changed it meanwhile, every such save asks: reload from
  disk (the edits here are backed up first), keep both (the disk version is
  backed up and the edits here saved), or cancel. The polling watcher only
  warns early; the check at save time is what protects.
- Every save is atomic and keeps the previous version in .aisec/backups/
  (Workspace.save); a save that changes nothing writes nothing.
- Leaving (escape, [, ]) or quitting (ctrl+q, in tutor.tui.app) with unsaved
  edits asks first; a reset also backs up unsaved edits.
"""

from __future__ import annotations

import ast
import os
import shlex
import subprocess
import threading
from dataclasses import replace
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane, TextArea

from tutor.course.model import Exercise
from tutor.errors import ContentError, TutorError
from tutor.grader.checks import list_checks
from tutor.grader.result import GradeResult
from tutor.learner.files import EditableFile, read_for_editing
from tutor.tui.messages import GradeFinished, GradeStarted
from tutor.tui.screens.confirm import ChoiceScreen, ConfirmScreen
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
    ExerciseScreen #editor-note { height: auto; padding: 0 1; display: none;
                                  background: $warning 25%; color: $text; }
    ExerciseScreen #editor-note.-shown { display: block; }
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
        self._loaded_text = ""  # the editor's text as last loaded or saved
        self._base: bytes | None = None  # the file's bytes on disk at that moment
        self._file: EditableFile | None = None
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
                yield Static("", id="editor-note")
                yield _code_area("", id="editor")
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

    def _read_file(self) -> EditableFile:
        workspace = self.app.workspace
        return read_for_editing(workspace.exercise_path(self.exercise),
                                workspace.display(self.exercise), self.exercise.id)

    def _load_editor(self) -> None:
        """Show the file as it is on disk now; read-only if it cannot be edited here."""
        loaded = self._file = self._read_file()
        editor = self.query_one("#editor", TextArea)
        editor.load_text(loaded.text)
        editor.read_only = not loaded.editable
        self._loaded_text = editor.text  # as the editor holds it (line endings included)
        self._base = loaded.data
        note = loaded.problem
        if note is None and loaded.link_target is not None:
            note = (f"{self.app.workspace.display(self.exercise)} is a symbolic link to "
                    f"{loaded.link_target}. Saving here replaces the link with a regular file "
                    "(the link is recorded in .aisec/backups/); the file it points to is not "
                    "changed.")
        self._show_note(note)

    def _show_note(self, note: str | None) -> None:
        widget = self.query_one("#editor-note", Static)
        widget.update(plain(note or ""))
        widget.set_class(note is not None, "-shown")

    def on_mount(self) -> None:
        self._load_editor()
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
        if not self._unsaved():  # no unsaved edits here: follow the file
            self._load_editor()
        else:
            self.notify(f"{self.app.workspace.display(self.exercise)} changed on disk while "
                        "you have unsaved edits in the editor tab. ctrl+s there will ask "
                        "whether to keep both versions or reload.", severity="warning",
                        timeout=8, markup=False)
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
        display = self.app.workspace.display(self.exercise)
        if self._file is not None and self._file.problem is not None:
            # Never write over a file the editor could not show exactly.
            self.notify(f"Not saved. {self._file.problem}", severity="error", timeout=12,
                        markup=False)
            return
        on_disk = self._read_file().data
        changed_on_disk = on_disk is not None and on_disk != self._base
        if not self._unsaved():
            if changed_on_disk:
                self._load_editor()
                self.notify(f"No changes to save here. {display} changed on disk, so the "
                            "editor now shows that version.", markup=False)
            else:
                self.notify("No changes to save.", markup=False)
            return
        text = self.query_one("#editor", TextArea).text
        if changed_on_disk and on_disk == text.encode("utf-8", errors="surrogatepass"):
            # The other editor saved exactly this text: nothing to overwrite, nothing to ask.
            self._loaded_text, self._base = text, on_disk
            self._detector.acknowledge()
            self.notify(f"{display} already holds exactly this text.", markup=False)
            return
        if changed_on_disk:
            self._ask_about_conflict()
            return
        self._write("Saved {file}.{backup} Running the checks…",
                    " The previous version is in {path}.")

    def _write(self, done: str, backed_up: str) -> None:
        """Save the editor's text; ``done``/``backed_up`` word the notice."""
        workspace, display = self.app.workspace, self.app.workspace.display(self.exercise)
        text = self.query_one("#editor", TextArea).text
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            line = text.count("\n", 0, exc.start) + 1
            self.notify(f"Not saved: line {line} has a character that cannot be saved as "
                        "UTF-8 (a lone surrogate). Delete it and save again.", severity="error",
                        timeout=10, markup=False)
            return
        try:
            backup = workspace.save(self.exercise, data)
        except TutorError as exc:
            self.notify(f"Not saved. {exc}", severity="error", timeout=12, markup=False)
            return
        except OSError as exc:
            self.notify(f"Could not save {display}: {exc.strerror or exc}. Your edits are "
                        "still here.", severity="error", timeout=10, markup=False)
            return
        self._loaded_text, self._base = text, data
        self._detector.acknowledge()
        if self._file is not None and self._file.link_target is not None:
            self._file = replace(self._file, link_target=None)
            self._show_note(None)  # the link is now a regular file
        where = backed_up.format(path=workspace.paths.display(backup)) if backup else ""
        self.notify(done.format(file=display, backup=where), markup=False, timeout=6)
        self.run_checks()

    def _ask_about_conflict(self) -> None:
        display = self.app.workspace.display(self.exercise)

        def answered(choice: str | None) -> None:
            if choice == "keep":
                self._write("Saved your edits to {file}.{backup} Running the checks…",
                            " The version that was on disk is in {path}.")
            elif choice == "reload":
                self._reload_discarding_edits()
            else:
                self.notify("Nothing was saved; your edits are still here. ctrl+s asks again.",
                            markup=False)

        self.app.push_screen(ChoiceScreen(
            f"{display} was changed on disk (in another editor?) since the editor here loaded "
            "or saved it, and you have unsaved edits here. Saving now would overwrite that "
            "change.\n\n"
            "• Reload: show the version on disk; your edits here are backed up first.\n"
            "• Keep both: save your edits; the version on disk is backed up first.\n"
            "• Cancel: change nothing.\n\n"
            "Backups go to .aisec/backups/.",
            [("reload", "Reload", "r"), ("keep", "Keep both", "k"),
             ("cancel", "Cancel", "escape")], focus="cancel"), answered)

    def _reload_discarding_edits(self) -> None:
        workspace = self.app.workspace
        edits = self.query_one("#editor", TextArea).text
        try:
            backup = workspace.backup_text(self.exercise, edits)
        except (OSError, TutorError) as exc:
            why = exc if isinstance(exc, TutorError) else (exc.strerror or exc)
            self.notify(f"Did not reload: your edits could not be backed up ({why}). They are "
                        "still here.", severity="error", timeout=12, markup=False)
            return
        self._load_editor()
        self._detector.acknowledge()
        self.notify(f"Reloaded {workspace.display(self.exercise)} from disk. Your edits from "
                    f"here are in {workspace.paths.display(backup)}.", markup=False, timeout=8)
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
        self.query_one("#mine", TextArea).load_text(self._read_file().text)
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
        workspace = self.app.workspace
        display = workspace.display(self.exercise)
        unsaved = self._unsaved()

        def answered(sure: bool | None) -> None:
            if not sure:
                return
            saved: list[str] = []
            try:
                if unsaved:  # the edits here are not in the file: keep them too
                    edits = workspace.backup_text(self.exercise,
                                                  self.query_one("#editor", TextArea).text)
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
            self._load_editor()
            self._detector.acknowledge()
            self.run_checks()

        edits = " and your unsaved edits here are" if unsaved else " is"
        self.app.push_screen(ConfirmScreen(
            f"Reset {display} to the starter? Your current file{edits} backed up in "
            ".aisec/backups/ first.", yes="Reset"), answered)

    def action_ask(self) -> None:
        self.app.open_ask(self.exercise.lesson_id, self.exercise.id)

    def _unsaved(self) -> bool:
        if self._file is None or self._file.problem is not None:
            return False  # not loaded yet, or read-only: nothing here could be saved anyway
        try:
            return self.query_one("#editor", TextArea).text != self._loaded_text
        except NoMatches:  # not composed (yet, or any more)
            return False

    def unsaved_file(self) -> str | None:
        """The file with unsaved edits here, if any (the app asks before quitting)."""
        return self.app.workspace.display(self.exercise) if self._unsaved() else None

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
