"""`aisec class REPORTS --gradebook plain|canvas|moodle`, end to end, on reports made in
a temporary folder (one by `aisec report` in a real workspace, the rest generated)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.functional.test_workshop import fake_report
from tests.unit.test_graded_in import GOOD


@pytest.fixture
def class_folder(tmp_path, mini_workspace, aisec) -> Path:
    """reports/: Ana's real report (one exercise passed), a CI-marked report, a formula name."""
    ws = mini_workspace
    adder = ws.course.exercise("adder")
    ws.exercise_path(adder).write_text("def add(a, b):\n    return a + b\n")
    ws.check(adder)
    folder = tmp_path / "reports"
    folder.mkdir()
    made = aisec("report", "-o", folder / "ana.json", "--name", "ana@uni.example", cwd=ws.root)
    assert made.code == 0, made.err
    ci = fake_report("bo@uni.example", {"adder": ("passed", 1, 0), "greeter": ("passed", 2, 0)})
    ci["graded_in"] = GOOD
    (folder / "bo.json").write_text(json.dumps(ci))
    evil = fake_report('=HYPERLINK("http://evil.example","x")', {"adder": ("failed", 3, 0)})
    (folder / "evil.json").write_text(json.dumps(evil))
    (tmp_path / "canvas.csv").write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section\n"
        "    Points Possible,,,,\n"
        "Ana Silva,101,s1,ana@uni.example,A\n"
        "Bo Li,102,s2,bo@uni.example,A\n"
        "Cy Diaz,103,s3,cy@uni.example,B\n", encoding="utf-8")
    return folder


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_plain_gradebook_to_a_file(class_folder, tmp_path, aisec):
    out = tmp_path / "grades.csv"
    result = aisec("class", class_folder, "--gradebook", "plain", "-o", out, cwd=tmp_path)
    assert result.code == 0, result.err
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == 4 and b"\n" not in raw.replace(b"\r\n", b"")
    rows = table(raw.decode("utf-8"))
    header = rows[0]
    assert header[:6] == ["learner", "source", "ci_run_url", "passed", "track_total", "percent"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"ana@uni.example", "bo@uni.example",
                            "'=HYPERLINK(\"http://evil.example\",\"x\")"}
    assert by_name["ana@uni.example"]["adder"] == "1"
    assert by_name["ana@uni.example"]["source"] == "self-reported"
    assert by_name["bo@uni.example"]["source"] == "ci"
    assert by_name["bo@uni.example"]["ci_run_url"] == GOOD["run_url"]
    assert "1 from reports that say a CI run made them, 2 self-reported" in result.err
    assert "Wrote the plain gradebook" in result.err


def test_canvas_gradebook_with_a_roster(class_folder, tmp_path, aisec):
    out = tmp_path / "canvas-import.csv"
    result = aisec("class", class_folder, "--gradebook", "canvas", "--roster",
                   tmp_path / "canvas.csv", "-o", out, cwd=tmp_path)
    assert result.code == 0, result.err
    rows = table(out.read_bytes().decode("utf-8"))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "aisec-tutor"]
    assert rows[1] == ["Points Possible", "", "", "", "", "100"]
    assert [(row[1], row[5]) for row in rows[2:]] == [("101", "50"), ("102", "100")]
    assert "HYPERLINK" in result.err and "match no row" in result.err
    assert "1 roster learner(s) have no report" in result.err


def test_moodle_gradebook_to_stdout(class_folder, tmp_path, aisec):
    (tmp_path / "moodle.csv").write_text("First name,Last name,Email address\n"
                                         "Ana,Silva,ana@uni.example\nBo,Li,bo@uni.example\n")
    result = aisec("class", class_folder, "--gradebook", "moodle", "--roster",
                   tmp_path / "moodle.csv", "--points", "10", cwd=tmp_path)
    assert result.code == 0, result.err
    assert table(result.out) == [["Email address", "aisec-tutor"], ["ana@uni.example", "5"],
                                 ["bo@uni.example", "10"]]


@pytest.mark.parametrize("args, words", [
    (("--roster", "canvas.csv"), "--gradebook"),
    (("--gradebook", "plain", "--format", "csv"), "--format"),
    (("--gradebook", "canvas"), "--roster"),
    (("--gradebook", "canvas", "--roster", "nowhere.csv"), "nowhere.csv"),
    (("--gradebook", "canvas", "--roster", "canvas.csv", "--match", "Email"), "'Email'"),
    (("--gradebook", "moodle", "--roster", "canvas.csv", "--assignment", "=1+1"),
     "--assignment"),
])
def test_usage_errors_exit_2_with_the_fix(class_folder, tmp_path, aisec, args, words):
    result = aisec("class", class_folder, *args, cwd=tmp_path)
    assert result.code == 2, result.err
    assert words in result.err and "Traceback" not in result.err
