"""Workshop tools: learner reports carry no code or paths; class summaries count right."""

from __future__ import annotations

import json

import pytest

MARKER = "SECRET_LEARNER_CODE_MARKER_7731"


@pytest.fixture
def worked_workspace(mini_workspace):
    """A workspace with one passed exercise, one failing attempt and some quiz answers."""
    ws = mini_workspace
    adder = ws.course.exercise("adder")
    ws.exercise_path(adder).write_text(f"# {MARKER}\ndef add(a, b):\n    return a + b\n")
    ws.check(adder)
    greeter = ws.course.exercise("greeter")
    ws.exercise_path(greeter).write_text(f"def greet(name):\n    return '{MARKER}'\n")
    ws.check(greeter)
    ws.reveal_hint(greeter)
    ws.record_lesson("demo-lesson", opened=True)
    ws.record_quiz("demo-lesson", "q1", 1, True)
    return ws


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_reports_hold_no_code_and_no_paths(worked_workspace, aisec, fmt):
    result = aisec("report", "--format", fmt, "--name", "Ada", cwd=worked_workspace.root)
    assert result.code == 0, result.err
    assert MARKER not in result.out, "no learner code in a report"
    assert str(worked_workspace.root) not in result.out, "no absolute paths in a report"
    assert "/tmp" not in result.out and "Ada" in result.out


def test_json_report_has_the_contract_fields(worked_workspace, aisec):
    report = json.loads(aisec("report", cwd=worked_workspace.root).out)
    assert report["schema"] == "aisec-report" and report["schema_version"] == 1
    assert report["name"] == "" and report["tool_version"]
    adder, greeter = report["exercises"]
    assert adder["status"] == "passed" and adder["attempts"] == 1
    assert isinstance(adder["time_to_pass_s"], int)
    assert greeter["status"] == "failed" and greeter["hints_revealed"] == 1
    (lesson,) = report["lessons"]
    assert lesson["quiz_total"] == 1 and lesson["quiz_correct_first_try"] == 1


def test_report_to_a_file(worked_workspace, aisec, tmp_path):
    out = tmp_path / "ada.json"
    result = aisec("report", "-o", out, "--name", "Ada", cwd=worked_workspace.root)
    assert result.code == 0 and "no code" in result.err
    assert json.loads(out.read_text())["name"] == "Ada"


@pytest.mark.parametrize("name, words", [("Cy\x1b[2J", "control character"),
                                         ("Ann\nBo", "control character"),
                                         ("x" * 101, "101 characters long")])
def test_a_report_name_is_one_plain_line_a_summary_can_show_whole(worked_workspace, aisec,
                                                                  name, words):
    result = aisec("report", "--name", name, cwd=worked_workspace.root)
    assert result.code == 2 and words in result.err
    assert "\x1b" not in result.err


def test_a_report_name_is_trimmed(worked_workspace, aisec):
    report = json.loads(aisec("report", "--name", "  Ada Lovelace ", cwd=worked_workspace.root).out)
    assert report["name"] == "Ada Lovelace"


def fake_report(name: str, statuses: dict[str, tuple[str, int, int]]) -> dict:
    """statuses: exercise -> (status, attempts, hints)."""
    return {
        "schema": "aisec-report", "schema_version": 1, "name": name,
        "course": {"id": "mini", "title": "Mini"}, "tool_version": "0.1.0", "track": None,
        "summary": {}, "lessons": [],
        "exercises": [{"id": ex, "status": st, "attempts": at, "hints_revealed": hi,
                       "time_to_pass_s": 600 if st == "passed" else None}
                      for ex, (st, at, hi) in statuses.items()],
    }


def test_class_summary_counts_and_skips_bad_files(tmp_path, aisec):
    reports = tmp_path / "reports"
    reports.mkdir()
    crafted = {
        "ada": {"adder": ("passed", 2, 0), "greeter": ("passed", 1, 1)},
        "bob": {"adder": ("passed", 4, 2), "greeter": ("failed", 6, 3)},
        "cy": {"adder": ("failed", 1, 0), "greeter": ("pending", 0, 0)},
    }
    for name, statuses in crafted.items():
        (reports / f"{name}.json").write_text(json.dumps(fake_report(name, statuses)))
    (reports / "broken.json").write_text("{not json")
    (reports / "other.json").write_text(json.dumps({"hello": "world"}))

    result = aisec("class", reports, "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "skipped" in result.err and "broken.json" in result.err and "other.json" in result.err
    summary = json.loads(result.out)
    assert summary["learners"] == 3
    adder, greeter = summary["exercises"]
    assert (adder["passed"], adder["learners"], adder["percent"]) == (2, 3, 66.7)
    assert adder["median_attempts"] == 2 and adder["stuck"] == 1
    assert (greeter["passed"], greeter["percent"]) == (1, 33.3)
    assert greeter["tried"] == 2 and greeter["median_hints"] == 2
    assert greeter["stuck_learners"] == ["bob"]
    helpers = [s["name"] for s in summary["learner_summaries"] if s["may_need_help"]]
    assert helpers == ["bob"]
    assert {s["file"].rsplit("/", 1)[-1] for s in summary["skipped"]} == {"broken.json",
                                                                         "other.json"}


def test_a_file_named_twice_counts_once_and_a_shared_name_is_flagged(tmp_path, aisec):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "ann.json").write_text(json.dumps(fake_report("Ann", {
        "adder": ("passed", 1, 0)})))
    (reports / "cy.json").write_text(json.dumps(fake_report("Ann", {  # renamed: not Ann's
        "adder": ("failed", 6, 2)})))
    (reports / "dee.json").write_text("{not json")
    (reports / "zed.json").write_text(json.dumps(fake_report("", {"adder": ("pending", 0, 0)})))

    given = [reports, reports / "ann.json", reports]
    summary = json.loads(aisec("class", *given, "--format", "json", cwd=tmp_path).out)
    assert summary["learners"] == 3, "ann.json read once, though named three times"
    assert [(s["name"], [f.rsplit("/", 1)[-1] for f in s["files"]]) for s in summary["same_name"]] \
        == [("Ann", ["ann.json", "cy.json"])]
    # An unnamed learner is numbered among the reports read, not the files tried.
    assert summary["learner_summaries"][-1]["name"] == "learner 3 (zed.json)"
    text = aisec("class", *given, cwd=tmp_path).out
    assert "3 learner report(s)" in text
    assert "**Warning:** 2 reports name the same learner, Ann:" in text


def test_the_learners_table_shows_a_track_first(tmp_path, aisec):
    report = fake_report("Ann", {"adder": ("passed", 1, 0), "greeter": ("passed", 1, 0)})
    report["track"] = "quick"
    report["exercises"][0]["in_track"] = False  # adder: an extra, done anyway
    (tmp_path / "ann.json").write_text(json.dumps(report))
    plain = fake_report("Bo", {"adder": ("failed", 2, 0)})
    (tmp_path / "bo.json").write_text(json.dumps(plain))
    forged = fake_report("Cy", {"adder": ("passed", 1, 0)})
    forged["track"] = {"id": "x"}
    (tmp_path / "cy.json").write_text(json.dumps(forged))

    text = aisec("class", tmp_path, cwd=tmp_path).out
    assert "| Ann | 1/1 of track `quick` (2/2 in all) |" in text
    assert "| Bo | 0/1 |" in text and "| Cy | 1/1 |" in text
    assert "track" in aisec("class", tmp_path, cwd=tmp_path).err  # Cy's bad track is named


@pytest.mark.parametrize("fmt, expected", [("md", "| `adder` | 1/1 | 100% |"),
                                           ("csv", "adder,1,1,100.0,")])
def test_class_summary_formats(tmp_path, aisec, fmt, expected):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(fake_report("", {"adder": ("passed", 1, 0)})))
    result = aisec("class", path, "--format", fmt, cwd=tmp_path)
    assert result.code == 0 and expected in result.out


def test_class_summary_with_no_valid_report_says_how_to_make_one(tmp_path, aisec):
    (tmp_path / "x.json").write_text("[]")
    result = aisec("class", tmp_path / "x.json", cwd=tmp_path)
    assert result.code == 2 and "aisec report" in result.err
    (tmp_path / "x.json").write_text("\n")
    assert "x.json: empty\n" in aisec("class", tmp_path / "x.json", cwd=tmp_path).err
    (tmp_path / "none").mkdir()
    nothing = aisec("class", tmp_path / "none", cwd=tmp_path)
    assert nothing.code == 2 and "No .json files among the files and folders given" \
        in nothing.err


def test_facilitator_screen_summarises_a_folder(tmp_path, mini_workspace):
    import asyncio

    from textual.widgets import DataTable, Static

    from tests.pilot import wait_until
    from tutor.tui.app import AisecApp
    from tutor.tui.screens.facilitator import FacilitatorScreen

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(fake_report("[bold]Ada[/]", {
        "adder": ("failed", 6, 1)})))
    (folder / "b.json").write_text(json.dumps(fake_report("Bob", {"adder": ("passed", 1, 0)})))
    (folder / "junk.json").write_text("nope")

    async def scenario():
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=(100, 40)) as pilot:
            app.push_screen(FacilitatorScreen(folder))

            def ready() -> bool:
                screen = app.screen
                return (isinstance(screen, FacilitatorScreen) and bool(screen.query(DataTable))
                        and screen.query_one(DataTable).row_count > 0)

            await wait_until(pilot, ready)
            table = app.screen.query_one(DataTable)
            assert [str(c) for c in table.get_row_at(0)][:3] == ["adder", "1/2", "50"]
            notes = str(app.screen.query_one("#notes", Static).render())
            assert "[bold]Ada[/]" in notes, "names from report files are shown literally"
            assert "junk.json" in notes
            headline = str(app.screen.query_one("#headline", Static).render())
            assert "0 from CI runs (as the reports say), 2 self-reported" in headline

    asyncio.run(scenario())


def test_whole_minutes_keep_their_zeros_in_text_formats(tmp_path, aisec):
    report = fake_report("", {"adder": ("passed", 1, 0)})
    report["exercises"][0]["time_to_pass_s"] = 600  # 10 minutes
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report))
    markdown = aisec("class", path, cwd=tmp_path).out
    assert "| 10 |" in markdown, markdown


def test_exercises_nobody_has_in_their_track_are_left_out(tmp_path, aisec):
    report = fake_report("", {"adder": ("pending", 0, 0), "greeter": ("passed", 1, 0)})
    report["exercises"][0]["in_track"] = False
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report))
    summary = json.loads(aisec("class", path, "--format", "json", cwd=tmp_path).out)
    assert [e["id"] for e in summary["exercises"]] == ["greeter"]


def test_a_learner_who_only_looked_around_is_stuck_on_nothing(ws, aisec, tmp_path):
    """Issue 12, item 3, as the learner met it: grading every untouched starter (check
    --all, then check ID) is no attempt, so the report and the class
    summary show the exercises "to do", never "stuck"."""
    assert aisec("check", "--all", cwd=ws).code == 1
    assert aisec("check", "adder", cwd=ws).code == 1  # asked for, but still the starter
    assert aisec("hint", "greeter", cwd=ws).code == 0
    reports = tmp_path / "reports"
    reports.mkdir()
    assert aisec("report", "--name", "Ada", "-o", reports / "ada.json", cwd=ws).code == 0
    report = json.loads((reports / "ada.json").read_text())
    assert {(e["id"], e["status"], e["attempts"]) for e in report["exercises"]} == {
        ("adder", "pending", 0), ("greeter", "pending", 0)}
    summary = json.loads(aisec("class", reports, "--format", "json", cwd=tmp_path).out)
    assert [(e["id"], e["tried"], e["stuck"]) for e in summary["exercises"]] == [
        ("adder", 0, 0), ("greeter", 0, 0)]
    assert summary["most_stuck"] == []
    assert not any(s["may_need_help"] for s in summary["learner_summaries"])
