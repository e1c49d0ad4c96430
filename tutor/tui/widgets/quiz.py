"""A quiz question answered inline: a second try after a wrong answer, then the answer.

The rule for trying again and revealing is :mod:`tutor.learner.quiz` (shared with
``aisec quiz``). Options are chosen by click, by enter, or by letter or number while
the quiz has focus; those keys belong to the quiz then, so they never reach the
lesson's own bindings (``a`` asks the AI elsewhere on the lesson screen).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from tutor.course.lessons import Quiz
from tutor.learner.quiz import LETTERS, NUDGE, QuizRound, Verdict, keys_hint, label
from tutor.learner.state import QuizAnswer
from tutor.tui.text import plain

_MAX_KEYS = 9  # number keys 1-9


class QuizWidget(Vertical):
    # The option list is compact (no border): a focused OptionList otherwise gets a
    # border and grows by two rows, moving every option away from the mouse mid-click.
    # Focus shows on the quiz's own border instead, which keeps its size.
    DEFAULT_CSS = """
    QuizWidget { height: auto; border: round $accent; padding: 0 1; margin: 1 0;
                 border-subtitle-color: $text-muted; }
    QuizWidget:focus-within { border: round $primary; border-subtitle-color: $text; }
    QuizWidget .question { text-style: bold; height: auto; }
    QuizWidget OptionList { height: auto; max-height: 12; padding: 0; }
    QuizWidget .feedback { height: auto; margin-top: 1; }
    QuizWidget .-hidden { display: none; }
    QuizWidget #show-answer { margin-top: 1; }
    """

    BINDINGS = [
        *(Binding(letter, f"choose({index})", show=False)
          for index, letter in enumerate(LETTERS[:_MAX_KEYS])),
        *(Binding(str(index + 1), f"choose({index})", show=False) for index in range(_MAX_KEYS)),
        # Not in the footer: the quiz's border names its keys, and a full footer cuts off
        # the app's own keys at 80 columns.
        Binding("s", "show_answer", "Show answer", show=False),
    ]

    class Answered(Message):
        """One try at the quiz, to be recorded (every try counts as an attempt)."""

        def __init__(self, quiz: Quiz, choice: int, correct: bool) -> None:
            super().__init__()
            self.quiz = quiz
            self.choice = choice
            self.correct = correct

    def __init__(self, quiz: Quiz, previous: QuizAnswer | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.quiz = quiz
        self.round, self._resumed = QuizRound.resume(quiz, previous)
        self._name_keys()

    def compose(self) -> ComposeResult:
        yield Static(plain("Quiz: " + self.quiz.question), classes="question")
        yield OptionList(*(Option(plain(f"{label(i)} {choice}"), id=f"choice-{i}")
                           for i, choice in enumerate(self.quiz.choices)), compact=True)
        yield Static("", classes="feedback -hidden")
        yield Button("Show answer", id="show-answer", compact=True, classes="-hidden")

    def on_mount(self) -> None:
        if self._resumed is not None:
            self.query_one(OptionList).highlighted = self._resumed.choice
            self._show(self._resumed)

    def option_region(self, index: int) -> Region:
        """Where option ``index`` is on the screen (its first line), for mouse users' tests."""
        options = self.query_one(OptionList)
        line = options._index_to_line[index]  # Textual keeps the line each option starts on
        content = options.content_region
        return Region(content.x, content.y + line - round(options.scroll_y), content.width,
                      options._heights[index])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._try(event.option_index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            # Keys past the last option fall through to the screen's bindings.
            index = parameters[0]
            return isinstance(index, int) and index < len(self.quiz.choices)
        if action == "show_answer":
            return not self.round.settled
        return True

    def action_choose(self, index: int) -> None:
        if not self.round.right:
            self.query_one(OptionList).highlighted = index
        self._try(index)

    def action_show_answer(self) -> None:
        self.round.reveal()
        self._update_feedback(plain(self.round.answer_sentence + " ", "$accent bold")
                              + plain(self.quiz.explanation))
        self.refresh_bindings()

    @on(Button.Pressed, "#show-answer")
    def _show_answer_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_show_answer()

    def _try(self, choice: int) -> None:
        if self.round.right:  # done: a stray key or click must not make it a wrong try
            self.query_one(OptionList).highlighted = self.quiz.answer  # a click moved it
            return
        verdict = self.round.answer(choice)
        self._show(verdict)
        self.refresh_bindings()
        self.post_message(self.Answered(self.quiz, choice, verdict.correct))

    def _show(self, verdict: Verdict) -> None:
        if verdict.correct:
            text = plain("✓ Right. ", "$success bold") + plain(self.quiz.explanation)
        elif verdict.revealed:
            text = (plain(f"✗ {label(verdict.choice)} is not right. "
                          f"{self.round.answer_sentence} ", "$error bold")
                    + plain(self.quiz.explanation))
        else:
            text = (plain(f"✗ {label(verdict.choice)} ", "$error bold")
                    + plain(NUDGE))
        self._update_feedback(text)

    def _update_feedback(self, text: Content) -> None:
        feedback = self.query_one(".feedback", Static)
        feedback.update(text)
        feedback.remove_class("-hidden")
        self.query_one("#show-answer").set_class(self.round.settled, "-hidden")
        self._name_keys()

    def _name_keys(self) -> None:
        """The quiz's keys, on its border (no row of its own, so nothing moves)."""
        keys = f"{keys_hint(self.quiz)} to answer"
        self.border_subtitle = ("answered" if self.round.right else keys if self.round.settled
                                else f"{keys} · s shows the answer")
