"""The manifest loader: valid courses load, broken ones say file:line and how to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.course.loader import load_course
from tutor.errors import ContentError, UsageError


def write_manifest(course: Path, text: str) -> None:
    (course / "course.yaml").write_text(text, encoding="utf-8")


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_course(root)
    return [str(p) for p in info.value.problems]


def test_loads_lessons_and_exercises_in_order(mini_course):
    assert [lesson.id for lesson in mini_course.lessons] == ["demo-lesson"]
    assert [ex.id for ex in mini_course.exercises] == ["adder", "greeter"]
    adder = mini_course.exercise("adder")
    assert adder.timeout == 4
    assert adder.tags == ("demo",)
    assert len(adder.hints) == 2
    assert adder.lesson_id == "demo-lesson"


def test_unknown_exercise_suggests_the_closest_id(mini_course):
    with pytest.raises(UsageError, match="Did you mean 'adder'"):
        mini_course.exercise("addr")


def test_malformed_yaml_names_file_and_line(mini_course):
    write_manifest(mini_course.root, "format_version: 1\nid: x\ntitle: [unclosed\nlessons: []\n")
    (problem,) = problems_of(mini_course.root)
    assert "course.yaml:" in problem and "invalid YAML" in problem
    line = int(problem.split("course.yaml:")[1].split(":")[0])
    assert line in (3, 4)


def test_unknown_key_suggests_the_right_one(mini_course):
    text = (mini_course.root / "course.yaml").read_text().replace("hints:", "hint:", 1)
    write_manifest(mini_course.root, text)
    problems = problems_of(mini_course.root)
    assert any("unknown key 'hint'" in p and "did you mean 'hints'" in p for p in problems)
    assert any(":14:" in p for p in problems), problems


def test_duplicate_ids_are_reported_with_both_lines(mini_course):
    text = (mini_course.root / "course.yaml").read_text().replace("id: greeter", "id: adder")
    write_manifest(mini_course.root, text)
    problems = problems_of(mini_course.root)
    assert any("'adder' is used twice (first on line 8)" in p for p in problems), problems


def test_duplicate_yaml_keys_are_an_error(mini_course):
    text = (mini_course.root / "course.yaml").read_text().replace(
        "        timeout: 4\n", "        timeout: 4\n        timeout: 5\n", 1)
    write_manifest(mini_course.root, text)
    assert any("duplicate key 'timeout'" in p for p in problems_of(mini_course.root))


def test_hint_count_and_timeout_are_validated(mini_course):
    text = (mini_course.root / "course.yaml").read_text()
    text = text.replace("timeout: 4", "timeout: 0", 1).replace("          - Use +.\n", "", 1)
    write_manifest(mini_course.root, text)
    problems = problems_of(mini_course.root)
    assert any("timeout of exercise 'adder'" in p for p in problems)
    assert any("needs 2 or 3 hints" in p for p in problems)


def test_paths_must_stay_inside_the_course(mini_course):
    text = (mini_course.root / "course.yaml").read_text().replace(
        "file: demo/adder.py", "file: ../../etc/adder.py")
    write_manifest(mini_course.root, text)
    assert any("relative path inside the course" in p for p in problems_of(mini_course.root))


def test_newer_format_asks_to_upgrade(mini_course):
    text = (mini_course.root / "course.yaml").read_text().replace("format_version: 1",
                                                                  "format_version: 99")
    write_manifest(mini_course.root, text)
    assert any("pip install -U aisec-tutor" in p for p in problems_of(mini_course.root))


def test_missing_lesson_file_is_reported(mini_course):
    (mini_course.root / "lessons" / "01-demo.md").unlink()
    assert any("does not exist" in p for p in problems_of(mini_course.root))


def test_a_directory_without_manifest_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no course manifest"):
        load_course(tmp_path)


def test_tracks_must_name_known_lessons_and_their_exercises(mini_course):
    text = (mini_course.root / "course.yaml").read_text()
    text = text.replace("lessons: [demo-lesson]", "lessons: [demo-lesson, nope]")
    text = text.replace("exercises: [greeter]", "exercises: [greeter, elsewhere]")
    write_manifest(mini_course.root, text)
    problems = problems_of(mini_course.root)
    assert any("unknown lesson 'nope'" in p for p in problems), problems
    assert any("'elsewhere', which is not an exercise of its lessons" in p for p in problems)


def test_every_exercise_carries_a_time_estimate(mini_course):
    assert mini_course.exercise("adder").minutes == 5


@pytest.mark.parametrize("value", ["", "minutes: 0", "minutes: 90", "minutes: ten",
                                   "minutes: true"])
def test_a_missing_or_silly_time_estimate_is_named(mini_course, value):
    text = (mini_course.root / "course.yaml").read_text().replace(
        "        minutes: 5\n", f"        {value}\n" if value else "", 1)
    write_manifest(mini_course.root, text)
    problems = problems_of(mini_course.root)
    assert any("exercise 'adder' needs 'minutes'" in p for p in problems), problems


def test_unknown_lesson_suggests_the_closest_id(mini_course):
    with pytest.raises(UsageError, match="Did you mean 'demo-lesson'"):
        mini_course.lesson("demo-lesso")


def test_unknown_key_with_nothing_close_lists_the_allowed_keys(mini_course):
    text = (mini_course.root / "course.yaml").read_text().replace(
        "        timeout: 4\n", "        timeout: 4\n        xyzzy: 1\n", 1)
    write_manifest(mini_course.root, text)
    problems = problems_of(mini_course.root)
    assert any("unknown key 'xyzzy' in an exercise" in p and "allowed: file, hints, id" in p
               for p in problems), problems


def test_a_track_without_exercises_takes_all_of_its_lessons(mini_course):
    text = (mini_course.root / "course.yaml").read_text().replace(
        "    exercises: [greeter]\n", "")
    write_manifest(mini_course.root, text)
    track = load_course(mini_course.root).track("quick")
    assert track.exercises == ("adder", "greeter")
    assert track.lessons == ("demo-lesson",) and track.minutes == 15


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("minutes: 15", "minutes: 0", "track 'quick' needs 'minutes' as a whole number"),
    ("lessons: [demo-lesson]", "lessons: []",
     "track 'quick' needs a non-empty list of lesson ids"),
    ("exercises: [greeter]", "exercises: greeter", "'exercises' of track 'quick' must be a list"),
    # A list where an id belongs is named, not a crash (unhashable in a lookup).
    ("lessons: [demo-lesson]", "lessons: [[demo-lesson]]", "unknown lesson '['demo-lesson']'"),
    ("exercises: [greeter]", "exercises: [[greeter]]",
     "names '['greeter']', which is not an exercise"),
])
def test_track_fields_are_validated(mini_course, old, new, expected):
    text = (mini_course.root / "course.yaml").read_text().replace(old, new, 1)
    write_manifest(mini_course.root, text)
    problems = problems_of(mini_course.root)
    assert any(expected in p for p in problems), problems


def test_tracks_must_be_a_list(mini_course):
    text = (mini_course.root / "course.yaml").read_text()
    write_manifest(mini_course.root, text.partition("tracks:\n")[0] + "tracks: quick\n")
    problems = problems_of(mini_course.root)
    assert any(":25: 'tracks' must be a list" in p for p in problems), problems


@pytest.mark.parametrize("tags", ["[demo, '']", "demo", "[[demo]]"])
def test_tags_must_be_a_list_of_text(mini_course, tags):
    text = (mini_course.root / "course.yaml").read_text().replace("tags: [demo]",
                                                                  f"tags: {tags}", 1)
    write_manifest(mini_course.root, text)
    problems = problems_of(mini_course.root)
    assert any(":13: tags of exercise 'adder' must be a list of text" in p for p in problems)


def test_empty_tags_mean_none(mini_course):
    text = (mini_course.root / "course.yaml").read_text().replace("tags: [demo]", "tags:", 1)
    write_manifest(mini_course.root, text)
    assert load_course(mini_course.root).exercise("adder").tags == ()


@pytest.mark.parametrize(("line", "expected"), [
    ("", "no 'format_version'"),
    ("format_version: one\n", "'format_version' must be a whole number"),
    ("format_version: true\n", "'format_version' must be a whole number"),
    ("format_version: 0\n", "format_version must be 1"),
])
def test_format_version_is_validated(mini_course, line, expected):
    text = (mini_course.root / "course.yaml").read_text().replace("format_version: 1\n", line)
    write_manifest(mini_course.root, text)
    assert any(expected in p for p in problems_of(mini_course.root))


def test_exercises_of_a_lesson_must_be_a_list(mini_course):
    text = (mini_course.root / "course.yaml").read_text()
    head, _, _ = text.partition("    exercises:\n")
    write_manifest(mini_course.root, head + "    exercises: adder\n")
    problems = problems_of(mini_course.root)
    assert any("'exercises' of lesson 'demo-lesson' must be a list" in p for p in problems)


def _with_reading_lesson(mini_course, entry: str) -> None:
    """Append a second lesson entry (reusing the demo lesson's file) before the tracks."""
    text = (mini_course.root / "course.yaml").read_text()
    head, sep, tail = text.partition("tracks:\n")
    write_manifest(mini_course.root, head + entry + sep + tail)


def test_a_lesson_may_have_an_empty_exercise_list(mini_course):
    """A reading-only lesson (its lab comes later) says `exercises: []` and loads."""
    _with_reading_lesson(mini_course, "  - id: reading-only\n    file: lessons/01-demo.md\n"
                                      "    exercises: []\n")
    course = load_course(mini_course.root)
    assert course.lesson("reading-only").exercises == ()
    assert [ex.id for ex in course.exercises] == ["adder", "greeter"]


def test_a_lesson_carries_its_own_tags(mini_course):
    _with_reading_lesson(mini_course, "  - id: reading-only\n    file: lessons/01-demo.md\n"
                                      "    tags: [ASI01, ASI02]\n    exercises: []\n")
    course = load_course(mini_course.root)
    assert course.lesson("reading-only").tags == ("ASI01", "ASI02")
    assert course.lesson("demo-lesson").tags == ()


def test_lesson_tags_must_be_a_list_of_text(mini_course):
    _with_reading_lesson(mini_course, "  - id: reading-only\n    file: lessons/01-demo.md\n"
                                      "    tags: ASI01\n    exercises: []\n")
    problems = problems_of(mini_course.root)
    assert any("tags of lesson 'reading-only' must be a list of text" in p for p in problems), \
        problems
