"""The aisec-tutor app: navigation between screens, the command palette, themes.

The engine does the work (course loader, grader, workspace, progress); screens
only present it. Grading runs in thread workers that post typed messages back.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NamedTuple

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.types import IgnoreReturnCallbackType

from tutor.course.lessons import Lesson, LessonSummary, load_lesson, read_summary
from tutor.course.model import Course, Exercise
from tutor.errors import ContentError, TutorError
from tutor.learner.state import LabRecord
from tutor.learner.workspace import Workspace
from tutor.text.safe import safe_text
from tutor.tui.navigation import Stop, end_message, neighbour
from tutor.tui.themes import DARK, LIGHT, app_themes

WARM_GRADER_AFTER_S = 1.0  # start the warm grader once the first screen is drawn


class Jump(NamedTuple):
    """One palette entry: what it shows, and every name a learner may type to find it."""

    text: str
    help: str
    names: tuple[str, ...]  # the id (what commands and hints use), the lesson's title
    command: IgnoreReturnCallbackType


class JumpProvider(Provider):
    """Command palette entries for every lesson and exercise, by title, id or lesson."""

    def _targets(self) -> list[Jump]:
        app = self.app
        assert isinstance(app, AisecApp)
        if app.workspace is None:
            return []
        targets: list[Jump] = []
        state = app.workspace.state()  # once: the palette searches on every keystroke
        for entry in app.course.lessons:
            title = app.lesson_summary(entry.id).title
            targets.append(Jump(f"Lesson: {title}", f"{entry.id} · open the lesson",
                                (entry.id,), partial(app.open_lesson, entry.id)))
            for ex in entry.exercises:
                targets.append(Jump(_jump_text(ex), _jump_help(ex, state.exercise(ex.id).lab),
                                    (ex.id, ex.file, title), partial(app.open_exercise, ex.id)))
        return targets

    async def discover(self) -> Hits:
        for jump in self._targets():
            yield DiscoveryHit(jump.text, jump.command, text=jump.text, help=jump.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for jump in self._targets():
            by_text = matcher.match(jump.text)
            # An id such as parse_host or mask_secret is what commands and hints name.
            by_name = max((matcher.match(name) for name in jump.names), default=0)
            if by_text > 0 or by_name > 0:
                shown = matcher.highlight(jump.text) if by_text >= by_name else jump.text
                yield Hit(max(by_text, by_name), shown, jump.command,
                          text=jump.text, help=jump.help)


def _jump_text(ex: Exercise) -> str:
    """"Exercise: title"; a lab's title already says "Lab: ..."."""
    if ex.lab is not None:
        return ex.title if ex.title.startswith("Lab:") else f"Lab: {ex.title}"
    return f"Exercise: {ex.title}"


def _jump_help(ex: Exercise, lab: LabRecord | None) -> str:
    """The id and file; for a lab graded before, its last two scores."""
    scores = f" · {lab.summary()}" if lab is not None else ""
    return f"{ex.id} · exercises/{ex.file}{scores}"


class Notice(NamedTuple):
    """A notification as the learner saw it (kept so that what was said can be looked up)."""

    message: str
    title: str
    severity: str


class AisecApp(App[None]):
    TITLE = "aisec-tutor"
    COMMANDS = App.COMMANDS | {JumpProvider}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1,question_mark", "show_help", "Help"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),  # in help and the palette
    ]

    def __init__(self, course: Course, workspace: Workspace | None, *,
                 poll_interval: float = 0.25, watch_files: bool = True) -> None:
        super().__init__()
        self.course = course
        self.workspace = workspace
        self.poll_interval = poll_interval
        self.watch_files = watch_files  # tests switch save detection off and save explicitly
        self._lessons: dict[str, Lesson] = {}
        self._summaries: dict[str, LessonSummary] = {}
        self._index_read = False  # the course index is read once, at the first summary
        self._asking_to_quit = False
        self.notices: list[Notice] = []  # every notification shown, in order, as shown
        self.progress_warnings: list[str] = []  # shown in the app, printed again on exit
        for theme in app_themes():  # the built-in two, with readable text colours
            self.register_theme(theme)
        self.theme = DARK
        # App.__init__ built the stylesheet's variables from the built-in dark theme
        # before ours replaced it; setting the same name again does not rebuild them.
        self.stylesheet.set_variables(self.get_css_variables())
        # How long a lesson was on screen is measured with this clock (tests inject one).
        self.clock: Callable[[], float] = time.monotonic

    # -- start-up ----------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        # The first screen is the real one, not a blank default: one less screen to
        # compose and render before the first frame.
        if self.workspace is None:
            from tutor.tui.screens.welcome import WelcomeScreen

            return WelcomeScreen()
        from tutor.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self._apply_saved_theme()
        if self.workspace is not None:
            self.workspace.state()  # reading the progress is what finds a bad file
        self._report_new_progress_warnings()
        # A warning can also arise later (the file damaged while the app runs): the store
        # keeps it until taken, and this shows it within a second.
        self.set_interval(1, self._report_new_progress_warnings)
        # What start-up made (modules, the course, home: about 54,000 objects) lives as long
        # as the app: freeze it out of the collector, or every full collection walks it
        # again, at moments such as the middle of opening a lesson.
        self.call_after_refresh(gc.freeze)
        if self.watch_files and self.workspace is not None:
            # After the first frames: a warm grader makes every save's verdict quick.
            self.set_timer(WARM_GRADER_AFTER_S, self._keep_grader_warm)

    def release_left_screen(self) -> None:
        """After a screen has gone: let go of its widgets (see tutor.tui.watchers)."""
        from tutor.tui.watchers import forget_closed_watchers, forget_render_caches

        forget_closed_watchers([self, *(node for screen in self.screen_stack
                                         for node in screen.walk_children(with_self=True))])
        forget_render_caches()
        # The screen's widgets are garbage in reference cycles: collect them once the
        # screen below is drawn, rather than in the middle of the next screen's opening.
        self.call_after_refresh(gc.collect)

    def _keep_grader_warm(self) -> None:
        from tutor.grader.runner import keep_warm

        keep_warm(1, self.course.paths.checks,
                  cache_dir=self.workspace.paths.cache if self.workspace is not None else None)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        # Notifications quote file names, exception texts and server answers: show
        # any control or bidi character in them instead of letting it act.
        message, title = safe_text(message), safe_text(title)
        self.notices.append(Notice(message, title, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_unmount(self) -> None:
        # Quitting mid-run: stop every grading now, with everything it started,
        # rather than let Python wait for the worker threads at exit. Never imported:
        # nothing was graded, and importing the grader only to quit costs time.
        runner = sys.modules.get("tutor.grader.runner")
        if runner is not None:
            runner.stop_all()

    def _report_new_progress_warnings(self) -> None:
        if self.workspace is None:
            return
        for warning in self.workspace.progress.take_warnings():
            self.progress_warnings.append(warning)
            self.notify(warning, severity="warning", timeout=30, markup=False)

    def create_workspace(self, path: Path) -> None:
        """Called by the welcome screen; raises TutorError/OSError with a message."""
        from tutor.tui.screens.home import HomeScreen

        self.workspace = Workspace.create(path, self.course, custom_course=False)
        self.notify(f"Created your workspace in {self.workspace.root}. Edit the files in its "
                    "exercises/ folder with any editor.", markup=False, timeout=8)
        # The welcome screen is the bottom of the stack; home goes on top and stays there.
        self.push_screen(HomeScreen())

    async def action_quit(self) -> None:
        """Quit at once, unless a screen holds unsaved edits: then ask first."""
        unsaved = [name for screen in self.screen_stack
                   if (name := getattr(screen, "unsaved_file", lambda: None)())]
        if not unsaved:
            self.exit()
            return
        if self._asking_to_quit:
            return  # a repeated ctrl+q (key repeat) must not answer the question
        from tutor.tui.screens.confirm import ConfirmScreen

        def answered(sure: bool | None) -> None:
            self._asking_to_quit = False
            if sure:
                self.exit()

        self._asking_to_quit = True
        self.push_screen(ConfirmScreen(
            f"You have unsaved edits to {', '.join(unsaved)} in the editor tab. Quit without "
            "saving them? (To keep them: Keep editing, then ctrl+s.)",
            yes="Quit without saving", no="Keep editing", destructive=True), answered)

    # -- content -------------------------------------------------------------------

    def lesson(self, lesson_id: str) -> Lesson:
        if lesson_id not in self._lessons:
            entry = self.course.lesson(lesson_id)
            self._lessons[lesson_id] = load_lesson(self.course.root / entry.file, entry.id)
        return self._lessons[lesson_id]

    def lesson_title(self, lesson_id: str) -> str:
        return self.lesson_summary(lesson_id).title

    def lesson_summary(self, lesson_id: str) -> LessonSummary:
        """Title, quiz count and objectives, without parsing the lesson's Markdown: from
        the workspace's course index when it is up to date, else from its front matter."""
        if not self._index_read and self.workspace is not None:
            from tutor.learner.course_index import cached_index

            self._index_read = True
            index = cached_index(self.course, self.workspace.paths.cache)
            self._summaries.update(index.lessons if index is not None else {})
        if lesson_id not in self._summaries:
            path = self.course.root / self.course.lesson(lesson_id).file
            try:
                self._summaries[lesson_id] = read_summary(path)
            except ContentError:
                self._summaries[lesson_id] = LessonSummary(
                    f"{lesson_id} (this lesson's file has a problem)", 0, 0)
        return self._summaries[lesson_id]

    # -- navigation ----------------------------------------------------------------

    def _show(self, screen: Screen[None], replace: bool) -> None:
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_lesson(self, lesson_id: str, replace: bool = False, scroll: int = 0) -> bool:
        """Show a lesson (``scroll`` lines down); False if its file cannot be shown."""
        from tutor.tui.screens.lesson import LessonScreen

        try:
            lesson = self.lesson(lesson_id)
        except ContentError as exc:
            self.notify(f"This lesson cannot be shown: {exc}", severity="error", markup=False)
            return False
        self._show(LessonScreen(lesson, scroll=scroll), replace)
        return True

    def open_exercise(self, exercise_id: str, replace: bool = False) -> None:
        from tutor.tui.screens.exercise import ExerciseScreen

        self._show(ExerciseScreen(self.course.exercise(exercise_id)), replace)

    def remember_place(self, screen: str, place_id: str, scroll: int = 0) -> None:
        """Keep where the learner is, for Continue. A progress file that cannot be
        written costs only that: say so, and carry on."""
        if self.workspace is None:
            return
        try:
            self.workspace.record_place(screen, place_id, scroll)
        except OSError as exc:
            where = self.workspace.paths.progress.relative_to(self.workspace.root)
            self.notify(f"Could not save where you are in {where}: "
                        f"{exc.strerror or exc}. Continue will not bring you back here.",
                        severity="warning", markup=False)

    def step(self, here: Stop, step: int) -> None:
        """`]` / `[`: the next or previous stop in reading order, keeping the stack
        home → lesson → exercise so that escape goes back one step."""
        target = neighbour(self.course, here, step)
        if target is None:
            self.notify(end_message(step))
        elif target.screen == "exercise":
            self._step_to_exercise(target)
        else:
            self._step_to_lesson(target.id)

    def _below_top(self) -> Screen[object] | None:
        stack = self.screen_stack
        return stack[-2] if len(stack) > 1 else None

    def _step_to_exercise(self, target: Stop) -> None:
        from tutor.tui.screens.lesson import LessonScreen

        if isinstance(self.screen, LessonScreen):
            other = self.screen.lesson.id != target.lesson_id  # [ from a lesson's text
            if other and not self.open_lesson(target.lesson_id, replace=True):
                return
            self.open_exercise(target.id)  # on top of its lesson
        else:
            self.open_exercise(target.id, replace=True)

    def _step_to_lesson(self, lesson_id: str) -> None:
        from tutor.tui.screens.exercise import ExerciseScreen
        from tutor.tui.screens.lesson import LessonScreen

        below = self._below_top()
        if isinstance(self.screen, ExerciseScreen) and isinstance(below, LessonScreen):
            if below.lesson.id == lesson_id:
                self.pop_screen()  # back to the lesson the exercise was opened from
                return
            self.pop_screen()
        self.open_lesson(lesson_id, replace=True)

    def action_show_progress(self) -> None:
        from tutor.tui.screens.progress import ProgressScreen

        if self.workspace is not None:
            self.push_screen(ProgressScreen())

    def action_show_doctor(self) -> None:
        from tutor.tui.screens.doctor import DoctorScreen

        self.push_screen(DoctorScreen())

    def action_show_facilitator(self) -> None:
        from tutor.tui.screens.facilitator import FacilitatorScreen

        self.push_screen(FacilitatorScreen())

    def open_ask(self, lesson_id: str | None, exercise_id: str | None = None) -> None:
        from tutor.tui.screens.ask import AskScreen

        self.push_screen(AskScreen(lesson_id, exercise_id))

    def action_show_help(self) -> None:
        from tutor.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def _apply_saved_theme(self) -> None:
        """Start in the theme the learner chose last time; remember every later change."""
        if self.workspace is not None:
            saved = self.workspace.state().theme
            if saved in self.available_themes:
                self.theme = saved
        self.theme_changed_signal.subscribe(self, self._save_theme)

    def _save_theme(self, theme: Theme) -> None:
        if self.workspace is not None:
            try:
                self.workspace.set_theme(theme.name)
            except (OSError, TutorError) as exc:  # the theme still changes; only not kept
                self.notify(f"Could not save the theme choice: {exc}", severity="warning",
                            markup=False)

    def get_system_commands(self, screen: Screen) -> list[SystemCommand]:
        # Textual's "Keys" shares our name; its "Theme" offers themes not checked for contrast.
        commands = [c for c in super().get_system_commands(screen)
                    if c.title not in ("Keys", "Theme")]
        commands += [
            SystemCommand("Progress", "Status, attempts and hints per exercise",
                          self.action_show_progress),
            SystemCommand("Doctor", "Check Python, the terminal and Ollama, with fixes",
                          self.action_show_doctor),
            SystemCommand("Facilitator: class summary",
                          "Summarise a folder of learners' reports (aisec class)",
                          self.action_show_facilitator),
            SystemCommand("Keys", "Every key binding", self.action_show_help),
            SystemCommand("Toggle light/dark theme", "Switch the colour theme",
                          self.action_toggle_theme),
        ]
        return commands
