"""The doctor in the TUI: the same report as `aisec doctor`, run in a worker."""

from __future__ import annotations

import io

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from tutor.text.safe import safe_text
from tutor.tui.screens.base import AisecScreen
from tutor.tui.text import plain


class _PlainStream(io.StringIO):
    """Makes the doctor's text renderer leave out colours (this screen styles nothing)."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return False


class DoctorScreen(AisecScreen[None]):
    DEFAULT_CSS = """
    DoctorScreen VerticalScroll { padding: 0 1; }
    DoctorScreen #report { height: auto; }
    """
    BINDINGS = [("escape", "app.pop_screen", "Back"), ("r", "run", "Check again")]

    class Diagnosed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(plain("Checking Python, the terminal, the course and Ollama…"),
                         id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Doctor"
        self.query_one(VerticalScroll).focus()
        self.action_run()

    def action_run(self) -> None:
        self.query_one("#report", Static).update(plain("Checking…"))
        self._diagnose()

    @work(thread=True, exclusive=True, group="doctor", exit_on_error=False)
    def _diagnose(self) -> None:
        from tutor.doctor.model import DoctorOptions
        from tutor.doctor.run import run_doctor
        from tutor.doctor.text import render_text
        from tutor.text.terminal import Style

        try:
            report = run_doctor(DoctorOptions(course_dir=self.app.course.root))
            text = render_text(report, Style(_PlainStream()))
        except Exception as exc:  # say so, not "Checking…" forever
            text = (f"The doctor stopped unexpectedly ({type(exc).__name__}: {exc}). This is a "
                    "bug in aisec-tutor; 'aisec doctor' in a terminal runs the same checks.")
        self.post_message(self.Diagnosed(text))

    @on(Diagnosed)
    def _show(self, event: Diagnosed) -> None:
        # Findings quote environment values and server replies: shown as plain, safe text.
        self.query_one("#report", Static).update(plain(safe_text(event.text)))
