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
        table.add_columns("Lesson", "Exercise", "Status", "Check runs", "Hints", "Solution")
        passed = 0
        for entry in course.lessons:
            title = self.app.lesson_summary(entry.id).title
            read = state.lesson(entry.id).finished
            lesson_cell = plain(title + (" ✓" if read else ""))
            if not entry.exercises:
                table.add_row(lesson_cell, plain("—"), plain(""), plain(""), plain(""), plain(""))
            for ex in entry.exercises:
                status = state.exercise(ex.id)
                passed += status.passed
                table.add_row(lesson_cell, plain(ex.title), state_label(status.state),
                              plain(str(status.attempts)),
                              plain(f"{status.hints_revealed}/{len(ex.hints)}"),
                              plain("viewed" if status.solution_viewed else ""), key=ex.id)
                lesson_cell = plain("")
        self.query_one(".summary", Static).update(
            Text(f"{passed} of {len(course.exercises)} exercises passed"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.open_exercise(str(event.row_key.value))
