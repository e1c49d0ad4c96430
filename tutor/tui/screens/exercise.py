"""An exercise: instructions, live check results on every save, hints, editing,
and the reference solution once it passes.

Grading runs in a thread worker (the TUI's one pattern: a ``@work`` method posts
typed messages back to the screen); a newer run cancels a stale one, which kills
its grader. The in-app editor is :class:`tutor.tui.widgets.editor.ExerciseEditor`.
Leaving (escape, [, ]) or quitting (ctrl+q, in tutor.tui.app) with unsaved edits
asks first; a reset also backs up unsaved edits.

Keys: 1-5 (and c) switch tabs without re-running anything, PageDown/PageUp scroll
the tab shown, and a save's verdict brings the Checks tab forward. While the
learner types in the editor, letter keys type; the footer then hides them.
"""

from __future__ import annotations

import ast
import os
import shlex
import subprocess
import threading
from collections.abc import Callable
from functools import partial

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane, TextArea

from tutor.course.model import Exercise
from tutor.errors import ContentError
from tutor.grader.checks import list_checks
from tutor.grader.result import GradeResult
from tutor.labs.sample import lab_sample
from tutor.learner.state import ExerciseProgress, Snapshot
from tutor.tui.messages import GradeFinished, GradeStarted
from tutor.tui.navigation import Stop, what_follows
from tutor.tui.remedies import mentions_cli
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.screens.watching import SaveWatchingScreen
from tutor.tui.text import plain
from tutor.tui.widgets.check_list import CheckList
from tutor.tui.widgets.compare import SolutionView
from tutor.tui.widgets.editor import ExerciseEditor
from tutor.tui.widgets.hints import HintList
from tutor.tui.widgets.status import status_line

# The tabs, in order: 1-5 switch to them (the tab bar shows the numbers).
TABS = (("checks-pane", "Checks"), ("instructions-pane", "Instructions"),
        ("hints-pane", "Hints"), ("editor-pane", "Editor"), ("solution-pane", "Solution"))
# Actions on plain letter keys: while the learner types in the editor those keys type,
# so the footer does not offer them then.
LETTER_ACTIONS = {"run_checks", "hint", "open_editor", "edit_here", "solution", "reset",
                  "ask", "show_tab", "neighbour"}
IN_APP_NOTE = ("In this app the checks run every time you save (r runs them again) and the "
               "Checks tab (1) shows the results; the aisec commands below are for a "
               "terminal.\n\n")


class ExerciseScreen(SaveWatchingScreen):
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
    ExerciseScreen ExerciseEditor { height: 1fr; }
    """
    # The footer shows the keys of the first hour and fits 80 columns; the rest are in
    # the help screen (f1).
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "run_checks", "Check"),
        Binding("h", "hint", "Hint"),
        Binding("t", "edit_here", "Edit"),
        Binding("ctrl+s", "save", "Save"),
        Binding("s", "solution", "Solution"),
        Binding("c", "show_tab('checks-pane')", "Checks tab", show=False),
        *(Binding(str(n), f"show_tab('{pane}')", f"{title} tab", show=False)
          for n, (pane, title) in enumerate(TABS, 1)),
        Binding("pagedown", "page(1)", "Scroll down", show=False),
        Binding("pageup", "page(-1)", "Scroll up", show=False),
        Binding("o", "open_editor", "Open in $EDITOR", show=False),
        Binding("x", "reset", "Reset", show=False),
        Binding("a", "ask", "Ask AI", show=False),
        Binding("right_square_bracket", "neighbour(1)", "Next", show=False),
        Binding("left_square_bracket", "neighbour(-1)", "Previous", show=False),
    ]

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.exercise = exercise
        self.sub_title = exercise.title
        self._run = 0
        self._cancel: threading.Event | None = None
        self._after_save = 0  # the run a save started: its result shows the Checks tab
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
        titles = [Content.assemble((f"{n}", "$text-muted"), " ", title)
                  for n, (_pane, title) in enumerate(TABS, 1)]
        with TabbedContent(initial="checks-pane"):
            with TabPane(titles[0], id="checks-pane"), VerticalScroll():
                yield CheckList([c.title for c in checks], id="checks")
            with TabPane(titles[1], id="instructions-pane"), VerticalScroll():
                yield Static(plain(self._instructions()), classes="instructions")
            with TabPane(titles[2], id="hints-pane"):
                yield HintList(id="hints")
            with TabPane(titles[3], id="editor-pane"):
                yield ExerciseEditor(self.workspace, ex)
            with TabPane(titles[4], id="solution-pane"):
                yield SolutionView()
        yield Footer(compact=True)

    def _instructions(self) -> str:
        starter = self.app.course.paths.starter(self.exercise.file)
        try:
            doc = ast.get_docstring(ast.parse(starter.read_bytes()))
        except (OSError, SyntaxError, ValueError):
            doc = None
        if doc is None:
            return "The instructions are at the top of the exercise file."
        return (IN_APP_NOTE + doc if mentions_cli(doc) else doc) + lab_sample(
            self.app.course, self.exercise)

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
        self._detector = self.watch_saves(path, self._on_saved)  # stops when the screen goes
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
        self.run_checks(saved=True)

    def run_checks(self, asked: bool = False, saved: bool = False) -> None:
        """Grade in a worker; a newer run cancels (and kills) a stale one.

        ``asked``: the learner asked for this run (r), so it counts as an attempt even
        if the file did not change (see Workspace.check). ``saved``: a save started it,
        so its result is worth seeing (see :meth:`_show_result_of_save`).
        """
        if self._cancel is not None:
            self._cancel.set()
        self._run += 1
        if saved:
            self._after_save = self._run
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
        if event.run == self._after_save:
            self._show_result_of_save()
        banner = self.query_one("#banner", Static)
        if event.result.passed:
            total = event.result.counts()[1]
            here = Stop("exercise", self.exercise.id, self.exercise.lesson_id)
            banner.update(plain(
                f"★ {'The check' if total == 1 else f'All {total} checks'} passed! ★  Well "
                "done. Compare with the reference solution (s), or go on: "
                f"{what_follows(self.app.course, here, self.app.lesson_title)}"
                " (])."))
            banner.add_class("-shown")
            self._refresh_solution(event.state)
        else:
            banner.remove_class("-shown")

    def _show_result_of_save(self) -> None:
        """After a save, show the checks' verdict on it, unless the learner is reading
        instructions or the solution, or typed on after saving (keys would act then)."""
        tabs = self.query_one(TabbedContent)
        if tabs.active in ("editor-pane", "hints-pane") and not self.editor.unsaved():
            self.action_show_tab("checks-pane")

    def action_run_checks(self) -> None:
        self.query_one(TabbedContent).active = "checks-pane"
        self.run_checks(asked=True)

    # -- tabs and keys ---------------------------------------------------------

    def action_show_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        if self.focused is None or not self.focused.is_on_screen:
            self.query_one("Tabs").focus()  # keys keep working once the editor hides

    def action_page(self, step: int) -> None:
        """PageDown/PageUp scroll the tab shown, wherever the focus is (not in an
        editor: there those keys are the editor's own)."""
        pane = self.query_one(TabbedContent).active_pane
        if pane is None:
            return
        for widget in pane.query("VerticalScroll, TextArea"):
            if step > 0:
                widget.scroll_page_down(animate=False)
            else:
                widget.scroll_page_up(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the learner types in the editor, letter keys type: don't offer them.
        return not (action in LETTER_ACTIONS and self._typing())

    def _typing(self) -> bool:
        focused = self.focused
        return isinstance(focused, TextArea) and not focused.read_only

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(SolutionView).fit_width(event.size.width)

    def _progress(self, state: Snapshot) -> ExerciseProgress:
        return state.exercise(self.exercise.id)

    def _refresh_status(self, state: Snapshot) -> None:
        self.query_one("#status", Static).update(status_line(
            self._progress(state), self.last_result, len(self.exercise.hints)))

    # -- hints -----------------------------------------------------------------

    def _refresh_hints(self, state: Snapshot) -> None:
        self.query_one(HintList).show(self.exercise.hints, self._progress(state))

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
            self.run_checks(saved=event.saved)

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
        self.query_one(SolutionView).show(self.editor.read_file().text, reference)

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
        self.editor.reset()

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
