"""A quiz question answered inline, with immediate feedback and the explanation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.course.lessons import Quiz
from tutor.tui.text import plain


class QuizWidget(Vertical):
    DEFAULT_CSS = """
    QuizWidget { height: auto; border: round $accent; padding: 0 1; margin: 1 0; }
    QuizWidget .question { text-style: bold; height: auto; }
    QuizWidget OptionList { height: auto; max-height: 12; border: none; padding: 0; }
    QuizWidget .feedback { height: auto; margin-top: 1; }
    QuizWidget .feedback.-hidden { display: none; }
    """

    class Answered(Message):
        def __init__(self, quiz: Quiz, choice: int) -> None:
            super().__init__()
            self.quiz = quiz
            self.choice = choice

    def __init__(self, quiz: Quiz, previous: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.quiz = quiz
        self._previous = previous

    def compose(self) -> ComposeResult:
        yield Static(plain("Quiz: " + self.quiz.question), classes="question")
        letters = "abcdefghij"
        yield OptionList(*(Option(plain(f"{letters[i]}) {choice}"), id=f"choice-{i}")
                           for i, choice in enumerate(self.quiz.choices)))
        yield Static("", classes="feedback -hidden")

    def on_mount(self) -> None:
        if self._previous is not None:
            self.query_one(OptionList).highlighted = self._previous
            self._show_feedback(self._previous)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option_index
        self._show_feedback(choice)
        self.post_message(self.Answered(self.quiz, choice))

    def _show_feedback(self, choice: int) -> None:
        feedback = self.query_one(".feedback", Static)
        if self.quiz.is_correct(choice):
            verdict = plain("✓ Right. ", "$success bold")
        else:
            right = "abcdefghij"[self.quiz.answer]
            verdict = plain(f"✗ Not quite — the answer is {right}). ", "$error bold")
        feedback.update(verdict + plain(self.quiz.explanation))
        feedback.remove_class("-hidden")
