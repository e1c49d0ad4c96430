"""Workspaces: creation, discovery, reset with backup, solutions only after a pass."""

from __future__ import annotations

import json

import pytest

from tutor.errors import UsageError
from tutor.learner.paths import find_workspace
from tutor.learner.state import Place
from tutor.learner.workspace import SolutionLocked, Workspace

SOLVED_ADDER = "def add(a, b):\n    return a + b\n"
WRONG_ADDER = "def add(a, b):\n    return a - b\n"


def test_create_copies_starters_and_state(mini_workspace, mini_course):
    ws = mini_workspace
    starter = mini_course.paths.starter("demo/adder.py").read_text()
    assert (ws.root / "exercises/demo/adder.py").read_text() == starter
    assert (ws.root / ".aisec/progress.json").is_file()
    assert (ws.root / "README.md").is_file()
    assert not (ws.root / "solutions").exists(), "no solution before a pass"


def test_create_refuses_an_existing_workspace(mini_workspace, mini_course):
    with pytest.raises(UsageError, match="already an aisec workspace"):
        Workspace.create(mini_workspace.root, mini_course, custom_course=True)


def test_create_never_overwrites_a_learners_file(tmp_path, mini_course):
    mine = tmp_path / "ws" / "exercises" / "demo" / "adder.py"
    mine.parent.mkdir(parents=True)
    mine.write_text("my work")
    with pytest.raises(UsageError, match="never overwrites"):
        Workspace.create(tmp_path / "ws", mini_course, custom_course=True)
    assert mine.read_text() == "my work"


def test_workspace_is_found_from_a_subfolder(mini_workspace):
    assert find_workspace(mini_workspace.root / "exercises" / "demo") == mini_workspace.root


def test_open_uses_the_course_recorded_at_init(mini_workspace, monkeypatch):
    monkeypatch.chdir(mini_workspace.root / "exercises")
    opened = Workspace.open(None, None)
    assert opened.course.id == "mini"


def test_reset_backs_up_the_learners_file(mini_workspace):
    ws = mini_workspace
    ex = ws.course.exercise("adder")
    ws.exercise_path(ex).write_text("# my attempt\n")
    backup = ws.reset(ex)
    assert backup is not None and backup.read_text() == "# my attempt\n"
    assert backup.parent == ws.root / ".aisec" / "backups"
    assert "NotImplementedError" in ws.exercise_path(ex).read_text()
    assert ws.reset(ex) is None, "resetting an untouched starter needs no backup"


def test_reset_restores_a_deleted_file(mini_workspace):
    ex = mini_workspace.course.exercise("adder")
    mini_workspace.exercise_path(ex).unlink()
    assert mini_workspace.reset(ex) is None
    assert mini_workspace.exercise_path(ex).is_file()


def test_check_records_attempts_and_reveals_solution_on_pass(mini_workspace):
    ws = mini_workspace
    ex = ws.course.exercise("adder")
    ws.exercise_path(ex).write_text(WRONG_ADDER)
    first = ws.check(ex)
    assert first.result.status == "failed"
    assert first.state.exercise("adder").state == "failed"
    assert first.state.exercise("adder").attempts == 1
    assert not ws.paths.solution(ex.file).exists()
    ws.exercise_path(ex).write_text(SOLVED_ADDER)
    second = ws.check(ex)
    assert second.result.passed and second.state.exercise("adder").passed
    assert ws.state() == second.state, "the snapshot returned is the progress now"
    assert ws.paths.solution(ex.file).read_text() == ws.course.paths.solution("adder").read_text()
    record = json.loads(ws.paths.progress.read_text())["exercises"]["adder"]
    assert record["attempts_to_pass"] == 2 and record["first_passed_at"]


def test_solution_is_refused_before_a_pass_unless_forced(mini_workspace):
    ws = mini_workspace
    ex = ws.course.exercise("adder")
    with pytest.raises(SolutionLocked, match="has not passed yet") as refused:
        ws.view_solution(ex, force=False)
    assert "aisec" not in str(refused.value), "each front end words its own way out"
    assert not ws.paths.solution(ex.file).exists()
    viewed = ws.view_solution(ex, force=True)
    assert viewed.path.is_file()
    adder = viewed.state.exercise("adder")
    assert adder.solution_viewed and adder.solution_viewed_before_pass


def test_hints_are_revealed_one_at_a_time_and_stop_at_the_last(mini_workspace):
    ex = mini_workspace.course.exercise("adder")
    revealed = [mini_workspace.reveal_hint(ex) for _ in range(3)]
    assert [(r.count, r.new) for r in revealed] == [(1, True), (2, True), (2, False)]
    assert revealed[-1].state.exercise("adder").hints_revealed == 2


def test_current_exercise_moves_on_after_a_pass(mini_workspace):
    ws = mini_workspace
    assert ws.current_exercise().id == "adder"
    ws.exercise_path(ws.course.exercise("adder")).write_text(SOLVED_ADDER)
    ws.check(ws.course.exercise("adder"))
    assert ws.current_exercise().id == "greeter"


def test_current_exercise_is_the_one_last_worked_on(mini_workspace):
    ws = mini_workspace
    greeter, adder = ws.course.exercise("greeter"), ws.course.exercise("adder")
    ws.reveal_hint(greeter)  # working on the second exercise before the first
    assert ws.current_exercise().id == "greeter"
    ws.reset(adder)  # turning back to the first
    assert ws.current_exercise().id == "adder"
    ws.record_place("exercise", "greeter")  # opening one in the app
    assert ws.current_exercise().id == "greeter"
    ws.record_place("lesson", "demo", 12)  # reading a lesson changes nothing
    assert ws.current_exercise().id == "greeter"
    reopened = Workspace.open(ws.root, None)
    assert reopened.current_exercise().id == "greeter"
    assert reopened.state().place == Place("lesson", "demo", 12)


def test_a_passed_exercise_the_learner_comes_back_to_stays_current(mini_workspace):
    ws = mini_workspace
    adder = ws.course.exercise("adder")
    ws.exercise_path(adder).write_text(SOLVED_ADDER)
    ws.check(adder)
    assert ws.current_exercise().id == "greeter", "a pass moves the course on"
    ws.view_solution(adder, force=False)
    assert ws.current_exercise().id == "greeter", "comparing with the reference is not redoing"
    ws.reset(adder)  # to do it again
    assert ws.current_exercise().id == "adder"
    ws.check(adder)  # the starter fails now; the pass stays, and so does the exercise
    assert ws.current_exercise().id == "adder"
    ws.record_place("exercise", "greeter")
    assert ws.current_exercise().id == "greeter"


def test_a_stale_current_exercise_falls_back_to_the_first_not_passed(mini_workspace):
    ws = mini_workspace
    ws.progress.work_on("removed_by_a_newer_course")
    assert ws.current_exercise().id == "adder"


def test_the_theme_is_kept_with_the_workspace(mini_workspace):
    mini_workspace.set_theme("textual-light")
    assert Workspace.open(mini_workspace.root, None).state().theme == "textual-light"


def test_progress_never_contains_learner_code(mini_workspace):
    ws = mini_workspace
    ex = ws.course.exercise("adder")
    marker = "UNIQUE_LEARNER_MARKER_42"
    ws.exercise_path(ex).write_text(f"# {marker}\ndef add(a, b):\n    print('{marker}')\n"
                                    "    return a + b\n")
    ws.check(ex)
    assert marker not in ws.paths.progress.read_text()


def test_a_track_narrows_the_course_but_keeps_the_rest_reachable(tmp_path, mini_course):
    track = mini_course.track("quick")
    ws = Workspace.create(tmp_path / "t", mini_course, custom_course=True, track=track)
    assert [ex.id for ex in ws.track_exercises] == ["greeter"]
    assert ws.current_exercise().id == "greeter"
    assert (ws.root / "exercises/demo/adder.py").is_file(), "the rest is there on purpose"
    reopened = Workspace.open(ws.root, None)
    assert reopened.track is not None and reopened.track.id == "quick"


def test_unknown_track_lists_the_known_ones(mini_course):
    with pytest.raises(UsageError, match="Tracks in this course: quick"):
        mini_course.track("nope")


def test_an_untouched_starter_is_never_an_attempt(mini_workspace):
    """Opening an exercise, `check --all` and a reset leave an untouched exercise "to do"."""
    ws = mini_workspace
    ex = ws.course.exercise("adder")
    for asked in (False, True, True):
        checked = ws.check(ex, asked=asked)
        assert checked.result.status == "failed" and not checked.recorded
    adder = ws.state().exercise("adder")
    assert (adder.state, adder.attempts) == ("pending", 0)


def test_an_unasked_grading_counts_only_when_the_file_changed(mini_workspace):
    ws = mini_workspace
    ex = ws.course.exercise("adder")
    ws.exercise_path(ex).write_text(WRONG_ADDER)
    assert ws.check(ex, asked=False).recorded, "a changed file is an attempt"
    assert not ws.check(ex, asked=False).recorded, "opening it again is not"
    assert ws.check(ex, asked=True).recorded, "asking again is"
    ws.exercise_path(ex).write_text(WRONG_ADDER + "# tried something\n")
    assert ws.check(ex, asked=False).recorded
    assert ws.state().exercise("adder").attempts == 3


def test_a_missing_file_counts_only_when_asked(mini_workspace):
    ws = mini_workspace
    ex = ws.course.exercise("adder")
    ws.exercise_path(ex).unlink()
    assert not ws.check(ex, asked=False).recorded
    assert ws.check(ex, asked=True).state.exercise("adder").state == "error"
