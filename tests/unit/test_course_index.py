"""The course index behind `aisec list`: kept in the workspace, never stale.

A cache that can be wrong is worse than none: every edit to a lesson, a check
file or course.yaml must change what the index says, and a damaged cache file
is worked out again, never trusted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.course.lessons import load_lesson
from tutor.course.loader import load_course
from tutor.learner import course_index as index_module
from tutor.learner.course_index import build, cached_index, course_index


@pytest.fixture
def course(course_dir: Path):
    return load_course(course_dir)


def counting_builds(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = index_module.build

    def counted(course):
        calls.append(1)
        return real(course)

    monkeypatch.setattr(index_module, "build", counted)
    return calls


def test_the_index_says_what_the_files_say(course, tmp_path):
    index = course_index(course, tmp_path)
    assert index == build(course)
    lesson = index.lessons["demo-lesson"]
    assert (lesson.minutes, lesson.quizzes) == (5, 1)
    assert lesson.objectives == tuple(load_lesson(course.root / course.lessons[0].file)
                                      .objectives) != ()
    assert index.required_checks["adder"] == 3


def test_the_tui_reads_the_index_only_when_it_is_up_to_date(course_dir, tmp_path):
    course = load_course(course_dir)
    assert cached_index(course, tmp_path) is None  # nothing kept yet
    kept = course_index(course, tmp_path)
    assert cached_index(course, tmp_path) == kept
    lesson = course_dir / course.lessons[0].file
    lesson.write_text(lesson.read_text() + "\nOne more line.\n")
    assert cached_index(course, tmp_path) is None  # stale: never worked out here


def test_a_second_listing_is_answered_from_the_cache(course, tmp_path, monkeypatch):
    first = course_index(course, tmp_path)
    builds = counting_builds(monkeypatch)
    assert course_index(course, tmp_path) == first
    assert builds == []


@pytest.mark.parametrize("edit", ["lesson", "check", "course.yaml"])
def test_an_edit_to_any_source_file_invalidates_it(course_dir, tmp_path, monkeypatch, edit):
    course = load_course(course_dir)
    before = course_index(course, tmp_path)
    if edit == "lesson":
        lesson = course_dir / course.lessons[0].file
        text = lesson.read_text()
        quiz = text[text.index("```quiz"):text.index("```", text.index("```quiz") + 7) + 3]
        lesson.write_text(text + "\n" + quiz.replace("id: q1", "id: q2") + "\n")
    elif edit == "check":
        check = course.paths.check_file("adder")
        check.write_text(check.read_text() + "\n\ndef test_one_more(exercise):\n"
                         "    assert exercise.add(2, 2) == 4\n")
    else:
        yaml_file = course_dir / "course.yaml"
        yaml_file.write_text(yaml_file.read_text().replace("minutes: 5", "minutes: 7", 1))
    course = load_course(course_dir)
    builds = counting_builds(monkeypatch)
    after = course_index(course, tmp_path)
    assert builds == [1], "the edit was noticed"
    assert after == build(course)
    if edit != "course.yaml":  # course.yaml's edit (an exercise's minutes) lists the same
        assert after != before


def test_a_damaged_or_forged_cache_is_worked_out_again(course, tmp_path):
    good = course_index(course, tmp_path)
    cache = tmp_path / "course-index.json"
    data = json.loads(cache.read_text())
    data["lessons"]["demo-lesson"][2] = "many"  # a forged count of the right key
    cache.write_text(json.dumps(data))
    assert course_index(course, tmp_path) == good
    data["lessons"]["demo-lesson"] = ["\x1b]52;c;cGF5bG9hZA==\x07Lesson", 5, 1, []]
    cache.write_text(json.dumps(data))  # a title that would drive the terminal
    assert course_index(course, tmp_path) == good
    data["lessons"]["demo-lesson"] = ["Lesson", 5, 1, ["Learn \x1b[2J this"]]
    cache.write_text(json.dumps(data))  # and an objective
    assert course_index(course, tmp_path) == good
    data["lessons"]["demo-lesson"] = ["Lesson", 5, 1]
    cache.write_text(json.dumps(data))  # the first format's entry
    assert course_index(course, tmp_path) == good
    cache.write_text("{not json")
    assert course_index(course, tmp_path) == good
    cache.unlink()
    cache.mkdir()  # not even a file
    assert course_index(course, tmp_path) == good


def test_without_a_workspace_or_a_writable_cache_it_is_worked_out(course, tmp_path):
    assert course_index(course, None) == build(course)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert course_index(course, blocked / "cache") == build(course)


def test_home_reads_no_lesson_file_while_the_index_is_up_to_date(mini_workspace, monkeypatch):
    """The TUI's lesson list starts from the kept index; a stale one is not used, and each
    lesson's front matter is read instead."""
    from tutor.tui import app as app_module
    from tutor.tui.app import AisecApp

    ws = mini_workspace
    reads: list[Path] = []
    real = app_module.read_summary
    monkeypatch.setattr(app_module, "read_summary", lambda path: reads.append(path) or real(path))
    kept = course_index(ws.course, ws.paths.cache)
    app = AisecApp(ws.course, ws)
    assert [app.lesson_summary(e.id) for e in ws.course.lessons] == [
        kept.lessons[e.id] for e in ws.course.lessons]
    assert reads == []
    lesson = ws.course.root / ws.course.lessons[0].file
    lesson.write_text(lesson.read_text().replace("minutes: 5", "minutes: 6"))
    app = AisecApp(ws.course, ws)
    assert app.lesson_summary(ws.course.lessons[0].id).minutes == 6
    assert reads == [lesson]
