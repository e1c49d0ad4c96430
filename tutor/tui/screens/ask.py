"""The private AI helper: stream a hint from the local model; escape cancels."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Static
from textual.worker import Worker, get_current_worker

from tutor.text.safe import safe_text
from tutor.tui.screens.base import AisecModal
from tutor.tui.text import plain

INTRO = ("Ask the local model for a hint or an explanation. It sees this lesson's text; "
         "your code and failing checks only if you tick the box. It is told to give hints, "
         "not solutions, and it can be wrong.")


class AskScreen(AisecModal[None]):
    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > Vertical { width: 90%; max-width: 110; height: 85%; border: thick $primary;
                           background: $surface; padding: 0 1; }
    AskScreen .intro { color: $text-muted; height: auto; margin-bottom: 1; }
    AskScreen #status { color: $text-muted; height: auto; }
    AskScreen VerticalScroll { height: 1fr; border: round $panel; padding: 0 1; }
    AskScreen #answer { height: auto; }
    """
    BINDINGS = [("escape", "stop", "Cancel / close")]

    class Chunk(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Status(Message):
        def __init__(self, text: str, done: bool = False) -> None:
            super().__init__()
            self.text = text
            self.done = done

    def __init__(self, lesson_id: str | None, exercise_id: str | None = None) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.exercise_id = exercise_id
        self.answer = ""
        self._worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(INTRO), classes="intro")
            yield Input(placeholder="Your question, then enter", id="question")
            if self.exercise_id:
                yield Checkbox("Include my code and failing check messages", id="code")
            yield Static("", id="status")
            with VerticalScroll():
                yield Static("", id="answer")

    def on_mount(self) -> None:
        self.query_one("#question", Input).focus()

    @property
    def streaming(self) -> bool:
        return self._worker is not None and self._worker.is_running

    @on(Input.Submitted, "#question")
    def _ask(self, event: Input.Submitted) -> None:
        if self.streaming or not event.value.strip():
            return
        include = bool(self.exercise_id) and self.query_one("#code", Checkbox).value
        self.answer = ""
        self.query_one("#answer", Static).update("")
        self.query_one("#status", Static).update(plain("Connecting to Ollama…"))
        self._worker = self._stream(event.value, include)

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def _stream(self, question: str, include_code: bool) -> None:
        from tutor.errors import TutorError
        from tutor.ollama.assistant import open_session
        from tutor.tui.remedies import explain

        worker = get_current_worker()
        app = self.app
        try:
            session = open_session(app.course, app.workspace, question,
                                   lesson_id=self.lesson_id, exercise_id=self.exercise_id,
                                   include_code=include_code)
            self.post_message(self.Status(session.describe()))
            for piece in session.stream():
                if worker.is_cancelled:
                    break  # closing the generator closes the connection
                self.post_message(self.Chunk(piece))
        except TutorError as exc:
            self.post_message(self.Status(explain(exc), done=True))
            return
        except Exception as exc:  # a bug must end the wait, not hang it
            self.post_message(self.Status(
                f"The helper stopped unexpectedly ({type(exc).__name__}). This is a bug in "
                "aisec-tutor, not in your setup; the doctor (d on the home screen) checks "
                "Ollama, and 'aisec ask' in a terminal shows the same question's answer.",
                done=True))
            return
        if worker.is_cancelled:
            self.post_message(self.Status("Cancelled.", done=True))
        else:
            self.post_message(self.Status("Done. Ask a follow-up, or escape to close.",
                                          done=True))

    @on(Chunk)
    def _chunk(self, event: Chunk) -> None:
        self.answer += event.text
        # Model output is untrusted: literal text, never markup.
        self.query_one("#answer", Static).update(plain(self.answer))
        self.query_one(VerticalScroll).scroll_end(animate=False)

    @on(Status)
    def _status(self, event: Status) -> None:
        # Statuses quote the server's model names and errors: shown, never obeyed.
        self.query_one("#status", Static).update(plain(safe_text(event.text)))

    def action_stop(self) -> None:
        if self.streaming and self._worker is not None:
            self._worker.cancel()
            self.query_one("#status", Static).update(plain("Cancelled."))
        else:
            self.dismiss()
