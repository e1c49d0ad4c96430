"""The dashboard: lessons in order with progress, and a focused Continue."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from tutor.tui.messages import ProgressChanged
from tutor.tui.text import plain


class HomeScreen(Screen[None]):
    DEFAULT_CSS = """
    HomeScreen > Vertical { padding: 0 1; }
    HomeScreen .course-title { text-style: bold; color: $accent; margin-top: 1; }
    HomeScreen #overall { height: 1; margin: 1 0; }
    HomeScreen #overall ProgressBar { width: 40; }
    HomeScreen #overall-label { margin-left: 2; width: auto; }
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
            with Horizontal(id="overall"):
                yield ProgressBar(show_eta=False, show_percentage=False, id="bar")
                yield Static("", id="overall-label")
            yield Button("Continue", variant="primary", id="continue")
            yield OptionList(id="lessons")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#continue", Button).focus()

    def on_screen_resume(self) -> None:
        # Also sent when the screen first becomes active: one refresh, on every return.
        self.refresh_progress()

    @on(ProgressChanged)
    def refresh_progress(self) -> None:
        app = self.app
        workspace, course = app.workspace, app.course
        data = workspace.progress.load()
        lessons = self.query_one("#lessons", OptionList)
        highlighted = lessons.highlighted
        lessons.clear_options()
        in_track = [e for e in course.lessons if workspace.lesson_in_track(e.id)]
        outside = [e for e in course.lessons if not workspace.lesson_in_track(e.id)]
        for entry in in_track + outside:
            number = course.lessons.index(entry)
            if entry is (outside[0] if outside else None):
                lessons.add_option(None)  # a separator before the rest of the course
                lessons.add_option(Option(plain("Outside your track (open any on purpose):",
                                                "$text-muted italic"), disabled=True))
            summary = app.lesson_summary(entry.id)
            exercises = (entry.exercises if entry in outside
                         else [ex for ex in entry.exercises if workspace.in_track(ex)])
            done = sum(workspace.status(ex, data).state == "passed" for ex in exercises)
            parts_style = "$text-muted" if entry in outside else "bold"
            record = data["lessons"].get(entry.id, {})
            answered = len(record.get("quiz", {})) if isinstance(record, dict) else 0
            parts: list[str | tuple[str, str]] = [(f"{number:>2}. ", "$text-muted"),
                                                   (summary.title, parts_style)]
            if exercises:
                style = "$success" if done == len(exercises) else "$text-muted"
                parts.append((f"   {done}/{len(exercises)} exercises", style))
            if summary.quizzes:
                style = "$success" if answered >= summary.quizzes else "$text-muted"
                parts.append((f" · quiz {answered}/{summary.quizzes}", style))
            if isinstance(record, dict) and record.get("opened_at"):
                parts.append((" · read", "$text-muted"))
            lessons.add_option(Option(Content.assemble(*parts), id=entry.id))
        lessons.highlighted = highlighted if highlighted is not None else 0
        track = workspace.track_exercises
        passed_track = sum(workspace.status(ex, data).state == "passed" for ex in track)
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=max(len(track), 1), progress=passed_track)
        where = f" in the track “{workspace.track.title}”" if workspace.track else ""
        self.query_one("#overall-label", Static).update(
            plain(f"{passed_track} of {len(track)} exercises passed{where}"))
        current = workspace.current_exercise()
        label = (f"Continue: {current.title}" if current is not None
                 else "Every exercise passed — review your progress")
        self.query_one("#continue", Button).label = plain(label)

    @on(OptionList.OptionSelected, "#lessons")
    def _open_lesson(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_lesson(event.option.id)

    @on(Button.Pressed, "#continue")
    def action_continue_course(self) -> None:
        current = self.app.workspace.current_exercise()
        if current is None:
            self.app.action_show_progress()
            return
        data = self.app.workspace.progress.load()
        record = data["lessons"].get(current.lesson_id, {})
        if isinstance(record, dict) and record.get("opened_at"):
            self.app.open_exercise(current.id)
        else:
            self.app.open_lesson(current.lesson_id)
