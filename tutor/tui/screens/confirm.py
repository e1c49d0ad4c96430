"""A yes/no question in a modal dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tutor.tui.text import plain


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Grid { grid-size: 2; grid-gutter: 1 2; grid-rows: auto 3; padding: 1 2;
                           width: 64; height: auto; border: thick $primary; background: $surface; }
    ConfirmScreen .question { column-span: 2; height: auto; }
    ConfirmScreen Button { width: 100%; }
    """
    BINDINGS = [("escape", "answer(False)", "Cancel"), ("y", "answer(True)", "Yes"),
                ("n", "answer(False)", "No")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self._question, self._yes, self._no = question, yes, no

    def compose(self) -> ComposeResult:
        with Grid():
            yield Static(plain(self._question), classes="question")
            yield Button(plain(self._yes), variant="primary", id="yes")
            yield Button(plain(self._no), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
