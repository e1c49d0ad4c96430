"""A lesson: rendered Markdown, inline quizzes, and its exercises."""

from __future__ import annotations

from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Markdown, Static

from tutor.course.lessons import Lesson, Quiz
from tutor.text.export import md_prose
from tutor.tui.screens.base import AisecScreen
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.text import plain, state_label
from tutor.tui.widgets.quiz import QuizWidget


class LessonScreen(AisecScreen[None]):
    DEFAULT_CSS = """
    LessonScreen VerticalScroll { padding: 0 2; }
    LessonScreen .meta { color: $text-muted; margin-top: 1; height: auto; }
    LessonScreen .objectives { margin-bottom: 1; height: auto; }
    LessonScreen .exercises-title { text-style: bold; margin-top: 1; }
    LessonScreen .exercise { width: auto; max-width: 100%; margin: 0 0 1 2;
                             content-align: left middle; text-align: left; }
    LessonScreen .end { color: $text-muted; margin: 1 0 2 0; }
    LessonScreen .sources { color: $text-muted; margin-top: 1; height: auto; }
    """
    BINDINGS = [("escape", "app.pop_screen", "Back"),
                ("right_square_bracket", "neighbour(1)", "Next lesson"),
                ("left_square_bracket", "neighbour(-1)", "Previous lesson"),
                ("a", "ask", "Ask AI")]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.sub_title = lesson.title

    def _sources(self) -> str:
        """The sources as links (title and site): a long address would wrap mid-word."""
        checked = (f" (facts last checked against them on {self.lesson.last_checked})"
                   if self.lesson.last_checked is not None else "")
        lines = [f"**Sources**{checked}", ""]
        for source in self.lesson.sources:
            site = urlsplit(source.url).hostname or ""
            lines.append(f"- [{md_prose(source.title)} · {site}](<{source.url}>)")
        return "\n".join(lines)

    def compose(self) -> ComposeResult:
        lesson = self.lesson
        state = self.workspace.state()
        answers = state.lesson(lesson.id).quiz
        yield Header()
        with VerticalScroll(id="body"):
            yield Static(plain(f"About {lesson.minutes} minutes · you will be able to:"),
                         classes="meta")
            # Objectives are course text, not untrusted input: Markdown lays out the list.
            yield Markdown("\n".join(f"- {o}" for o in lesson.objectives),
                           classes="objectives", open_links=False)
            for segment in lesson.segments:
                if isinstance(segment, Quiz):
                    yield QuizWidget(segment, answers.get(segment.id), id=f"quiz-{segment.id}")
                else:
                    yield Markdown(segment, open_links=False)
            yield Markdown(self._sources(), classes="sources", open_links=False)
            entry = self.app.course.lesson(lesson.id)
            if entry.exercises:
                yield Static("Exercises", classes="exercises-title")
                for ex in entry.exercises:
                    label = Content.assemble(state_label(state.exercise(ex.id).state),
                                             plain(" · "), plain(ex.title),
                                             plain(f" · ~{ex.minutes} min"))
                    yield Button(label, id=f"ex-{ex.id}", classes="exercise", compact=True)
            yield Static(plain("End of the lesson. ] next lesson · escape back"), classes="end")
        yield Footer()

    def on_mount(self) -> None:
        self.workspace.record_lesson(self.lesson.id, opened=True)
        body = self.query_one("#body", VerticalScroll)
        body.focus()  # arrow keys and page up/down scroll the lesson
        self.watch(body, "scroll_y", self._maybe_finished, init=False)
        self.call_after_refresh(self._maybe_finished)

    def _maybe_finished(self, _value: float | None = None) -> None:
        """The lesson counts as read once its end has been on screen."""
        body = self.query_one("#body", VerticalScroll)
        if body.scroll_y >= body.max_scroll_y - 1:
            self.workspace.record_lesson(self.lesson.id, finished=True)

    @on(QuizWidget.Answered)
    def _answered(self, event: QuizWidget.Answered) -> None:
        self.workspace.record_quiz(self.lesson.id, event.quiz.id, event.choice, event.correct)

    @on(Button.Pressed, ".exercise")
    def _open_exercise(self, event: Button.Pressed) -> None:
        if event.button.id:
            self.app.open_exercise(event.button.id.removeprefix("ex-"))

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        href = event.href
        if not href.startswith(("https://", "http://")):
            self.notify(f"This link points to {href!r}, which can't be opened from here.",
                        markup=False, severity="warning")
            return

        def opened(ok: bool | None) -> None:
            if ok:
                self.app.open_url(href)

        self.app.push_screen(ConfirmScreen(f"Open this address in your web browser?\n\n{href}",
                                           yes="Open"), opened)

    def action_ask(self) -> None:
        self.app.open_ask(self.lesson.id)

    def action_neighbour(self, step: int) -> None:
        ids = [lesson.id for lesson in self.app.course.lessons]
        index = ids.index(self.lesson.id) + step
        if 0 <= index < len(ids):
            self.app.open_lesson(ids[index], replace=True)
        else:
            self.notify("That was the last lesson." if step > 0 else "This is the first lesson.")
