"""The dashboard: lessons in order with progress, and a focused Continue."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.lazy import Lazy
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.learner.state import Snapshot
from tutor.tui.screens.base import AisecScreen
from tutor.tui.text import plain


class HomeScreen(AisecScreen[None]):
    DEFAULT_CSS = """
    HomeScreen > Vertical { padding: 0 1; }
    HomeScreen .course-title { text-style: bold; color: $accent; margin-top: 1; }
    HomeScreen #overall { height: 1; margin: 1 0; }
    HomeScreen #continue { margin-bottom: 1; width: auto; max-width: 100%; }
    HomeScreen OptionList { height: 1fr; }
    """
    BINDINGS = [("g", "app.show_progress", "Progress"),
                ("c", "continue_course", "Continue"),
                ("d", "app.show_doctor", "Doctor")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(plain(self.app.course.title), classes="course-title")
            yield Static("", id="overall")
            yield Button("Continue", variant="primary", id="continue")
            yield OptionList(*self._lesson_options(self.workspace.state()), id="lessons")
        # The footer is the costliest widget here; mounting it just after the first frame
        # makes the course appear sooner (see benchmarks/tui_startup.py).
        yield Lazy(Footer())

    _resumed_once = False

    def on_mount(self) -> None:
        self.query_one("#continue", Button).focus()
        self._refresh_summary(self.workspace.state())

    def on_screen_resume(self) -> None:
        # Also sent when the screen first becomes active, right after compose built the
        # list: refresh only on later returns (from a lesson, an exercise...).
        if self._resumed_once:
            self.refresh_progress()
        self._resumed_once = True

    def refresh_progress(self) -> None:
        lessons = self.query_one("#lessons", OptionList)
        highlighted = lessons.highlighted
        state = self.workspace.state()
        lessons.clear_options()
        lessons.add_options(self._lesson_options(state))
        lessons.highlighted = highlighted if highlighted is not None else 0
        self._refresh_summary(state)

    def _lesson_options(self, state: Snapshot) -> list[Option | None]:
        """One option per lesson with its progress; the track's lessons first."""
        app = self.app
        workspace, course = self.workspace, app.course
        options: list[Option | None] = []
        in_track = [e for e in course.lessons if workspace.lesson_in_track(e.id)]
        outside = [e for e in course.lessons if not workspace.lesson_in_track(e.id)]
        for entry in in_track + outside:
            number = course.lessons.index(entry)
            if entry is (outside[0] if outside else None):
                options.append(None)  # a separator before the rest of the course
                options.append(Option(plain("Outside your track (open any on purpose):",
                                            "$text-muted italic"), disabled=True))
            summary = app.lesson_summary(entry.id)
            exercises = (entry.exercises if entry in outside
                         else [ex for ex in entry.exercises if workspace.in_track(ex)])
            done = state.passed(ex.id for ex in exercises)
            parts_style = "$text-muted" if entry in outside else "bold"
            lesson = state.lesson(entry.id)
            answered = len(lesson.quiz)
            parts: list[str | tuple[str, str]] = [(f"{number:>2}. ", "$text-muted"),
                                                   (summary.title, parts_style)]
            if exercises:
                style = "$success" if done == len(exercises) else "$text-muted"
                parts.append((f"   {done}/{len(exercises)} exercises", style))
            if summary.quizzes:
                style = "$success" if answered >= summary.quizzes else "$text-muted"
                parts.append((f" · quiz {answered}/{summary.quizzes}", style))
            if lesson.opened:
                parts.append((" · read", "$text-muted"))
            options.append(Option(Content.assemble(*parts), id=entry.id))
        return options

    def _refresh_summary(self, state: Snapshot) -> None:
        workspace = self.workspace
        track = workspace.track_exercises
        passed_track = state.passed(ex.id for ex in track)
        # A bar drawn with characters: cheaper to start than ProgressBar, and no animation.
        width = 30
        filled = round(width * passed_track / len(track)) if track else 0
        where = f" in the track “{workspace.track.title}”" if workspace.track else ""
        self.query_one("#overall", Static).update(Content.assemble(
            ("━" * filled, "$success"), ("━" * (width - filled), "$panel"),
            f"  {passed_track} of {len(track)} exercises passed{where}"))
        current = workspace.current_exercise(state)
        label = (f"Continue: {current.title}" if current is not None
                 else "Every exercise passed — review your progress")
        self.query_one("#continue", Button).label = plain(label)

    @on(OptionList.OptionSelected, "#lessons")
    def _open_lesson(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_lesson(event.option.id)

    @on(Button.Pressed, "#continue")
    def action_continue_course(self) -> None:
        state = self.workspace.state()
        current = self.workspace.current_exercise(state)
        if current is None:
            self.app.action_show_progress()
            return
        if state.lesson(current.lesson_id).opened:
            self.app.open_exercise(current.id)
        else:
            self.app.open_lesson(current.lesson_id)
