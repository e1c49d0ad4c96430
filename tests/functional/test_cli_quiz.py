"""``aisec quiz``: a lesson's quiz in plain text, answered on stdin or with --answers,
recorded as the TUI records it, in temporary workspaces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run

SECOND_QUIZ = """
```quiz
id: q2
question: Which colour is the sky on a clear day?
choices:
  - green
  - blue
  - red
answer: 1
explanation: Air scatters blue light the most.
```
"""

NO_QUIZ_LESSON = """---
id: quiet-lesson
title: A lesson without questions
minutes: 2
objectives:
  - Read.
sources:
  - title: Python documentation
    url: https://docs.python.org/3/
---

# Quiet

Nothing to answer here.
"""


@pytest.fixture
def ws(tmp_path: Path, course_dir: Path, aisec) -> Path:
    """A workspace on the mini course, whose demo lesson has two questions
    (q1: 1 + 1 with options 1 and 2; q2: three colours, blue right) and a second
    lesson with none."""
    lesson = course_dir / "lessons" / "01-demo.md"
    text = lesson.read_text()
    lesson.write_text(text.replace("Closing words.", SECOND_QUIZ + "\nClosing words."))
    (course_dir / "lessons" / "02-quiet.md").write_text(NO_QUIZ_LESSON)
    manifest = course_dir / "course.yaml"
    manifest.write_text(manifest.read_text().replace(
        "tracks:", "  - id: quiet-lesson\n    file: lessons/02-quiet.md\ntracks:"))
    result = aisec("--course", course_dir, "init", "w", cwd=tmp_path)
    assert result.code == 0, result.err
    return tmp_path / "w"


def quiz(*args: str, cwd: Path, typed: str | None = None, before: tuple[str, ...] = ()) -> Run:
    """``aisec [before] quiz ...`` as a learner runs it, with ``typed`` fed to stdin."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "AISEC"))}
    env["NO_COLOR"] = "1"
    proc = subprocess.run([sys.executable, "-m", "tutor", *before, "quiz", *args], cwd=cwd, env=env,
                          input=typed or "", capture_output=True, text=True, timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def answers(ws: Path) -> dict:
    progress = json.loads((ws / ".aisec/progress.json").read_text())
    return progress["lessons"]["demo-lesson"]["quiz"]


def test_questions_are_asked_on_stdin_and_every_try_is_recorded(ws):
    result = quiz("demo-lesson", cwd=ws, typed="b\nc\nb\n")
    assert result.code == 0, result.err
    out = result.out
    assert "Question 1 of 2: What is 1 + 1?" in out and "  a) 1\n  b) 2\n" in out
    assert "Right.\n  One plus one is two." in out
    # q2: a wrong try gets a nudge, not the answer; the second try is right.
    first_try = out.split("Question 2 of 2")[1]
    assert "c) Not quite" in first_try
    assert first_try.index("Not quite") < first_try.index("Right.")
    assert "The answer is" not in out
    assert "Right on the first try: 1 of 2." in out
    recorded = answers(ws)
    assert recorded["q1"] == {**recorded["q1"], "attempts": 1, "choice": 1, "correct": True,
                              "first_correct": True}
    assert recorded["q2"] == {**recorded["q2"], "attempts": 2, "choice": 1, "correct": True,
                              "first_correct": False}


def test_two_wrong_tries_reveal_the_answer_and_the_explanation(ws):
    result = quiz("demo-lesson", "--answers", "2,a,c", cwd=ws)
    assert result.code == 0, result.err
    q2 = result.out.split("Question 2 of 2")[1]
    assert "a) Not quite" in q2
    assert "c) is not right either. The answer is b) blue." in q2
    assert "Air scatters blue light the most." in q2
    assert answers(ws)["q2"]["attempts"] == 2 and answers(ws)["q2"]["correct"] is False


def test_s_shows_the_answer_without_a_try(ws):
    result = quiz("demo-lesson", cwd=ws, typed="s\n1\n")
    assert "The answer is b) 2." in result.out and "One plus one is two." in result.out
    assert "q1" not in answers(ws), "asking for the answer is not a try"
    assert answers(ws)["q2"]["choice"] == 0


def test_a_typo_is_asked_again_and_running_out_of_answers_stops_cleanly(ws):
    result = quiz("demo-lesson", cwd=ws, typed="yes\nB)\n")
    assert result.code == 0 and "Traceback" not in result.err
    assert "Answer with a letter or a number: a–b or 1–2." in result.out
    assert "1 of 2 not answered" in result.out
    assert "q2" not in answers(ws) and answers(ws)["q1"]["choice"] == 1


def test_json_summary_stays_alone_on_stdout(ws):
    result = quiz("demo-lesson", "--answers", "a,b,blue,2", "--json", cwd=ws)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["schema_version"] == 1 and data["lesson"] == "demo-lesson"
    assert (data["questions"], data["answered"], data["first_try_correct"]) == (2, 2, 1)
    q1, q2 = data["results"]
    assert q1 == {"id": "q1", "question": "What is 1 + 1?", "answered": True,
                  "tries": ["a", "b"], "correct": True, "first_try_correct": False,
                  "revealed": False, "answer": "b"}
    assert q2["tries"] == ["b"] and q2["first_try_correct"] is True
    assert "Question 1 of 2" in result.err, "the transcript goes to stderr with --json"


def test_the_lesson_number_from_list_works_and_a_lesson_without_quiz_says_so(ws, aisec):
    listing = aisec("list", "--all", cwd=ws).out
    assert " 1. A lesson without questions" in listing
    result = quiz("1", cwd=ws)
    assert result.code == 0
    assert "The lesson 'A lesson without questions' has no quiz questions." in result.out
    assert "aisec lesson quiet-lesson" in result.out
    by_number = quiz("0", "--answers", "b,b", cwd=ws)
    assert "Right on the first try: 2 of 2." in by_number.out


def test_an_unknown_lesson_is_named_without_a_traceback(ws):
    result = quiz("nope", cwd=ws)
    assert result.code == 2 and "nope" in result.err and "Traceback" not in result.err


def test_without_a_workspace_it_asks_but_says_nothing_was_recorded(tmp_path, ws, course_dir):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = quiz("demo-lesson", "--answers", "b,b", cwd=elsewhere,
                  before=("--course", str(course_dir)))
    assert result.code == 0, result.err
    assert "Right on the first try: 2 of 2." in result.out
    assert "not recorded" in result.err
