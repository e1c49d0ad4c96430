"""Shown when no workspace is found: what the course is, and one key to start."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Footer, Header, Input, Label, Static

from tutor.errors import TutorError, describe_os_error
from tutor.learner.paths import DEFAULT_WORKSPACE
from tutor.tui.remedies import explain
from tutor.tui.screens.base import AisecScreen
from tutor.tui.text import plain

INTRO = (
    "A hands-on course in your terminal. You read short lessons, write small defences "
    "in Python — redact personal data, validate model output, gate an agent's tools, "
    "call a local model safely — and hidden checks grade your code every time you save.\n\n"
    "Your work and progress stay in a folder of your own: the workspace. Nothing leaves "
    "your machine. A local model (Ollama) is optional everywhere and required nowhere."
)


class WelcomeScreen(AisecScreen[None]):
    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen > Vertical { width: 80; max-width: 100%; height: auto; padding: 1 2;
                               border: round $primary; }
    WelcomeScreen .title { text-style: bold; color: $accent; margin-bottom: 1; }
    WelcomeScreen .intro { margin-bottom: 1; }
    WelcomeScreen Input { margin-bottom: 1; }
    WelcomeScreen .error { color: $error; height: auto; }
    """
    BINDINGS = [("ctrl+q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(plain(self.app.course.title), classes="title")
            yield Static(plain(INTRO), classes="intro")
            yield Label("Create your workspace in:")
            yield Input(value=f"./{DEFAULT_WORKSPACE}", id="path")
            with Center():
                yield Button("Create workspace and start", variant="primary", id="create")
            yield Static("", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        # The folder is the one choice here: typing changes it, enter creates it.
        self.query_one("#path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#create")
    def create(self) -> None:
        raw = self.query_one("#path", Input).value.strip() or f"./{DEFAULT_WORKSPACE}"
        try:
            self.app.create_workspace(Path(raw).expanduser())
        except TutorError as exc:
            self.query_one(".error", Static).update(plain(explain(exc)))
        except OSError as exc:
            why = describe_os_error(exc)
            self.query_one(".error", Static).update(plain(why[:1].upper() + why[1:]))
