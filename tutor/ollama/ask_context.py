"""What the AI helper is told: the lesson, the exercise, and only on request the code.

By default the helper sees course material only (the lesson without its quiz
answers, the exercise's instructions). The learner's file and the messages of
its failing checks are added only when the learner asks for it
(``--include-code``); nothing here is ever sent anywhere but the local model.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from tutor.course.model import Course, Exercise, LessonEntry
from tutor.errors import Remedy, UsageError
from tutor.learner.workspace import Workspace

# Characters. All of it must fit the context aisec ask asks for (assistant.NUM_CTX,
# 8,192 tokens) with the system prompt and an answer: at 3 or more characters a token
# (English prose runs about 4), 20,000 characters are at most about 6,700 tokens.
# Beyond the context, Ollama cuts the prompt, and what it cuts may be the rules.
MAX_CONTEXT = 20_000
MAX_LESSON = 12_000  # the lesson gets what the other parts leave, up to this
MAX_INSTRUCTIONS = 6_000
MAX_CODE = 8_000
MAX_FAILING = 3_000  # the failing checks' messages, together
MAX_FAILURES = 10


@dataclass
class AskContext:
    lesson: LessonEntry | None = None
    lesson_title: str = ""
    lesson_text: str = ""
    exercise: Exercise | None = None
    instructions: str = ""
    code_file: str = ""
    code: str | None = None
    failures: list[str] = field(default_factory=list)

    def render(self) -> str:
        """The context block of the user message, each part in its own tag, at most
        :data:`MAX_CONTEXT` characters: the lesson gets the room the others leave."""
        parts = []
        if self.exercise is not None:
            parts.append(f'<exercise id="{self.exercise.id}" title="{self.exercise.title}">\n'
                         f"{_cut(self.instructions, MAX_INSTRUCTIONS)}\n</exercise>")
        if self.code is not None:
            parts.append(f'<learner_code file="{self.code_file}">\n'
                         f"{_cut(self.code, MAX_CODE)}\n</learner_code>")
            failing = "\n".join(f"- {f}" for f in self.failures[:MAX_FAILURES]) or "(none)"
            parts.append(f"<failing_checks>\n{_cut(failing, MAX_FAILING)}\n</failing_checks>")
        if self.lesson is not None:
            head = f'<lesson id="{self.lesson.id}" title="{self.lesson_title}">\n'
            tail = "\n</lesson>"
            taken = sum(len(part) + 2 for part in parts) + len(head) + len(tail) + len(CUT)
            room = max(0, min(MAX_LESSON, MAX_CONTEXT - taken))
            parts.insert(0, f"{head}{_cut(self.lesson_text, room)}{tail}")
        return "\n\n".join(parts)

    def describe(self) -> str:
        """One line for the learner: what the helper will see."""
        seen = []
        if self.lesson is not None:
            seen.append(f"lesson '{self.lesson.id}'")
        if self.exercise is not None:
            seen.append(f"exercise '{self.exercise.id}' (instructions)")
        if self.code is not None:
            seen.append(f"your code in {self.code_file} and "
                        f"{len(self.failures)} failing check message(s)")
        return ", ".join(seen) if seen else "your question only"


CUT = "\n[... cut to fit the model]"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + CUT


def lesson_text(course: Course, entry: LessonEntry) -> tuple[str, str]:
    """(title, plain text) of a lesson, with quiz questions but not their answers."""
    from tutor.course.lessons import load_lesson
    from tutor.course.plaintext import markdown_to_text, quiz_to_text

    lesson = load_lesson(course.root / entry.file, entry.id)
    parts, number = [], 0
    for segment in lesson.segments:
        if isinstance(segment, str):
            parts.append(markdown_to_text(segment))
        else:
            number += 1
            parts.append(quiz_to_text(segment, number))
    return lesson.title, "\n".join(parts).strip()


def instructions(course: Course, ex: Exercise) -> str:
    """The starter file's docstring: the exercise's instructions, never learner code."""
    try:
        tree = ast.parse(course.paths.starter(ex.file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return ""
    return ast.get_docstring(tree) or ""


def failing_messages(workspace: Workspace, ex: Exercise) -> list[str]:
    """Grade the learner's file without recording an attempt; the failing checks' messages."""
    from tutor.grader.runner import grade

    result = grade(workspace.course.paths.checks, ex.id, workspace.exercise_path(ex),
                   workspace.display(ex), ex.timeout)
    failures = [f"{c.title}: {c.message}" if c.message else c.title
                for c in result.checks if c.outcome != "passed" and not c.optional]
    if result.message:
        failures.insert(0, result.message)
    return failures


def gather(course: Course, workspace: Workspace | None, *, lesson_id: str | None,
           exercise_id: str | None, include_code: bool) -> AskContext:
    context = AskContext()
    ex = course.exercise(exercise_id) if exercise_id else None
    if ex is None and lesson_id is None and workspace is not None:
        ex = workspace.current_exercise()  # "the current lesson", as the TUI would show
    entry = course.lesson(lesson_id) if lesson_id else (
        course.lesson(ex.lesson_id) if ex is not None else None)
    if entry is not None:
        context.lesson = entry
        context.lesson_title, context.lesson_text = lesson_text(course, entry)
    if ex is not None:
        context.exercise, context.instructions = ex, instructions(course, ex)
    if include_code:
        if workspace is None:
            raise UsageError("--include-code sends your exercise file, so it needs a "
                             "workspace: run it inside one (or pass --workspace DIR).")
        if ex is None:
            raise UsageError("--include-code needs an exercise: add --exercise ID.")
        path = workspace.exercise_path(ex)
        try:
            context.code = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"Cannot read {workspace.display(ex)} ({exc.strerror}).",
                             remedy=Remedy.RESTORE_STARTER, subject=ex.id) from None
        context.code_file = workspace.display(ex)
        context.failures = failing_messages(workspace, ex)
    return context
