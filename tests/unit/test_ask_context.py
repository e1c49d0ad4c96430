"""What aisec ask sends fits the context it asks for, whatever the parts weigh."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.course.model import LessonEntry
from tutor.ollama.ask_context import MAX_CONTEXT, MAX_LESSON, AskContext


def _context(lesson: int, instructions: int, code: int | None, failures: int) -> AskContext:
    class Exercise:  # what render() reads of an exercise
        id, title = "adder", "Add two numbers"

    return AskContext(lesson=LessonEntry(id="demo", file="demo.md"), lesson_title="Demo",
                      lesson_text="L" * lesson, exercise=Exercise(),  # type: ignore[arg-type]
                      instructions="I" * instructions, code_file="exercises/demo/adder.py",
                      code=None if code is None else "C" * code,
                      failures=[f"check {n}: " + "F" * 500 for n in range(failures)])


@settings(max_examples=60, deadline=None)
@given(lesson=st.integers(0, 40_000), instructions=st.integers(0, 40_000),
       code=st.none() | st.integers(0, 40_000), failures=st.integers(0, 30))
def test_the_context_never_exceeds_its_budget_and_keeps_every_part(lesson, instructions,
                                                                    code, failures):
    text = _context(lesson, instructions, code, failures).render()
    assert len(text) <= MAX_CONTEXT
    assert text.startswith('<lesson id="demo"') and "<exercise id=\"adder\"" in text
    assert ("<failing_checks>" in text) == (code is not None)


def test_the_lesson_keeps_its_full_share_when_the_rest_is_short():
    text = _context(lesson=50_000, instructions=500, code=None, failures=0).render()
    assert text.count("L") == MAX_LESSON
