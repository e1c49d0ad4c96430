"""Answering a quiz question: is the choice right, and is it time to reveal the answer.

One rule for the TUI and ``aisec quiz``: a wrong answer gets a second try; the
right answer is revealed after the second wrong try, or when the learner asks
for it. Every try is recorded with ``Workspace.record_quiz`` (the store keeps the
number of attempts and whether the first one was right).
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.course.lessons import Quiz
from tutor.learner.state import QuizAnswer

LETTERS = "abcdefghij"
WRONG_TRIES_BEFORE_REVEAL = 2
# The quiz format has no explanation per wrong option, so a wrong try gets a nudge.
NUDGE = "Not quite. Think about it once more and choose another answer."


def label(index: int) -> str:
    """How an option is named to the learner: ``a)``, ``b)``..."""
    return f"{LETTERS[index]})"


def keys_hint(quiz: Quiz) -> str:
    """The keys that answer this quiz, e.g. ``a–d or 1–4``."""
    last = len(quiz.choices) - 1
    return f"{LETTERS[0]}–{LETTERS[last]} or 1–{last + 1}"


def parse_choice(text: str, quiz: Quiz) -> int | None:
    """The option a typed answer names (a letter or a number from 1), or None."""
    text = text.strip().lower().rstrip(").")
    if len(text) == 1 and text in LETTERS:
        index = LETTERS.index(text)
    elif text.isdigit():
        index = int(text) - 1
    else:
        return None
    return index if 0 <= index < len(quiz.choices) else None


@dataclass(frozen=True)
class Verdict:
    """What one try showed: whether it was right, and whether the answer is now revealed."""

    choice: int
    correct: bool
    revealed: bool  # the right answer is shown (after a right try it is the choice itself)

    @property
    def settled(self) -> bool:
        """Nothing left to try: the learner was right or has been shown the answer."""
        return self.correct or self.revealed


class QuizRound:
    """One question being answered: counts the wrong tries, decides when to reveal."""

    def __init__(self, quiz: Quiz, wrong_tries: int = 0, settled: bool = False,
                 right: bool = False) -> None:
        self.quiz = quiz
        self.wrong_tries = wrong_tries
        self.settled = settled
        self.right = right  # answered right: done, and a right answer stays right

    @classmethod
    def resume(cls, quiz: Quiz, answer: QuizAnswer | None) -> tuple[QuizRound, Verdict | None]:
        """The round as the stored answers left it, and the last verdict to show again."""
        if answer is None or answer.attempts == 0 or answer.choice is None:
            return cls(quiz), None
        if not 0 <= answer.choice < len(quiz.choices):  # the quiz changed since
            return cls(quiz), None
        correct = quiz.is_correct(answer.choice)
        wrong = 0 if correct else min(answer.attempts, WRONG_TRIES_BEFORE_REVEAL)
        revealed = correct or wrong >= WRONG_TRIES_BEFORE_REVEAL
        return cls(quiz, wrong, revealed, correct), Verdict(answer.choice, correct, revealed)

    def answer(self, choice: int) -> Verdict:
        """Judge one try (the caller records it with ``Workspace.record_quiz``)."""
        if not 0 <= choice < len(self.quiz.choices):
            raise ValueError(f"quiz {self.quiz.id!r} has no option {choice}")
        correct = self.quiz.is_correct(choice)
        self.right = self.right or correct
        if not correct:
            self.wrong_tries += 1
        revealed = (correct or self.settled
                    or self.wrong_tries >= WRONG_TRIES_BEFORE_REVEAL)
        self.settled = self.settled or revealed
        return Verdict(choice, correct, revealed)

    def reveal(self) -> None:
        """The learner asked to see the answer."""
        self.settled = True

    @property
    def answer_label(self) -> str:
        """The right option as the learner sees it: ``c) its text``."""
        return f"{label(self.quiz.answer)} {self.quiz.choices[self.quiz.answer]}"

    @property
    def answer_sentence(self) -> str:
        """``The answer is c) its text.`` (one full stop, whatever the option ends with)."""
        text = f"The answer is {self.answer_label}"
        return text if text.endswith((".", "?", "!")) else text + "."
