"""The learner-state model and its store: typed snapshots, named changes, one file."""

from __future__ import annotations

import json
import os
import threading

import pytest

from tutor.errors import UsageError
from tutor.learner.schema import SCHEMA_VERSION, migrate
from tutor.learner.state import ExerciseProgress, State
from tutor.learner.store import ProgressStore
from tutor.text.untrusted_json import BadFile


def stored(store: ProgressStore) -> dict:
    return json.loads(store.path.read_text())


def test_missing_file_is_a_fresh_start(tmp_path):
    state = ProgressStore(tmp_path / "progress.json").snapshot()
    assert state.exercises == {} and state.lessons == {}
    assert state.exercise("luhn") == ExerciseProgress("luhn")
    assert state.exercise("luhn").state is State.PENDING and not state.lesson("x").opened


def test_a_change_writes_valid_json_and_leaves_no_temp_files(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    state = store.record_attempt("luhn", "failed", 1, 3)
    assert state.exercise("luhn").attempts == 1
    saved = stored(store)
    assert saved["schema_version"] == SCHEMA_VERSION
    assert saved["exercises"]["luhn"]["attempts"] == 1
    assert saved["exercises"]["luhn"]["last_status"] == "failed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json", "progress.lock"]


def test_a_pass_is_kept_through_later_failures(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    store.record_attempt("luhn", "failed", 1, 3)
    store.record_attempt("luhn", "passed", 3, 3)
    state = store.record_attempt("luhn", "failed", 2, 3)
    luhn = state.exercise("luhn")
    assert luhn.state is State.PASSED and luhn.passed
    assert (luhn.attempts, luhn.attempts_to_pass) == (3, 2)
    assert (luhn.checks_passed, luhn.checks_total) == (2, 3)


def test_hints_stop_at_what_is_available(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    counts = [store.reveal_hint("luhn", available=2).exercise("luhn").hints_revealed
              for _ in range(3)]
    assert counts == [1, 2, 2]


def test_viewing_a_solution_before_a_pass_is_recorded_as_such(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    early = store.view_solution("luhn").exercise("luhn")
    assert early.solution_viewed and early.solution_viewed_before_pass
    store.record_attempt("iban", "passed", 1, 1)
    late = store.view_solution("iban").exercise("iban")
    assert late.solution_viewed and not late.solution_viewed_before_pass


def test_quiz_answers_keep_the_first_try(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    store.record_quiz("l1", "q1", 0, False)
    answer = store.record_quiz("l1", "q1", 1, True).lesson("l1").quiz["q1"]
    assert (answer.attempts, answer.choice, answer.correct, answer.first_correct) == \
        (2, 1, True, False)


def test_a_lesson_already_recorded_is_not_written_again(tmp_path):
    """Scrolling to a lesson's end happens often; the file is written the first time only."""
    store = ProgressStore(tmp_path / "progress.json")
    store.record_lesson("l1", opened=True, finished=True)
    before = os.stat(store.path)
    for _ in range(5):
        state = store.record_lesson("l1", finished=True)
        store.record_lesson("l1", opened=True)
    after = os.stat(store.path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert state.lesson("l1").opened and state.lesson("l1").finished


def test_snapshots_are_immutable(tmp_path):
    state = ProgressStore(tmp_path / "progress.json").record_attempt("luhn", "failed", 0, 1)
    with pytest.raises(AttributeError):
        state.exercise("luhn").attempts = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        state.exercises["x"] = ExerciseProgress("x")  # type: ignore[index]


def test_another_process_is_noticed_by_the_file_changing(tmp_path):
    """`aisec watch` in another terminal writes the same file: the next snapshot shows it."""
    path = tmp_path / "progress.json"
    mine, theirs = ProgressStore(path), ProgressStore(path)
    assert mine.snapshot().exercise("luhn").attempts == 0
    theirs.record_attempt("luhn", "failed", 0, 3)
    assert mine.snapshot().exercise("luhn").attempts == 1


def test_an_unchanged_file_is_not_read_again(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    store.record_attempt("luhn", "failed", 0, 3)
    first = store.snapshot()
    assert store.snapshot() is first


def test_corrupt_file_is_moved_aside_with_a_warning(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text('{"schema_version": 1, "exercises": {')
    store = ProgressStore(path)
    assert store.snapshot().exercises == {}
    (aside,) = tmp_path.glob("progress.json.corrupt-*")
    assert aside.read_text().startswith('{"schema_version": 1'), "the old bytes are kept"
    (warning,) = store.take_warnings()
    assert str(path) in warning and str(aside) in warning and "not valid JSON" in warning
    assert store.take_warnings() == [], "each warning is given once"


def test_non_progress_json_is_also_set_aside(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("[1, 2, 3]")
    store = ProgressStore(path)
    store.snapshot()
    assert "not an aisec progress file" in store.warnings[0]


def test_a_newer_schema_is_left_untouched(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1}))
    with pytest.raises(UsageError, match="newer aisec-tutor"):
        ProgressStore(path).snapshot()
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION + 1


def test_migrations_run_one_step_at_a_time():
    steps = {1: lambda d: {"schema_version": 1, "lessons": {"l": {"opened_at": d["opened"]}}},
             2: lambda d: {**d, "renamed": True}}
    data = migrate({"schema_version": 1, "opened": "then"}, steps, target=3)
    assert data == {"schema_version": 3, "lessons": {"l": {"opened_at": "then"}},
                    "renamed": True}
    assert migrate({"schema_version": 3}, steps, target=3) == {"schema_version": 3}
    with pytest.raises(BadFile, match="cannot upgrade"):
        migrate({"schema_version": 1}, {}, target=2)


def test_concurrent_changes_do_not_lose_attempts(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")

    def bump() -> None:
        for _ in range(10):
            store.record_attempt("x", "failed", 0, 1)

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ProgressStore(store.path).snapshot().exercise("x").attempts == 40


def test_each_state_carries_its_word_mark_and_colour():
    assert [s.value for s in State] == ["pending", "passed", "failed", "error", "timeout"]
    assert State.PASSED == "passed" and State("timeout") is State.TIMEOUT
    assert {s.word for s in State} == {"to do", "done", "failing", "error", "timed out"}
    assert all(s.mark and s.colour in {"success", "error", "muted"} for s in State)
    assert json.dumps([State.FAILED]) == '["failed"]'


def test_a_right_quiz_answer_stays_right_after_a_later_wrong_try(tmp_path):
    from tutor.learner.store import ProgressStore

    store = ProgressStore(tmp_path / "progress.json")
    store.record_quiz("l", "q", 2, False)
    store.record_quiz("l", "q", 1, True)
    answer = store.record_quiz("l", "q", 3, False).lesson("l").quiz["q"]  # `aisec quiz` again
    assert (answer.choice, answer.correct, answer.first_correct, answer.attempts) == (
        1, True, False, 2)
