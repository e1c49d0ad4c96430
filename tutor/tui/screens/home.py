"""The dashboard: lessons in order with progress, what the selected lesson holds, and a
focused Continue that goes back to where the learner was."""

from __future__ import annotations

from typing import NamedTuple

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.lazy import Lazy
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.course.model import Exercise
from tutor.learner.state import Snapshot, State
from tutor.tui.screens.base import AisecScreen
from tutor.tui.screens.lesson_detail import lesson_detail, lesson_mark
from tutor.tui.text import plain

# Side by side from this width; below it the details go under the list when the
# terminal is tall enough, and are left out when it is not (the list comes first).
WIDE, TALL = 110, 36


class Resume(NamedTuple):
    """Where Continue goes: a lesson (lines down) or an exercise; None: the progress."""

    screen: str
    id: str
    scroll: int = 0


class HomeScreen(AisecScreen[None]):
    DEFAULT_CSS = """
    HomeScreen > Vertical { padding: 0 1; }
    HomeScreen .course-title { text-style: bold; color: $accent; margin-top: 1; }
    HomeScreen #overall { height: 1; margin: 1 0; }
    HomeScreen #continue { margin-bottom: 1; width: auto; max-width: 100%; }
    HomeScreen #columns { height: 1fr; }
    HomeScreen OptionList { height: 1fr; width: 3fr; }
    HomeScreen #detail { width: 2fr; max-width: 60; height: 1fr; padding: 0 1;
                         border-left: vkey $panel; }
    HomeScreen.-stacked #columns { layout: vertical; }
    HomeScreen.-stacked #detail { max-width: 100%; border-left: none;
                                  border-top: hkey $panel; }
    HomeScreen.-narrow #detail { display: none; }
    """
    BINDINGS = [("g", "app.show_progress", "Progress"),
                ("c", "continue_course", "Continue"),
                ("d", "app.show_doctor", "Doctor"),
                # Said in the lesson pane and the help screen; the footer keeps quit and help.
                Binding("right_square_bracket", "select_lesson(1)", "Next", show=False),
                Binding("left_square_bracket", "select_lesson(-1)", "Previous", show=False)]

    def compose(self) -> ComposeResult:
        # Classes set now, before anything is styled: set in on_mount they restyled and
        # laid out the whole screen again before the first frame.
        self._fit(self.app.size)
        yield Header()
        with Vertical():
            yield Static(plain(self.app.course.title), classes="course-title")
            yield Static("", id="overall")
            yield Button("Continue", variant="primary", id="continue")
            with Horizontal(id="columns"):
                yield OptionList(*self._lesson_options(self.workspace.state()), id="lessons")
                with VerticalScroll(id="detail"):
                    yield Static("", id="detail-text")
        # The footer is the costliest widget here; mounting it just after the first frame
        # makes the course appear sooner (see benchmarks/tui_startup.py).
        yield Lazy(Footer())

    _resumed_once = False

    def __init__(self) -> None:
        super().__init__()
        # Per lesson row: its exercises (of the track) and whether it is outside the track.
        self._rows: dict[str, tuple[tuple[Exercise, ...], bool]] = {}
        self._plain_row: str | None = None  # the row drawn without colours (highlighted)

    def on_mount(self) -> None:
        self._draw_highlight()
        self.query_one("#continue", Button).focus()
        self._refresh_summary(self.workspace.state())

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        width, height = size
        self.set_class(width < WIDE and height >= TALL, "-stacked")
        self.set_class(width < WIDE and height < TALL, "-narrow")

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
        self._plain_row = None  # every row was drawn anew, in colour
        lessons.highlighted = highlighted if highlighted is not None else 0
        self._draw_highlight()
        self._refresh_summary(state)
        self._show_detail()

    def _lesson_options(self, state: Snapshot) -> list[Option | None]:
        """One option per lesson with its progress; the track's lessons first."""
        workspace, course = self.workspace, self.app.course
        options: list[Option | None] = []
        in_track = [e for e in course.lessons if workspace.lesson_in_track(e.id)]
        outside = [e for e in course.lessons if not workspace.lesson_in_track(e.id)]
        for entry in in_track + outside:
            if entry is (outside[0] if outside else None):
                options.append(None)  # a separator before the rest of the course
                options.append(Option(plain("Outside your track (open any on purpose):",
                                            "$text-muted italic"), disabled=True))
            exercises = (entry.exercises if entry in outside
                         else tuple(ex for ex in entry.exercises if workspace.in_track(ex)))
            self._rows[entry.id] = (exercises, entry in outside)
            options.append(Option(self._lesson_row(entry.id, state), id=entry.id))
        return options

    def _lesson_row(self, lesson_id: str, state: Snapshot, highlighted: bool = False) -> Content:
        """Two lines: `✓  3. Title`, then `2/3 exercises · quiz 1/2 · 20 min` under it
        (the mark: ✓ done, ◐ begun, · to do). The highlighted row is drawn in the
        cursor's own colours: green or grey text on the cursor's blue is unreadable."""
        exercises, muted = self._rows[lesson_id]
        summary = self.app.lesson_summary(lesson_id)
        number = [e.id for e in self.app.course.lessons].index(lesson_id)
        done = state.passed(ex.id for ex in exercises)
        lesson = state.lesson(lesson_id)
        answered = len(lesson.quiz)
        parts: list[str | tuple[str, str] | Content] = [
            lesson_mark(lesson, (state.exercise(ex.id).state for ex in exercises)), " ",
            (f"{number:>2}. ", "$text-muted"),
            (summary.title, "$text-muted" if muted else "bold"), "\n      "]
        details: list[tuple[str, str]] = []
        if exercises:
            style = "$success" if done == len(exercises) else "$text-muted"
            noun = "labs" if all(ex.lab is not None for ex in exercises) else "exercises"
            details.append((f"{done}/{len(exercises)} {noun}", style))
        if summary.quizzes:
            style = "$success" if answered >= summary.quizzes else "$text-muted"
            details.append((f"quiz {answered}/{summary.quizzes}", style))
        if summary.minutes:
            details.append((f"{summary.minutes} min", "$text-muted"))
        for index, detail in enumerate(details):
            parts += [("" if index == 0 else " · ", "$text-muted"), detail]
        row = Content.assemble(*parts)
        return Content(row.plain) if highlighted else row

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
        self.query_one("#continue", Button).label = plain(self._continue_label(state))

    # -- the selected lesson's details ------------------------------------------------

    @on(OptionList.OptionHighlighted, "#lessons")
    def _highlighted(self) -> None:
        self._draw_highlight()
        self._show_detail()

    def _draw_highlight(self) -> None:
        """Draw the highlighted row plainly and the one before it in colour again."""
        lessons = self.query_one("#lessons", OptionList)
        option = lessons.highlighted_option
        now = option.id if option is not None else None
        if now == self._plain_row:
            return
        state = self.workspace.state()
        if self._plain_row in self._rows:
            lessons.replace_option_prompt(self._plain_row, self._lesson_row(self._plain_row, state))
        if now in self._rows:
            lessons.replace_option_prompt(now, self._lesson_row(now, state, highlighted=True))
        self._plain_row = now

    def _show_detail(self) -> None:
        option = self.query_one("#lessons", OptionList).highlighted_option
        if option is None or option.id is None:
            return
        self.query_one("#detail-text", Static).update(
            lesson_detail(self.app, self.workspace, option.id, self.workspace.state()))

    def action_select_lesson(self, step: int) -> None:
        """`]` / `[` on home: select the next or previous lesson (enter opens it)."""
        lessons = self.query_one("#lessons", OptionList)
        lessons.focus()
        if step > 0:
            lessons.action_cursor_down()
        else:
            lessons.action_cursor_up()

    @on(OptionList.OptionSelected, "#lessons")
    def _open_lesson(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_lesson(event.option.id)

    # -- Continue ---------------------------------------------------------------------

    def resume_target(self, state: Snapshot) -> Resume | None:
        """The place saved last (a lesson at its scroll, an exercise not yet passed);
        without one, the current exercise, after its lesson's text if it was never
        opened. None when every exercise has passed."""
        course, place = self.app.course, state.place
        if place is not None and place.screen == "lesson" and place.id in {
                e.id for e in course.lessons}:
            return Resume("lesson", place.id, place.scroll)
        if (place is not None and place.screen == "exercise"
                and course.find_exercise(place.id) is not None
                and state.exercise(place.id).state is not State.PASSED):
            return Resume("exercise", place.id)
        current = self.workspace.current_exercise(state)
        if current is None:
            return None
        if not state.lesson(current.lesson_id).opened:
            return Resume("lesson", current.lesson_id)
        return Resume("exercise", current.id)

    def _continue_label(self, state: Snapshot) -> str:
        target = self.resume_target(state)
        if target is None:
            return "Every exercise passed — review your progress"
        course = self.app.course
        if target.screen == "exercise":
            lesson_id = course.exercise(target.id).lesson_id
            what = target.id
        else:
            lesson_id = target.id
            title = self.app.lesson_summary(lesson_id).title
            what = title if len(title) <= 40 else title[:39] + "…"
        number = [e.id for e in course.lessons].index(lesson_id)
        return f"Continue: Lesson {number} · {what}"

    @on(Button.Pressed, "#continue")
    def action_continue_course(self) -> None:
        target = self.resume_target(self.workspace.state())
        if target is None:
            self.app.action_show_progress()
        elif target.screen == "lesson":
            self.app.open_lesson(target.id, scroll=target.scroll)
        else:
            self.app.open_exercise(target.id)
