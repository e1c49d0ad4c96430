"""The progress store: atomic, versioned, and never silently drops a learner's record."""

from __future__ import annotations

import json
import threading

import pytest

from tutor.errors import UsageError
from tutor.learner.progress import SCHEMA_VERSION, ProgressStore, exercise_record


def test_missing_file_is_a_fresh_start(tmp_path):
    data = ProgressStore(tmp_path / "progress.json").load()
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["exercises"] == {} and data["lessons"] == {}


def test_update_writes_valid_json_and_leaves_no_temp_files(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    store.update(lambda d: exercise_record(d, "luhn").update(attempts=3))
    saved = json.loads((tmp_path / "progress.json").read_text())
    assert saved["exercises"]["luhn"]["attempts"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json", "progress.lock"]


def test_corrupt_file_is_moved_aside_with_a_warning(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text('{"schema_version": 1, "exercises": {')
    store = ProgressStore(path)
    data = store.load()
    assert data["exercises"] == {}
    (aside,) = tmp_path.glob("progress.json.corrupt-*")
    assert aside.read_text().startswith('{"schema_version": 1'), "the old bytes are kept"
    (warning,) = store.warnings
    assert str(path) in warning and str(aside) in warning and "not valid JSON" in warning


def test_non_progress_json_is_also_set_aside(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("[1, 2, 3]")
    store = ProgressStore(path)
    store.load()
    assert "not an aisec progress file" in store.warnings[0]


def test_a_newer_schema_is_left_untouched(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1}))
    with pytest.raises(UsageError, match="newer aisec-tutor"):
        ProgressStore(path).load()
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION + 1


def test_concurrent_updates_do_not_lose_attempts(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")

    def bump(data):
        exercise_record(data, "x")["attempts"] += 1

    threads = [threading.Thread(target=lambda: [store.update(bump) for _ in range(10)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.load()["exercises"]["x"]["attempts"] == 40
