"""A lab's scores in progress, learner reports and the class summary."""

from __future__ import annotations

import json

import pytest

from tests.functional.test_workshop import fake_report
from tutor.grader.result import CheckResult, GradeResult, LabScore
from tutor.learner.state import LabRecord
from tutor.learner.store import ProgressStore
from tutor.learner.workspace import lab_record
from tutor.workshop.class_summary import Loaded, clean_report, summarise, to_csv, to_markdown
from tutor.workshop.report import build_report
from tutor.workshop.report import to_csv as report_csv
from tutor.workshop.report import to_markdown as report_md


def graded(blocked: tuple[int, int], useful: tuple[int, int],
           through: tuple[str, ...] = ()) -> GradeResult:
    return GradeResult("adder", "failed", [
        CheckResult("t1", "direct", "passed"),
        CheckResult("t2", "blocks", "failed", "...", score=LabScore(
            "attacks blocked", *blocked, 0.9, through)),
        CheckResult("t3", "useful", "passed", score=LabScore("usefulness kept", *useful, 0.9)),
    ])


def test_a_grading_becomes_a_lab_record_and_an_exercise_none():
    record = lab_record(graded((8, 16), (11, 12), ("a1", "held out (hijack)")))
    assert record == LabRecord((8, 16), (11, 12), ("a1", "held out (hijack)"))
    assert record.summary() == "blocked 8/16 · useful 11/12"
    assert lab_record(GradeResult("adder", "passed", [CheckResult("t", "x", "passed")])) is None


def test_the_last_scores_are_kept_in_progress(tmp_path):
    (tmp_path / ".aisec").mkdir()
    store = ProgressStore(tmp_path / ".aisec" / "progress.json")
    store.record_attempt("adder", "failed", 1, 3, lab=LabRecord((8, 16), (11, 12), ("a1",)))
    store.record_attempt("adder", "failed", 2, 3, lab=LabRecord((15, 16), (12, 12)))
    lab = ProgressStore(store.path).snapshot().exercise("adder").lab
    assert lab == LabRecord((15, 16), (12, 12), ())


@pytest.mark.parametrize(("field", "value"), [
    ("lab_blocked", [17, 16]), ("lab_blocked", [1]), ("lab_useful", ["1", 2]),
    ("lab_attacks_through", ["x" * 81]), ("lab_attacks_through", "a1"),
    ("lab_attacks_through", ["ok"] * 101), ("lab_useful", [True, 2]),
])
def test_a_bad_lab_field_in_progress_goes_alone(tmp_path, field, value):
    (tmp_path / ".aisec").mkdir()
    path = tmp_path / ".aisec" / "progress.json"
    record = {"attempts": 2, "lab_blocked": [3, 4], "lab_useful": [5, 6], field: value}
    path.write_text(json.dumps({"schema_version": 1, "exercises": {"adder": record}}))
    store = ProgressStore(path)
    adder = store.snapshot().exercise("adder")
    assert adder.attempts == 2
    assert f"exercises.adder.{field}" in store.warnings[0]
    kept = json.loads(path.read_text())["exercises"]["adder"]
    assert field not in kept and kept["attempts"] == 2


def test_reports_carry_the_scores(mini_workspace):
    ex = mini_workspace.course.exercise("adder")
    mini_workspace.progress.record_attempt(ex.id, "failed", 1, 3,
                                           lab=LabRecord((8, 16), (11, 12), ("a1",)))
    report = build_report(mini_workspace)
    entry = next(e for e in report["exercises"] if e["id"] == "adder")
    assert (entry["lab_blocked"], entry["lab_useful"], entry["lab_attacks_through"]) == (
        [8, 16], [11, 12], ["a1"])
    other = next(e for e in report["exercises"] if e["id"] != "adder")
    assert other["lab_blocked"] is None and other["lab_attacks_through"] == []
    assert ",8/16,11/12,a1," in report_csv(report)
    assert "blocked 8/16 · useful 11/12 |" in report_md(report)


def lab_report(name: str, blocked: list[int] | None, useful: list[int] | None,
               through: list[str]) -> dict:
    report = fake_report(name, {"adder": ("failed", 2, 0), "greeter": ("passed", 1, 0)})
    report["exercises"][0].update(lab_blocked=blocked, lab_useful=useful,
                                  lab_attacks_through=through)
    return report


def test_the_class_summary_gives_median_scores_and_the_attacks_through():
    reports = [lab_report("ada", [8, 16], [12, 12], ["a1", "held out (hijack)"]),
               lab_report("bob", [16, 16], [6, 12], []),
               lab_report("cy", [12, 16], [9, 12], ["a1"])]
    loaded = Loaded([(r["name"], clean_report(r)[0]) for r in reports])
    summary = summarise(loaded)
    adder = next(e for e in summary["exercises"] if e["id"] == "adder")
    assert adder["lab"] == {
        "learners_scored": 3, "median_blocked_percent": 75.0, "median_useful_percent": 75.0,
        "attacks_through": [{"attack": "a1", "learners": 2},
                            {"attack": "held out (hijack)", "learners": 1}]}
    greeter = next(e for e in summary["exercises"] if e["id"] == "greeter")
    assert "lab" not in greeter
    text = to_markdown(summary)
    assert "## Defence labs" in text
    assert "| `adder` | 3 | 75% | 75% | `a1` (2), `held out (hijack)` (1) |" in text
    assert to_csv(summary).splitlines()[1].endswith(",75,75")


@pytest.mark.parametrize("bad", [
    {"lab_blocked": [99, 3]}, {"lab_useful": "12/12"}, {"lab_attacks_through": [1, 2]},
    {"lab_attacks_through": ["=HYPERLINK(1)" * 10]},
])
def test_bad_lab_values_from_a_learner_are_dropped_and_named(bad):
    report = lab_report("eve", [8, 16], [12, 12], ["a1"])
    report["exercises"][0].update(bad)
    clean, note = clean_report(report)
    assert note is not None and f"adder.{next(iter(bad))}" in note
    summary = summarise(Loaded([("eve", clean)]))
    assert summary["exercises"][0]["id"] == "adder"


def test_load_reports_says_how_far_it_got(tmp_path):
    from tutor.workshop.class_summary import load_reports

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.json").write_text(json.dumps(lab_report(name, None, None, [])))
    (tmp_path / "bad.json").write_text("{")
    seen: list[tuple[int, int]] = []
    loaded = load_reports([tmp_path], on_read=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4)]
    assert len(loaded.reports) == 3 and len(loaded.skipped) == 1
