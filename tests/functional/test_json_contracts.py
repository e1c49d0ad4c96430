"""Every ``--json`` document matches its golden file in tests/functional/golden/.

Scripts and facilitators read these documents, so a field may be added but never
renamed or removed. Each test runs the command as a learner would, replaces what
varies between runs (temporary paths, timestamps, durations, the tool's version)
with placeholders, and compares the result with the golden file.

The doctor's facts describe the machine it runs on, so its golden file holds the
document's shape (keys and value types) instead of values, taken in a fixed
environment (no Ollama server, no ``ollama`` on PATH).

After an intended change (a new field), regenerate the golden files and review
the diff:

    AISEC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/functional/test_json_contracts.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("AISEC_UPDATE_GOLDEN") == "1"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
# Values that differ on every run: replaced whole, by key.
VARYING = {"duration_s": "<SECONDS>", "time_to_pass_s": "<SECONDS>",
           "tool_version": "<VERSION>"}


def normalise(value: Any, tmp: Path, key: str | None = None) -> Any:
    if key in VARYING and value is not None:
        return VARYING[key]
    if isinstance(value, dict):
        return {k: normalise(v, tmp, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(item, tmp) for item in value]
    if isinstance(value, str):
        for prefix in (str(tmp.resolve()), str(tmp)):
            value = value.replace(prefix, "<TMP>")
        return TIMESTAMP.sub("<TIME>", value)
    return value


def shape(value: Any) -> Any:
    """Keys and value types, for a document whose values depend on the machine.

    A list becomes the shapes its items take, each once; where items differ in one
    field, that field is ``{"either": [...]}``.
    """
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [shape(item) for item in value]
        if items and all(isinstance(item, dict) for item in items):
            return [merge(items)]
        return sorted(set(items))
    return {bool: "bool", int: "int", float: "float", str: "str"}.get(type(value), "null")


def merge(items: list[dict[str, Any]]) -> dict[str, Any]:
    alternatives: dict[str, list[Any]] = {}
    for item in items:
        for key, value in item.items():
            if value not in alternatives.setdefault(key, []):
                alternatives[key].append(value)
    return {key: found[0] if len(found) == 1 else {"either": sorted(found, key=json.dumps)}
            for key, found in alternatives.items()}


def assert_golden(name: str, document: dict[str, Any]) -> None:
    assert isinstance(document.get("schema_version"), int), f"{name}: no schema_version"
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert document == expected, (
        f"{name} --json no longer matches {path.relative_to(GOLDEN.parent)}. Fields may be "
        "added, never renamed or removed; if the change is intended, rerun with "
        "AISEC_UPDATE_GOLDEN=1 and review the diff.")


def run_json(aisec, *args: str | Path, cwd: Path, code: int = 0) -> Any:
    result = aisec(*args, cwd=cwd)
    assert result.code == code, result.err
    return json.loads(result.out)


@pytest.fixture
def ws(tmp_path: Path, course_dir: Path, aisec) -> Path:
    assert aisec("--course", course_dir, "init", "w", cwd=tmp_path).code == 0
    return tmp_path / "w"


def solve(course_dir: Path, ws: Path, exercise: str) -> None:
    shutil.copy(course_dir / f"solutions/{exercise}.py", ws / f"exercises/demo/{exercise}.py")


def test_list(ws, tmp_path, aisec):
    assert_golden("list", normalise(run_json(aisec, "list", "--json", cwd=ws), tmp_path))


def test_list_outside_a_workspace(tmp_path, course_dir, aisec):
    data = run_json(aisec, "--course", course_dir, "list", "--json", cwd=tmp_path)
    assert_golden("list-no-workspace", normalise(data, tmp_path))


def test_check(ws, tmp_path, aisec):
    data = run_json(aisec, "check", "adder", "--json", cwd=ws, code=1)
    assert_golden("check", normalise(data, tmp_path))


def test_check_all(ws, tmp_path, course_dir, aisec):
    solve(course_dir, ws, "greeter")
    data = run_json(aisec, "check", "--all", "--json", cwd=ws, code=1)
    assert_golden("check-all", normalise(data, tmp_path))


def test_progress(ws, tmp_path, course_dir, aisec):
    solve(course_dir, ws, "greeter")
    assert aisec("check", "greeter", cwd=ws).code == 0
    assert aisec("hint", "adder", cwd=ws).code == 0
    assert aisec("lesson", "demo-lesson", cwd=ws).code == 0
    assert_golden("progress", normalise(run_json(aisec, "progress", "--json", cwd=ws),
                                        tmp_path))


def test_report(ws, tmp_path, course_dir, aisec):
    solve(course_dir, ws, "greeter")
    assert aisec("check", "greeter", cwd=ws).code == 0
    assert aisec("hint", "adder", cwd=ws).code == 0
    data = run_json(aisec, "report", "--format", "json", "--name", "Ada", cwd=ws)
    assert_golden("report", normalise(data, tmp_path))


def learner_report(name: str, passed: bool, attempts: int, hints: int) -> dict[str, Any]:
    return {"schema": "aisec-report", "schema_version": 1, "name": name,
            "course": {"id": "mini", "title": "Mini"}, "tool_version": "0.1.0",
            "track": None, "summary": {}, "lessons": [],
            "exercises": [{"id": "adder", "status": "passed" if passed else "failed",
                           "attempts": attempts, "hints_revealed": hints,
                           "time_to_pass_s": 600 if passed else None}]}


def test_class(tmp_path, aisec):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, passed, attempts, hints in (("ada", True, 2, 0), ("bob", False, 6, 2)):
        report = learner_report(name, passed, attempts, hints)
        if name == "ada":  # a report from a CI run (`aisec ci grade`); bob's has no field
            report["graded_in"] = {
                "provider": "github", "run_url": "https://github.com/o/ada/actions/runs/7",
                "repository": "o/ada", "commit": "0123456789abcdef" * 2 + "01234567",
                "run_id": "7", "tool_version": "0.1.0"}
        (folder / f"{name}.json").write_text(json.dumps(report))
    (folder / "broken.json").write_text("{not json")
    data = run_json(aisec, "class", folder, "--format", "json", cwd=tmp_path)
    assert_golden("class", normalise(data, tmp_path))


@pytest.fixture
def quiet_machine(monkeypatch, tmp_path):
    """No Ollama: nothing listens on its port and no `ollama` is on PATH."""
    for name in list(os.environ):
        if name.startswith("OLLAMA_") or name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    with socket.socket() as sock:  # bound but not listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{sock.getsockname()[1]}")
        empty = tmp_path / "empty-path"
        empty.mkdir()
        monkeypatch.setenv("PATH", str(empty))
        monkeypatch.setenv("TERM", "xterm")
        yield


def test_doctor(quiet_machine, tmp_path, course_dir, aisec):
    data = run_json(aisec, "--course", course_dir, "doctor", "--json", cwd=tmp_path)
    assert_golden("doctor-shape", {**shape(data), "schema_version": data["schema_version"]})
