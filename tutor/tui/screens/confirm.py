"""Questions in modal dialogs: yes/no, or one of a few named choices."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.events import Key
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
                ("n", "answer(False)", "No"),
                # Buttons side by side: the arrows move between them, as tab does.
                ("left", "app.focus_previous", "Previous"), ("right", "app.focus_next", "Next")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "Cancel",
                 destructive: bool = False) -> None:
        super().__init__()
        self._question, self._yes, self._no = question, yes, no
        self._destructive = destructive  # the "yes" button is red: it throws work away

    def compose(self) -> ComposeResult:
        with Grid():
            yield Static(plain(self._question), classes="question")
            yield Button(plain(f"{self._yes} (y)"),
                         variant="error" if self._destructive else "primary", id="yes")
            yield Button(plain(f"{self._no} (n)"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ChoiceScreen(ModalScreen[str | None]):
    """A question with a few answers, each with a key; escape cancels (None)."""

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical { width: 76; max-width: 100%; height: auto; padding: 1 2;
                              border: thick $warning; background: $surface; }
    ChoiceScreen .question { height: auto; }
    ChoiceScreen Horizontal { height: auto; margin-top: 1; }
    ChoiceScreen Button { width: 1fr; min-width: 8; }
    """
    BINDINGS = [("escape", "cancel", "Cancel"),
                ("left", "app.focus_previous", "Previous"), ("right", "app.focus_next", "Next")]

    def __init__(self, question: str, choices: list[tuple[str, str, str]],
                 focus: str | None = None) -> None:
        """``choices`` are (value, label, key); ``focus`` is the value focused first."""
        super().__init__()
        self._question, self._choices, self._focus = question, choices, focus

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self._question), classes="question")
            with Horizontal():
                for value, label, key in self._choices:
                    shown = "esc" if key == "escape" else key
                    yield Button(plain(f"{label} ({shown})"), id=f"choice-{value}",
                                 variant="primary" if value == self._focus else "default")

    def on_mount(self) -> None:
        if self._focus is not None:
            self.query_one(f"#choice-{self._focus}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def on_key(self, event: Key) -> None:
        for value, _label, key in self._choices:
            if event.key == key and key != "escape":  # escape: the BINDINGS entry
                event.stop()
                self.dismiss(value)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)
