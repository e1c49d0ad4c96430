"""Progress per lesson and exercise: status, attempts, hints, solution viewed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from tutor.learner.state import State
from tutor.tui.screens.base import AisecScreen

# The Rich style for each role a State's colour names (DataTable cells are Rich Text).
RICH_STYLES = {"success": "green", "error": "red", "muted": "dim"}


def plain(text: str) -> Text:
    """A literal cell: DataTable would parse markup in a plain str."""
    return Text(text)


def state_label(state: State) -> Text:
    return Text(state.word, style=RICH_STYLES[state.colour])


LESSON = "lesson:"  # the row key of a lesson's heading row


class ProgressScreen(AisecScreen[None]):
    DEFAULT_CSS = """
    ProgressScreen .summary { padding: 1 1 0 1; text-style: bold; }
    ProgressScreen DataTable { height: 1fr; margin: 1; }
    """
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", classes="summary")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Progress"
        workspace, course = self.workspace, self.app.course
        state = workspace.state()
        table = self.query_one(DataTable)
        # The short columns first and the long titles last: at 80 columns a long title
        # runs off the right edge, never an exercise's state.
        labs = any(ex.lab is not None for ex in course.exercises)
        columns = ["Status", "Runs", "Hints", "Solution"] + (["Blocked", "Useful"] if labs
                                                             else [])
        table.add_columns(*columns, "Lesson / exercise")
        passed = 0
        for entry in course.lessons:
            title = self.app.lesson_summary(entry.id).title
            read = "read" if state.lesson(entry.id).finished else ""
            table.add_row(*[plain(read)] + [plain("")] * (len(columns) - 1),
                          Text(title, style="bold"), key=f"{LESSON}{entry.id}")
            for ex in entry.exercises:
                status = state.exercise(ex.id)
                passed += status.passed
                cells = [state_label(status.state), plain(str(status.attempts)),
                         plain(f"{status.hints_revealed}/{len(ex.hints)}"),
                         plain("viewed" if status.solution_viewed else "")]
                if labs:  # short, before the titles that may run off the edge
                    figures = status.lab.figures() if status.lab is not None else ("", "")
                    cells += [plain(figure) for figure in figures]
                table.add_row(*cells, plain(f"  {ex.title}"), key=ex.id)
        self.query_one(".summary", Static).update(
            Text(f"{passed} of {len(course.exercises)} exercises passed"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value or "")
        if key.startswith(LESSON):
            self.app.open_lesson(key.removeprefix(LESSON))
        elif key:
            self.app.open_exercise(key)
