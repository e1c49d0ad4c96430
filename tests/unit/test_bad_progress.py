"""A progress file with the wrong shapes: set aside with a warning, never fatal.

Every case is a file a learner (or a crash, a sync tool, a curious edit) could leave
in ``.aisec/progress.json``. The whole file is set aside only when nothing in it can
be trusted (not a mapping, too deep, too big); otherwise just the bad record or
field is, the rest of the learner's progress is kept, and the next result is
recorded normally.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.pilot import wait_until
from tutor.learner.schema import clean
from tutor.learner.state import ExerciseProgress, State
from tutor.learner.store import ProgressStore

MAX_BYTES = 5 * 1024 * 1024  # the documented caps (tutor.learner.store.MAX_BYTES,
# tutor.learner.schema.MAX_COUNT)
MAX_COUNT = 1_000_000

GOOD_PASS = {"attempts": 2, "hints_revealed": 1, "solution_viewed": False,
             "first_checked_at": "2026-01-05T10:00:00+00:00",
             "last_checked_at": "2026-01-05T10:05:00+00:00", "last_status": "passed",
             "first_passed_at": "2026-01-05T10:05:00+00:00", "attempts_to_pass": 2,
             "checks_passed": 3, "checks_total": 3}
GOOD_LESSON = {"opened_at": "2026-01-05T09:00:00+00:00",
               "quiz": {"q1": {"attempts": 1, "choice": 1, "correct": True,
                               "first_correct": True,
                               "answered_at": "2026-01-05T09:10:00+00:00"}}}


def progress_text(adder: str = "{}", lesson: str | None = None, greeter: str | None = None,
                  exercises: str | None = None) -> str:
    """A progress file as text, so that values json.dumps cannot write (1e999) fit in."""
    greeter = greeter if greeter is not None else json.dumps(GOOD_PASS)
    lesson = lesson if lesson is not None else json.dumps(GOOD_LESSON)
    exercises = (exercises if exercises is not None
                 else f'{{"adder": {adder}, "greeter": {greeter}}}')
    return ('{"schema_version": 1, "created_at": "2026-01-05T09:00:00+00:00", '
            f'"lessons": {{"demo-lesson": {lesson}}}, "exercises": {exercises}}}')


# name -> (file text, what is set aside: "record" keeps the rest, "file" moves the file)
CASES: dict[str, tuple[str, str]] = {
    "attempts-text": (progress_text('{"attempts": "x", "hints_revealed": 1}'), "record"),
    "attempts-null": (progress_text('{"attempts": null}'), "record"),
    "attempts-1e999": (progress_text('{"attempts": 1e999}'), "record"),
    "attempts-huge-int": (progress_text('{"attempts": 1' + "0" * 10_000 + "}"), "record"),
    "attempts-negative": (progress_text('{"attempts": -4}'), "record"),
    "attempts-bool": (progress_text('{"attempts": true, "hints_revealed": 1e3}'), "record"),
    "hints-over-cap": (progress_text(f'{{"hints_revealed": {MAX_COUNT + 1}}}'), "record"),
    "status-not-text": (progress_text('{"last_status": ["passed"], "first_passed_at": 5}'),
                        "record"),
    "timestamp-garbage": (progress_text('{"first_passed_at": "yesterday", '
                                        '"solution_viewed": "yes"}'), "record"),
    "record-is-a-list": (progress_text("[1, 2]"), "record"),
    "record-is-null": (progress_text("null"), "record"),
    "quiz-is-a-list": (progress_text(lesson='{"opened_at": 7, "quiz": [1, 2]}'), "record"),
    "quiz-answer-bad": (progress_text(lesson='{"quiz": {"q1": {"choice": "b", '
                                             '"attempts": 1e999}, "q2": "x"}}'), "record"),
    "lesson-is-a-list": (progress_text(lesson="[1]"), "record"),
    "exercises-null": (progress_text(exercises="null"), "record"),
    "file-null": ("null", "file"),
    "file-a-list": ("[1, 2]", "file"),
    "file-deep-nesting": ("[" * 100_000, "file"),
    "file-deep-nesting-closed": ('{"schema_version": 1, "exercises": {"adder": '
                                 + "[" * 100_000 + "]" * 100_000 + "}}", "file"),
    "file-schema-text": ('{"schema_version": "1", "exercises": {}}', "file"),
}
HUGE = "huge-file"  # written by the test itself: MAX_BYTES + a little


def write_case(ws_root: Path, case: str) -> Path:
    path = ws_root / ".aisec" / "progress.json"
    if case == HUGE:
        padding = "x" * (MAX_BYTES + 10)
        path.write_text(progress_text('{"attempts": 1}')[:-1] + f', "pad": "{padding}"}}')
    else:
        path.write_text(CASES[case][0])
    return path


def kind(case: str) -> str:
    return "file" if case == HUGE else CASES[case][1]


ALL_CASES = [*CASES, HUGE]


# -- the store itself --------------------------------------------------------------------


@pytest.mark.parametrize("case", ALL_CASES)
def test_load_gives_trustworthy_types_and_keeps_the_rest(tmp_path, case):
    (tmp_path / ".aisec").mkdir()
    path = write_case(tmp_path, case)
    store = ProgressStore(path)
    state = store.snapshot()

    for exercise in state.exercises.values():
        for key in ("attempts", "hints_revealed", "checks_passed", "checks_total",
                    "attempts_to_pass"):
            value = getattr(exercise, key) or 0
            assert type(value) is int and 0 <= value <= MAX_COUNT, (key, value)
        assert isinstance(exercise.state, State)
    for lesson in state.lessons.values():
        assert all(type(a.attempts) is int for a in lesson.quiz.values())

    (warning,) = store.warnings
    assert str(path) in warning
    if kind(case) == "file":
        (aside,) = path.parent.glob("progress.json.corrupt-*")
        assert str(aside) in warning
        if case == HUGE:
            assert "5 MB" in warning
    else:
        stored = json.loads(path.read_text())
        if case != "exercises-null":
            assert stored["exercises"]["greeter"] == GOOD_PASS, "the good record is kept"
            assert state.exercise("greeter") == ExerciseProgress.from_record("greeter", GOOD_PASS)
        (aside,) = path.parent.glob("progress.json.set-aside-*")
        assert str(aside) in warning and "set aside" in warning
        kept = json.loads(aside.read_text())
        assert kept["records"] and all("where" in r and "raw" in r for r in kept["records"])
        # The repaired file is saved once: the next load is clean and silent.
        assert clean(stored).set_aside == []
        again = ProgressStore(path)
        assert again.snapshot() == state and again.warnings == []


def test_the_caps_are_the_documented_ones():
    from tutor.learner import schema, store

    assert (store.MAX_BYTES, schema.MAX_COUNT) == (MAX_BYTES, MAX_COUNT)


def test_only_the_bad_field_goes(tmp_path):
    (tmp_path / ".aisec").mkdir()
    path = write_case(tmp_path, "attempts-text")
    store = ProgressStore(path)
    adder = store.snapshot().exercise("adder")
    assert (adder.attempts, adder.hints_revealed) == (0, 1)
    assert json.loads(path.read_text())["exercises"]["adder"] == {"hints_revealed": 1}
    assert "exercises.adder.attempts" in store.warnings[0]
    (aside,) = path.parent.glob("progress.json.set-aside-*")
    (record,) = json.loads(aside.read_text())["records"]
    assert record["where"] == "exercises.adder.attempts" and json.loads(record["raw"]) == "x"


def test_fields_aisec_does_not_know_are_kept_unless_unsafe(tmp_path):
    """A later aisec may add fields: keep them, unless they cannot be saved safely."""
    (tmp_path / ".aisec").mkdir()
    path = tmp_path / ".aisec" / "progress.json"
    path.write_text(progress_text('{"attempts": 1, "future": {"a": [1, 2]}, "big": 1e999, '
                                  '"deep": ' + "[" * 40 + "]" * 40 + "}")
                    [:-1] + ', "labs": {"x": 1}}')
    store = ProgressStore(path)
    assert store.snapshot().exercise("adder").attempts == 1
    data = json.loads(path.read_text())
    assert data["exercises"]["adder"] == {"attempts": 1, "future": {"a": [1, 2]}}
    assert data["labs"] == {"x": 1}
    assert "exercises.adder.big" in store.warnings[0] and "exercises.adder.deep" in \
        store.warnings[0]
    assert "Infinity" not in path.read_text(), "the saved file stays standard JSON"


def test_a_second_repair_never_overwrites_the_first(tmp_path):
    (tmp_path / ".aisec").mkdir()
    for _ in range(3):
        path = write_case(tmp_path, "attempts-text")
        ProgressStore(path).snapshot()
        write_case(tmp_path, "file-null")
        ProgressStore(path).snapshot()
    assert len(list(path.parent.glob("progress.json.set-aside-*"))) == 3
    assert len(list(path.parent.glob("progress.json.corrupt-*"))) == 3


def test_a_read_only_workspace_still_loads_what_it_can(tmp_path, monkeypatch):
    from tutor.learner import store as store_module

    def no_lock(_path):  # what a read-only .aisec/ does (a chmod would not stop root)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store_module, "_locked", no_lock)
    (tmp_path / ".aisec").mkdir()
    path = write_case(tmp_path, "attempts-text")
    before = path.read_text()
    store = ProgressStore(path)
    greeter = store.snapshot().exercise("greeter")
    assert greeter == ExerciseProgress.from_record("greeter", GOOD_PASS)
    store.snapshot()
    (warning,) = store.warnings  # said once, however often the TUI loads
    assert "Permission denied" in warning and "writable" in warning
    assert path.read_text() == before, "nothing was rewritten"
    write_case(tmp_path, "file-null")
    assert store.snapshot().exercises == {}


def test_a_fifo_or_device_as_progress_file_does_not_hang(tmp_path):
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    state = tmp_path / ".aisec"
    state.mkdir()
    os.mkfifo(state / "progress.json")
    store = ProgressStore(state / "progress.json")
    assert store.snapshot().exercises == {}
    assert "not a regular file" in store.warnings[0]
    if Path("/dev/zero").exists():
        (state / "progress.json").symlink_to("/dev/zero")
        store = ProgressStore(state / "progress.json")
        assert store.snapshot().exercises == {}
        assert "not a regular file" in store.warnings[0]


def test_update_after_a_bad_record_records_normally(tmp_path):
    (tmp_path / ".aisec").mkdir()
    path = write_case(tmp_path, "attempts-1e999")
    store = ProgressStore(path)
    state = store.record_attempt("adder", "failed", 0, 3)
    assert state.exercise("adder").attempts == 1
    assert json.loads(path.read_text())["exercises"]["adder"]["attempts"] == 1
    assert "set aside" in store.warnings[0]


# -- through the CLI, as a learner runs it -------------------------------------------------


@pytest.fixture
def ws(tmp_path: Path, course_dir: Path, aisec) -> Path:
    assert aisec("--course", course_dir, "init", "w", cwd=tmp_path).code == 0
    return tmp_path / "w"


def no_crash(result) -> None:
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err


@pytest.mark.parametrize("case", ALL_CASES)
def test_cli_progress_report_and_check_survive(ws, aisec, case):
    path = write_case(ws, case)
    first = aisec("progress", cwd=ws)
    no_crash(first)
    assert first.code == 0 and "warning:" in first.err and str(path) in first.err
    assert "set aside" in first.err or "moved to" in first.err

    write_case(ws, case)  # again, for each command
    progress = aisec("progress", "--json", cwd=ws)
    no_crash(progress)
    adder = json.loads(progress.out)["exercises"][0]
    assert type(adder["attempts"]) is int and type(adder["hints_revealed"]) is int

    for fmt in ("json", "csv", "md"):
        write_case(ws, case)
        report = aisec("report", "--format", fmt, cwd=ws)
        no_crash(report)
        assert report.code == 0 and "warning:" in report.err

    write_case(ws, case)
    before = json.loads(progress.out)["exercises"][0]["attempts"]
    (ws / "exercises/demo/adder.py").write_text("def add(a, b):\n    return a - b\n")
    check = aisec("check", "adder", cwd=ws)
    no_crash(check)
    saved = json.loads(path.read_text())
    assert saved["exercises"]["adder"]["attempts"] == before + 1, "the result is recorded"
    assert saved["exercises"]["adder"]["last_status"] in ("failed", "passed")
    if kind(case) == "record" and case != "exercises-null":
        assert saved["exercises"]["greeter"] == GOOD_PASS, "the rest of the progress is kept"


# -- in the TUI ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ALL_CASES)
def test_tui_home_and_progress_screens_survive(mini_workspace, case):
    from textual.widgets import DataTable, OptionList

    from tutor.tui.app import AisecApp
    from tutor.tui.screens.home import HomeScreen
    from tutor.tui.screens.progress import ProgressScreen

    write_case(mini_workspace.root, case)

    async def scenario():
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=(100, 40)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen)
                             and bool(app.screen.query("#lessons")))
            assert app.screen.query_one("#lessons", OptionList).option_count >= 1
            assert any("set aside" in n.message or "moved to" in n.message
                       for n in app.notices)
            await pilot.press("g")
            await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen)
                             and bool(app.screen.query(DataTable)))
            assert app.screen.query_one(DataTable).row_count == 3  # a lesson, 2 exercises
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert app.is_running

    asyncio.run(scenario())


@pytest.mark.parametrize("field, value", [
    ("current_exercise", 5), ("current_exercise", ""), ("current_exercise", "x" * 201),
    ("current_exercise", "luhn\x1b[2J"),
    ("place", "lesson"), ("place", {"screen": "home", "id": "x"}),
    ("place", {"screen": "lesson", "id": "x", "scroll": -1}),
    ("place", {"screen": "lesson", "id": "x", "scroll": 1e999}),
    ("place", {"screen": "lesson", "id": "x", "extra": {"deep": 1}}),
    ("settings", {"theme": ["dark"]}), ("settings", {"font": "x"}), ("settings", None),
])
def test_a_bad_place_setting_or_current_exercise_is_set_aside_alone(tmp_path, field, value):
    path = tmp_path / "progress.json"
    data = json.loads(progress_text())
    data[field] = value
    path.write_text(json.dumps(data) if value != 1e999 else
                    json.dumps(data).replace("Infinity", "1e999"))
    store = ProgressStore(path)
    state = store.snapshot()
    assert state.exercise("greeter").passed, "the rest of the progress is kept"
    assert state.place is None and state.theme is None and state.last_exercise is None
    assert any(field in warning for warning in store.take_warnings())
    assert field not in json.loads(path.read_text())


def test_a_good_place_setting_and_current_exercise_are_kept(tmp_path):
    path = tmp_path / "progress.json"
    data = json.loads(progress_text())
    data.update(current_exercise="greeter", settings={"theme": "textual-light"},
                place={"screen": "lesson", "id": "demo-lesson", "scroll": 40})
    path.write_text(json.dumps(data))
    store = ProgressStore(path)
    state = store.snapshot()
    assert (state.last_exercise, state.theme) == ("greeter", "textual-light")
    assert (state.place.screen, state.place.id, state.place.scroll) == ("lesson", "demo-lesson", 40)
    assert store.take_warnings() == []


def test_a_file_damaged_while_the_app_runs_gets_back_what_the_app_last_read(tmp_path):
    """A learner's passes are not lost because something wrote over the file mid-session:
    the store writes back the last good data it had, then records the new change."""
    path = tmp_path / "progress.json"
    path.write_text(progress_text())
    store = ProgressStore(path)
    assert store.snapshot().exercise("greeter").passed
    path.write_text("GARBAGE")  # an editor, a script, a sync tool

    state = store.reveal_hint("adder", available=2)

    assert state.exercise("greeter").passed and state.exercise("adder").hints_revealed == 1
    stored = json.loads(path.read_text())
    assert stored["exercises"]["greeter"] == GOOD_PASS
    (aside,) = path.parent.glob("progress.json.corrupt-*")
    assert aside.read_text() == "GARBAGE"
    (warning,) = store.take_warnings()
    assert "became unreadable while aisec was running" in warning and str(aside) in warning
    assert "nothing recorded before is lost" in warning


def test_a_file_unreadable_from_the_start_says_how_to_have_it_back(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("{broken")
    store = ProgressStore(path)
    assert not store.snapshot().exercises
    (aside,) = path.parent.glob("progress.json.corrupt-*")
    (warning,) = store.take_warnings()
    assert f"mend that file (it is JSON) and move it back to {path}" in warning
    assert str(aside) in warning
