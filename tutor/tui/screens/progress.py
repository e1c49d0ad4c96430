"""Progress per lesson and exercise: status, attempts, hints, solution viewed; at 80
columns too (the titles wrap)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
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


# Columns of the screen that are not the table's cells: its margin (1 each side) and
# its vertical scroll bar.
AROUND_TABLE = 4
NARROWEST_TITLE = 16  # below this a title column wraps too much to read


@dataclass(frozen=True)
class Rows:
    """The table's content, worked out once from the learner's state."""

    columns: list[str]  # the short columns; the titles come after them
    rows: list[tuple[list[Text], Text, str]]  # (short cells, title, row key)
    passed: int


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
        self._content = self._rows()
        self._title_width: int | None = -1  # none shown yet
        self._fill(self.app.size.width)
        self.query_one(".summary", Static).update(
            Text(f"{self._content.passed} of {len(self.app.course.exercises)} exercises passed"))

    def on_resize(self, event: events.Resize) -> None:
        self._fill(event.size.width)

    def _rows(self) -> Rows:
        course, state = self.app.course, self.workspace.state()
        # The short columns first and the long titles last, wrapped when the screen is
        # narrow (_fill): at 80 columns every state and every title is on screen.
        labs = any(ex.lab is not None for ex in course.exercises)
        columns = ["Status", "Runs", "Hints", "Solution"] + (["Blocked", "Useful"] if labs
                                                             else [])
        rows, passed = [], 0
        for entry in course.lessons:
            title = self.app.lesson_summary(entry.id).title
            read = "read" if state.lesson(entry.id).finished else ""
            rows.append(([plain(read)] + [plain("")] * (len(columns) - 1),
                         Text(title, style="bold"), f"{LESSON}{entry.id}"))
            for ex in entry.exercises:
                status = state.exercise(ex.id)
                passed += status.passed
                cells = [state_label(status.state), plain(str(status.attempts)),
                         plain(f"{status.hints_revealed}/{len(ex.hints)}"),
                         plain("viewed" if status.solution_viewed else "")]
                if labs:
                    figures = status.lab.figures() if status.lab is not None else ("", "")
                    cells += [plain(figure) for figure in figures]
                rows.append((cells, plain(f"  {ex.title}"), ex.id))
        return Rows(columns, rows, passed)

    def _fill(self, width: int) -> None:
        """The table at this screen width: titles on one line where they fit, else
        wrapped in the room the short columns leave."""
        table, content = self.query_one(DataTable), self._content
        padding = 2 * table.cell_padding
        short = [max(len(name), *(cells[i].cell_len for cells, _, _ in content.rows))
                 for i, name in enumerate(content.columns)]
        room = width - AROUND_TABLE - sum(w + padding for w in short) - padding
        longest = max(title.cell_len for _, title, _ in content.rows)
        title_width = None if longest <= room else max(NARROWEST_TITLE, room)
        if title_width == self._title_width:
            return
        self._title_width = title_width
        cursor = table.cursor_row
        table.clear(columns=True)
        for name in content.columns:
            table.add_column(name)
        table.add_column("Lesson / exercise", width=title_width)
        for cells, title, key in content.rows:
            table.add_row(*cells, title, key=key, height=1 if title_width is None else None)
        table.move_cursor(row=cursor, animate=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value or "")
        if key.startswith(LESSON):
            self.app.open_lesson(key.removeprefix(LESSON))
        elif key:
            self.app.open_exercise(key)
