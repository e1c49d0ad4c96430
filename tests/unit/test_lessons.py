"""Lessons: front matter, quizzes, problems with line numbers, plain-text rendering."""

from __future__ import annotations

import pytest

from tutor.course.lessons import Quiz, load_lesson
from tutor.course.plaintext import lesson_to_text, markdown_to_text
from tutor.errors import ContentError


def lesson_path(course):
    return course.root / "lessons" / "01-demo.md"


def problems(path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_lesson(path)
    return [str(p) for p in info.value.problems]


def test_front_matter_and_quiz_are_parsed(mini_course):
    lesson = load_lesson(lesson_path(mini_course), "demo-lesson")
    assert lesson.title == "A demo lesson"
    assert lesson.minutes == 5
    assert lesson.sources[0].url == "https://docs.python.org/3/"
    (quiz,) = lesson.quizzes
    assert quiz.choices == ("1", "2")
    assert quiz.is_correct(1) and not quiz.is_correct(0)
    kinds = [type(s) for s in lesson.segments]
    assert kinds == [str, Quiz, str], "quiz stays in reading order between the texts"


def test_quiz_with_answer_out_of_range_names_its_line(mini_course):
    path = lesson_path(mini_course)
    path.write_text(path.read_text().replace("answer: 1", "answer: 5"))
    (problem,) = problems(path)
    assert "01-demo.md:30:" in problem and "'answer' must be the index" in problem


def test_quiz_with_broken_yaml_names_its_line(mini_course):
    path = lesson_path(mini_course)
    path.write_text(path.read_text().replace("question: What is 1 + 1?",
                                             "question: [What is 1 + 1?"))
    (problem,) = problems(path)
    assert "01-demo.md:" in problem and "invalid YAML" in problem
    line = int(problem.split("01-demo.md:")[1].split(":")[0])
    assert 25 <= line <= 31


def test_missing_front_matter_is_reported(mini_course):
    path = lesson_path(mini_course)
    path.write_text("# No front matter\n")
    assert "no YAML front matter" in problems(path)[0]


def test_front_matter_problems_are_all_reported(mini_course):
    path = lesson_path(mini_course)
    text = path.read_text().replace("minutes: 5", "minutes: lots").replace(
        "url: https://docs.python.org/3/", "url: docs.python.org")
    path.write_text(text)
    found = problems(path)
    assert any(":4:" in p and "minutes" in p for p in found), found
    assert any("not a web address" in p for p in found), found


def test_id_must_match_manifest(mini_course):
    found = problems_of_id(lesson_path(mini_course))
    assert "does not match the manifest's 'other'" in found


def problems_of_id(path) -> str:
    with pytest.raises(ContentError) as info:
        load_lesson(path, "other")
    return str(info.value)


def test_plain_text_has_no_markdown_markup_and_lists_answers_last(mini_course):
    text = lesson_to_text(load_lesson(lesson_path(mini_course)))
    assert "**" not in text and "```" not in text
    assert "link (https://example.org)" in text
    assert "Quiz 1: What is 1 + 1?" in text
    assert text.index("Quiz answers") > text.index("Closing words")
    assert text.count("A demo lesson") == 1, "the H1 repeating the title is not printed twice"


def test_last_checked_date_and_sources_are_shown_to_learners(mini_course):
    lesson = load_lesson(lesson_path(mini_course), "demo-lesson")
    assert str(lesson.last_checked) == "2026-11-30"
    text = lesson_to_text(lesson)
    assert "Python documentation: https://docs.python.org/3/" in text
    assert "last checked against these sources on 2026-11-30" in text


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "9999-01-01", "2026-11-30 10:00:00"])
def test_last_checked_must_be_a_real_past_date(mini_course, value):
    path = lesson_path(mini_course)
    path.write_text(path.read_text().replace("last_checked: 2026-11-30",
                                             f"last_checked: {value}"))
    found = problems(path)
    assert any("'last_checked'" in p and ":5:" in p for p in found), found


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('  - "2"\n', "", "'choices' must be a list of at least two answers"),
    ("answer: 1", "answer: true", "'answer' must be the index of the right choice, from 0 to 1"),
])
def test_quiz_choices_and_answer_are_validated(mini_course, old, new, expected):
    path = lesson_path(mini_course)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    assert any(expected in p for p in problems(path))


def test_objectives_must_be_a_list_of_text(mini_course):
    path = lesson_path(mini_course)
    text = path.read_text()
    head, _, rest = text.partition("objectives:\n")
    path.write_text(head + "objectives: read it\n" + rest.split("\n", 1)[1])
    assert any("'objectives' must be a non-empty list of text" in p for p in problems(path))


MARKDOWN = """# Title

Some *text* with `code` and [a link](https://x.org), [a section](#top)
and a soft break.

## Steps

3. first
4. second
   - nested bullet

> quoted
> - in a list

| a | b |
| --- | --- |
| 1 | `x` |

```python
print(1)
```

***

![diagram](d.png)
"""

PLAIN = """Title
=====

Some text with `code` and a link (https://x.org), a section and a soft break.

Steps
-----

3. first
4. second
   - nested bullet

| quoted
| - in a list

  a | b
  1 | `x`

  [python code]
    print(1)

--------------------

[image: diagram]
"""


def test_each_markdown_block_has_a_plain_text_form():
    assert markdown_to_text(MARKDOWN) == PLAIN


def test_sections_cut_before_headings_but_not_inside_code():
    from tutor.course.lessons import sections

    text = "Intro.\n\n## One\n\nText.\n\n```\n## not a heading\n```\n\n### Two\n\nMore."
    assert sections(text) == ("Intro.", "## One\n\nText.\n\n```\n## not a heading\n```",
                              "### Two\n\nMore.")
    assert "".join(sections(text)).replace("\n", "") == text.replace("\n", "")


def test_drop_title_only_drops_a_leading_repeat_of_the_title():
    from tutor.course.lessons import drop_title

    assert drop_title("# A title\n\nText.", "A title") == "Text."
    assert drop_title("# Another\n\nText.", "A title") == "# Another\n\nText."
    assert drop_title("Text.\n# A title", "A title") == "Text.\n# A title"


def test_plain_text_wraps_long_quiz_questions_and_choices(mini_course):
    from tutor.course.plaintext import quiz_to_text

    quiz = Quiz(id="q", question="Why " * 40, choices=("because " * 20, "no"), answer=1,
                explanation="x")
    lines = quiz_to_text(quiz, 1).splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].startswith("Quiz 1: Why") and lines[1].startswith("  Why")
    assert any(line.startswith("  a) because") for line in lines)
    assert "  b) no" in lines
