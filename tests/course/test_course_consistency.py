"""What the course says about itself agrees with the course.

* No starter hands out another exercise's answer: a function body that solves
  exercise Y (in Y's reference solution, and not given in Y's starter) may not
  appear in any other exercise's starter.
* A lesson's own words about its exercises match course.yaml: a count next to
  "exercise(s)" or "lab(s)" (labs are exercises too) is the lesson's number of
  exercises, and every exercise id or file a lesson names in backticks exists.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.course.model import Course

COURSE = load_course(default_course_dir())
MIN_STATEMENTS = 3  # a shorter body ("return x + 1") is no one's answer


# --- starters hold no other exercise's answer ------------------------------------------


def _bodies(path: Path) -> dict[str, str]:
    """Each function's body (docstring left out) as a normalised AST dump, by name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bodies = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value,
                                                                     ast.Constant):
                body = body[1:]
            if sum(1 for stmt in body for _ in ast.walk(stmt) if isinstance(_, ast.stmt)) \
                    >= MIN_STATEMENTS:
                bodies[node.name] = "\n".join(ast.dump(stmt) for stmt in body)
    return bodies


def starters_and_solutions(course: Course) -> dict[str, tuple[Path, Path]]:
    return {ex.id: (course.paths.starter(ex.file), course.paths.solution(ex.id))
            for ex in course.exercises}


def answers_handed_out(files: dict[str, tuple[Path, Path]]) -> list[str]:
    """Starter functions whose body is the answer to another exercise (id -> files)."""
    solved: dict[str, tuple[str, str]] = {}  # body -> (exercise, function)
    for exercise_id, (starter, solution) in files.items():
        given = set(_bodies(starter).values())
        for name, body in _bodies(solution).items():
            if body not in given:
                solved[body] = (exercise_id, name)
    found = []
    for exercise_id, (starter, _solution) in files.items():
        for name, body in _bodies(starter).items():
            owner = solved.get(body)
            if owner is not None and owner[0] != exercise_id:
                found.append(f"{starter.name}: {name}() is the answer to "
                             f"{owner[0]}'s {owner[1]}()")
    return found


def test_no_starter_contains_another_exercises_solution():
    found = answers_handed_out(starters_and_solutions(COURSE))
    assert not found, (
        "a learner who has not passed an exercise must not be handed its answer; give the "
        "later exercise a parameter and a marked stand-in instead (see may_send's classify= "
        "and redacting_filter's redact_cards=): " + "; ".join(found))


def test_the_answer_check_finds_a_solution_copied_into_a_starter(tmp_path):
    files = starters_and_solutions(COURSE)
    starter, solution = files["make_client"]
    copied = tmp_path / "make_client.py"
    copied.write_text(starter.read_text(encoding="utf-8") + "\n\n"
                      + files["parse_host"][1].read_text(encoding="utf-8"), encoding="utf-8")
    found = answers_handed_out({**files, "make_client": (copied, solution)})
    assert any("parse_host's parse_host()" in line for line in found), found
    assert any("parse_host's is_loopback()" in line for line in found), found


# --- a lesson's words about its exercises -----------------------------------------------

NUMBER_WORDS = {word: n for n, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve"))}
# "three exercises", "four\nexercises", "two short exercises", "three labs"; a singular
# count only when the lesson says it has one ("grade one exercise" in a table is not a count).
PLURAL_COUNT_RE = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r"|\d+)\s+(?:[a-z-]+\s+)?"
                             r"(?:exercises|(?-i:labs))\b", re.IGNORECASE)  # not "Invariant Labs"
SINGULAR_COUNT_RE = re.compile(r"\b(?:has|have|there is)\s+(?:only\s+)?(one|1)\s+"
                               r"(?:exercise|lab)\b",
                               re.IGNORECASE)
NAMED_EXERCISE_RE = re.compile(r"`([^`\n]+)`\s+(?:exercises?|labs?)\b"
                               r"|\b(?:exercises?|labs?)\s+`([^`\n]+)`")
EXERCISE_FILE_RE = re.compile(r"`(?:exercises/)?(\d\d_[a-z0-9_]+/[a-z0-9_]+\.py)`")
IDENTIFIER_RE = re.compile(r"[a-z][a-z0-9_]*")


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def _paragraph_after(text: str, start: int) -> str:
    end = text.find("\n\n", start)
    return text[start:] if end < 0 else text[start:end]


def lesson_problems(text: str, own: list[str], files: set[str], all_ids: set[str]) -> list[str]:
    """What a lesson's text says about exercises that the course contradicts.

    ``own``: the lesson's exercise ids in course.yaml; ``files``: every exercise file;
    ``all_ids``: every exercise id in the course.
    """
    problems = []
    for match in [*PLURAL_COUNT_RE.finditer(text), *SINGULAR_COUNT_RE.finditer(text)]:
        said = " ".join(match.group(0).split())
        if _number(match.group(1)) != len(own):
            problems.append(f"says '{said}', but course.yaml gives it {len(own)}: {own}")
        named = [name for name in re.findall(r"`([^`\n]+)`", _paragraph_after(text, match.end()))
                 if IDENTIFIER_RE.fullmatch(name) and name in all_ids]
        if named and sorted(set(named)) != sorted(own):
            problems.append(f"says '{said}' and names {named}, but its exercises are {own}")
    for match in NAMED_EXERCISE_RE.finditer(text):
        name = match.group(1) or match.group(2)
        if IDENTIFIER_RE.fullmatch(name) and name not in all_ids:
            problems.append(f"names the exercise `{name}`, which the course does not have")
    for match in EXERCISE_FILE_RE.finditer(text):
        if match.group(1) not in files:
            problems.append(f"names `{match.group(1)}`, which is no exercise's file")
    return problems


ALL_IDS = {ex.id for ex in COURSE.exercises}
ALL_FILES = {ex.file for ex in COURSE.exercises}


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_what_a_lesson_says_about_its_exercises_matches_the_course(lesson):
    text = (COURSE.root / lesson.file).read_text(encoding="utf-8")
    own = [ex.id for ex in lesson.exercises]
    problems = lesson_problems(text, own, ALL_FILES, ALL_IDS)
    assert not problems, f"{lesson.file}:\n" + "\n".join(problems)


PII = next(lesson for lesson in COURSE.lessons if lesson.id == "pii-redaction")
OLD_PII_SENTENCE = (  # lesson 9 before this test: four, when course.yaml gives it five
    "remove it. It has four exercises: `luhn` and `iban` (detectors), `pseudonymise`\n"
    "(hide personal data from the model and put it back afterwards),\n"
    "`redacting_filter` (keep it out of your logs) and `tenant_search` (retrieve only\n"
    "what the asking user may read).\n")


LABS = next(lesson for lesson in COURSE.lessons if lesson.id == "defence-labs")


@pytest.mark.parametrize("lesson, text, words", [
    (PII, OLD_PII_SENTENCE, "says 'four exercises', but course.yaml gives it 5"),
    (PII, "It has five exercises: `luhn`, `iban`, `entropy`, `pseudonymise` and "
     "`redacting_filter`.", "names ['luhn', 'iban', 'entropy'"),
    (PII, "The `luhm` exercise checks card numbers.", "`luhm`, which the course does not have"),
    (PII, "Open `exercises/09_pii/luhm.py`.", "`09_pii/luhm.py`, which is no exercise's file"),
    # Labs are counted and named like exercises (lessons 13 and 14 speak of labs).
    (LABS, "This lesson has two labs.", "says 'two labs', but course.yaml gives it 3"),
    (LABS, "The `prompt_leaks` lab keeps secrets.",
     "`prompt_leaks`, which the course does not have"),
], ids=lambda value: value.id if hasattr(value, "id") else None)
def test_the_lesson_check_catches_a_wrong_count_or_name(lesson, text, words):
    own = [ex.id for ex in lesson.exercises]
    problems = lesson_problems(text, own, ALL_FILES, ALL_IDS)
    assert any(words in problem for problem in problems), problems
