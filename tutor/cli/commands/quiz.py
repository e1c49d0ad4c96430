"""``aisec quiz LESSON``: a lesson's quiz in plain text, for screen readers and scripts.

Interactive: it prints the questions and their feedback as it goes (on stdout, or on
stderr with ``--json`` so the JSON stays alone on stdout), then returns a summary.
Answers come from stdin, or from ``--answers a,c,b`` read as if typed at the prompts
(so a wrong answer's next item is its second try). The rule for trying again and
revealing is the TUI's (:mod:`tutor.learner.quiz`); every try is recorded with
``Workspace.record_quiz``, as the TUI does.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from tutor.cli.choose import find_lesson
from tutor.cli.context import course_and_workspace
from tutor.cli.render import Result, lines
from tutor.course.lessons import Lesson, Quiz, load_lesson
from tutor.learner.quiz import NUDGE, QuizRound, keys_hint, label, parse_choice
from tutor.learner.workspace import Workspace
from tutor.text.safe import safe_text
from tutor.text.terminal import Style, wrap

SCHEMA_VERSION = 1
SHOW_ANSWER = ("s", "show", "?")  # what asks for the answer instead of a try


@dataclass(frozen=True)
class Outcome:
    """How one question went."""

    quiz: Quiz
    tries: tuple[int, ...] = ()  # the options chosen, in order
    revealed: bool = False  # the answer was shown (asked for, or after two wrong tries)

    @property
    def answered(self) -> bool:
        return bool(self.tries) or self.revealed

    @property
    def correct(self) -> bool:
        return bool(self.tries) and self.quiz.is_correct(self.tries[-1])

    @property
    def first_try_correct(self) -> bool:
        return bool(self.tries) and self.quiz.is_correct(self.tries[0])

    def to_json(self) -> dict[str, Any]:
        return {"id": self.quiz.id, "question": self.quiz.question,
                "answered": self.answered, "tries": [label(t)[0] for t in self.tries],
                "correct": self.correct, "first_try_correct": self.first_try_correct,
                "revealed": self.revealed, "answer": label(self.quiz.answer)[0]}


@dataclass(frozen=True)
class QuizSummary(Result):
    lesson: Lesson
    outcomes: tuple[Outcome, ...]
    recorded: bool  # False without a workspace

    @property
    def first_try_score(self) -> int:
        return sum(o.first_try_correct for o in self.outcomes)

    def to_text(self, style: Style) -> str:
        title = safe_text(self.lesson.title)
        if not self.outcomes:
            return lines(f"The lesson '{title}' has no quiz questions.",
                         f"Read it with 'aisec lesson {self.lesson.id}'.")
        total = len(self.outcomes)
        out = ["", style.bold(f"Right on the first try: {self.first_try_score} of {total}.")]
        unanswered = sum(not o.answered for o in self.outcomes)
        if unanswered:
            out.append(f"{unanswered} of {total} not answered (the answers ran out); run "
                       f"'aisec quiz {self.lesson.id}' again to answer them.")
        return lines(*out)

    def notes(self, style: Style) -> list[str]:
        if self.recorded or not self.outcomes:
            return []
        return ["No workspace here, so your answers were not recorded ('aisec init' makes one)."]

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "lesson": self.lesson.id,
                "title": self.lesson.title, "questions": len(self.outcomes),
                "first_try_correct": self.first_try_score,
                "answered": sum(o.answered for o in self.outcomes), "recorded": self.recorded,
                "results": [o.to_json() for o in self.outcomes]}


def _stdin_answers(out: TextIO) -> Iterator[str]:
    """Lines typed at the prompts; what is piped in is echoed so the transcript reads."""
    echo = not sys.stdin.isatty()
    for line in sys.stdin:
        if echo:
            out.write(line.strip() + "\n")
        yield line


def _given_answers(items: str, out: TextIO) -> Iterator[str]:
    for item in items.split(","):
        out.write(item.strip() + "\n")
        yield item


class Asker:
    """Asks the questions one by one and records every try."""

    def __init__(self, lesson: Lesson, answers: Iterator[str], out: TextIO,
                 record: Callable[[Quiz, int, bool], object] | None) -> None:
        self.lesson = lesson
        self.answers = answers
        self.out = out
        self.record = record

    def say(self, *parts: str) -> None:
        self.out.write(lines(*parts))
        self.out.flush()

    def ask_all(self) -> tuple[Outcome, ...]:
        quizzes = self.lesson.quizzes
        outcomes = []
        for number, quiz in enumerate(quizzes, 1):
            outcome = self.ask(quiz, f"Question {number} of {len(quizzes)}")
            outcomes.append(outcome)
            if not outcome.answered:  # the answers ran out: leave the rest unanswered
                outcomes += [Outcome(q) for q in quizzes[number:]]
                break
        return tuple(outcomes)

    def ask(self, quiz: Quiz, heading: str) -> Outcome:
        self.say("", wrap(safe_text(f"{heading}: {quiz.question}"), ""),
                 *(_option(i, c) for i, c in enumerate(quiz.choices)))
        round_, tries = QuizRound(quiz), list[int]()
        while not round_.settled:
            typed = self._next(f"Your answer ({keys_hint(quiz)}; s shows the answer): ")
            if typed is None:
                return Outcome(quiz, tuple(tries))
            if typed.strip().lower() in SHOW_ANSWER:
                round_.reveal()
                self._settle(round_.answer_sentence, quiz)
                return Outcome(quiz, tuple(tries), revealed=True)
            choice = parse_choice(typed, quiz)
            if choice is None:
                self.say(f"  Answer with a letter or a number: {keys_hint(quiz)}.")
                continue
            tries.append(choice)
            self._judge(round_, choice)
        return Outcome(quiz, tuple(tries), revealed=not quiz.is_correct(tries[-1]))

    def _judge(self, round_: QuizRound, choice: int) -> None:
        verdict = round_.answer(choice)
        if self.record is not None:
            self.record(round_.quiz, choice, verdict.correct)
        if verdict.correct:
            self._settle("Right.", round_.quiz)
        elif verdict.revealed:
            self._settle(f"{label(choice)} is not right either. {round_.answer_sentence}",
                         round_.quiz)
        else:
            self.say(wrap(safe_text(f"{label(choice)} {NUDGE} (Or type s to see the answer.)"),
                          "  "))

    def _settle(self, verdict: str, quiz: Quiz) -> None:
        """The verdict, then the explanation as its own paragraph."""
        self.say(wrap(safe_text(verdict), "  "), wrap(safe_text(quiz.explanation), "  "))

    def _next(self, prompt: str) -> str | None:
        self.out.write(prompt)
        self.out.flush()
        typed = next(self.answers, None)
        if typed is None:
            self.say("")  # end the prompt's line
        return typed


def _option(index: int, text: str) -> str:
    """``  b) text``, wrapped lines lined up under the text."""
    return textwrap.fill(safe_text(f"{label(index)} {text}"), width=88, initial_indent="  ",
                         subsequent_indent="     ", break_long_words=False,
                         break_on_hyphens=False)


def _recorder(workspace: Workspace | None,
              lesson: Lesson) -> Callable[[Quiz, int, bool], object] | None:
    if workspace is None:
        return None
    return lambda quiz, choice, correct: workspace.record_quiz(lesson.id, quiz.id, choice,
                                                               correct)


def run(args: argparse.Namespace) -> QuizSummary:
    course, workspace = course_and_workspace(args)
    entry = find_lesson(course, args.lesson)
    lesson = load_lesson(course.root / entry.file, entry.id)
    if not lesson.quizzes:
        return QuizSummary(lesson, (), workspace is not None)
    out = sys.stderr if args.json else sys.stdout  # the JSON stays alone on stdout
    answers = (_given_answers(args.answers, out) if args.answers is not None
               else _stdin_answers(out))
    outcomes = Asker(lesson, answers, out, _recorder(workspace, lesson)).ask_all()
    return QuizSummary(lesson, outcomes, workspace is not None)
