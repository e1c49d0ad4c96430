"""`aisec class`, `aisec report` and the facilitator screen with hostile report files.

A report is written by a learner, so a facilitator's summary must survive any of
them: wrong types, absurd numbers, deep nesting, a FIFO or a symlink to a device,
a huge file. It must skip and name the bad ones, and its Markdown and CSV must not
let a learner's text become a link, an image, HTML, a new table row or a formula.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.functional.test_workshop import fake_report
from tutor.workshop.class_summary import Invalid, Loaded, clean_report, summarise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_ID = 'x|y\n<img src=x onerror=alert(1)> ``` ![p](http://evil.example/p.png)'
HOSTILE_NAME = ("![i](http://e.example/x.png)<b>b</b>[a](http://e.example)|www.e.example "
                "a@e.example\n# h``\x1b]0;pwned\x07\u202eevil")  # under the 100-character cut
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def run_class(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`aisec class` in a subprocess with a time and memory limit, so that a regression
    (blocking on a FIFO, reading /dev/zero forever) fails the test instead of the machine."""
    def limits() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "AISEC"))}
    env["NO_COLOR"] = "1"
    return subprocess.run([sys.executable, "-m", "tutor", "class", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL,
                          preexec_fn=limits if os.name == "posix" else None)


def good(name: str, **statuses: tuple[str, int, int]) -> str:
    return json.dumps(fake_report(name, statuses))


def hostile_folder(root: Path) -> tuple[Path, dict[str, str]]:
    """Two good reports and a set of bad ones; returns the folder and bad file -> why."""
    folder = root / "reports"
    folder.mkdir()
    (folder / "ada.json").write_text(good("Ada", adder=("passed", 2, 0),
                                          greeter=("failed", 6, 1)))
    (folder / "bob.json").write_text(good("Bob", adder=("failed", 3, 1)))
    bad: dict[str, str] = {}

    wrong = fake_report({"not": "a name"}, {"adder": ("passed", 1, 0)})  # type: ignore[arg-type]
    wrong["course"] = {"id": ["a", "list"]}
    wrong["exercises"] += [
        {"id": "adder", "status": "passed", "attempts": "x"},  # a duplicate, and a string
        {"id": "greeter", "status": 5, "attempts": [1], "hints_revealed": {"a": 1},
         "time_to_pass_s": "soon", "in_track": "yes", "solution_viewed_before_pass": 3},
        [1, 2], None, {"id": 7}, {"id": ""},
    ]
    (folder / "wrong-types.json").write_text(json.dumps(wrong))

    (folder / "inf.json").write_text(
        good("Inf", adder=("passed", 1, 0)).replace('"attempts": 1', '"attempts": 1e999')
        .replace('"time_to_pass_s": 600', '"time_to_pass_s": 1e999'))
    (folder / "bigint.json").write_text(
        good("Big", adder=("failed", 1, 0)).replace('"attempts": 1', '"attempts": 1'
                                                     + "0" * 10_000))
    (folder / "deep.json").write_text("[" * 100_000)
    bad["deep.json"] = "nested"
    (folder / "huge.json").write_text(json.dumps({**fake_report("Huge", {}),
                                                  "pad": "x" * (1 << 20)}))
    bad["huge.json"] = "1 MB"
    (folder / "not-a-report.json").write_text("[]")
    bad["not-a-report.json"] = "not an aisec learner report"
    (folder / "newer.json").write_text(json.dumps({**fake_report("N", {}),
                                                   "schema_version": "9"}))
    bad["newer.json"] = "version"
    (folder / "dir.json").mkdir()
    bad["dir.json"] = "not a regular file"
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.json")
        bad["fifo.json"] = "not a regular file"
    if Path("/dev/zero").exists():
        (folder / "zero.json").symlink_to("/dev/zero")
        bad["zero.json"] = "not a regular file"
    if hasattr(os, "symlink"):  # two links to each other: resolving them never ends
        (folder / "loop-a.json").symlink_to("loop-b.json")
        (folder / "loop-b.json").symlink_to("loop-a.json")
        bad["loop-a.json"] = bad["loop-b.json"] = "could not be read"
    return folder, bad


def check_summary(summary: dict, bad: dict[str, str]) -> None:
    skipped = {Path(s["file"]).name: s["reason"] for s in summary["skipped"]}
    for name, why in bad.items():
        assert name in skipped, (name, skipped)
        assert why in skipped[name], (name, skipped[name])
    # ada, bob, and the three reports whose bad fields were dropped
    assert summary["learners"] == 5
    adder = next(e for e in summary["exercises"] if e["id"] == "adder")
    assert adder["learners"] == 5 and adder["passed"] == 3  # ada, wrong-types, inf
    for exercise in summary["exercises"]:
        for key in ("median_attempts", "median_hints", "median_minutes_to_pass"):
            value = exercise[key]
            assert value is None or (isinstance(value, (int, float)) and 0 <= value < 1e7)
    assert all(isinstance(c, str) for c in summary["courses"])
    json.dumps(summary, allow_nan=False)  # strict JSON: no Infinity, no NaN


def test_hostile_reports_are_skipped_and_named_never_fatal(tmp_path):
    folder, bad = hostile_folder(tmp_path)
    result = run_class(folder, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for name in bad:
        assert name in result.stderr, name
    summary = json.loads(result.stdout)
    check_summary(summary, bad)
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout
    assert "wrong-types.json" in result.stderr and "dropped" in result.stderr
    dropped = {Path(d["file"]).name for d in summary["dropped"]}
    assert {"wrong-types.json", "inf.json", "bigint.json"} <= dropped


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_hostile_reports_in_text_formats(tmp_path, fmt):
    folder, _bad = hostile_folder(tmp_path)
    (folder / "esc.json").write_text(json.dumps(fake_report(HOSTILE_NAME, {
        "adder": ("failed", 9, 0)})))
    result = run_class(folder, "--format", fmt, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr


def test_a_fifo_given_by_name_does_not_block(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "ok.json").write_text(good("Ok", adder=("passed", 1, 0)))
    result = run_class(tmp_path / "pipe.json", tmp_path / "ok.json", "--format", "json",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pipe.json" in result.stderr and "not a regular file" in result.stderr
    assert json.loads(result.stdout)["learners"] == 1


# -- Markdown: no image, link, HTML, fence or table breakout ------------------------------


def markdown_problems(text: str, columns: dict[int, int]) -> list[str]:
    """What a GFM renderer (with bare-URL linking on) would turn into live content."""
    problems = []
    tokens = MarkdownIt("gfm-like").parse(text)
    rows: list[int] = []
    cells = 0
    for token in tokens:
        if token.type in ("html_block", "fence", "code_block"):
            problems.append(token.type)
        if token.type == "tr_open":
            cells = 0
        if token.type in ("td_open", "th_open"):
            cells += 1
        if token.type == "tr_close":
            rows.append(cells)
        if token.type == "heading_open" and token.tag != "h1" and token.tag != "h2":
            problems.append("heading " + token.tag)
        for child in token.children or []:
            if child.type in ("image", "link_open", "html_inline"):
                problems.append(f"{child.type}: {token.content!r}")
    for width in set(rows):
        if width not in columns:
            problems.append(f"a table row with {width} cells")
    return problems


def hostile_markdown_folder(root: Path) -> Path:
    folder = root / "md"
    folder.mkdir()
    report = fake_report(HOSTILE_NAME, {"adder": ("failed", 9, 0)})
    report["course"]["id"] = "c|d [x](http://evil.example)"
    report["exercises"].append({"id": HOSTILE_ID, "status": "failed", "attempts": 7,
                                "hints_revealed": 0, "time_to_pass_s": None})
    (folder / "[l](http:evil.example)`|<b>x<b>.json").write_text(json.dumps(report))
    (folder / "www.evil.example.json").write_text("{broken")
    (folder / "![i](http:x.png).json").write_text("[]")
    return folder


def test_class_markdown_escapes_learner_text(tmp_path):
    folder = hostile_markdown_folder(tmp_path)
    result = run_class(folder, "--format", "md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert markdown_problems(text, {7, 3}) == [], text  # exercises; learners
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b" in text
    # The hostile names are still there, readable, and each table row is one line.
    assert "http://e.example/x.png" in text and "onerror" in text
    table = [line for line in text.splitlines() if line.startswith("|")]
    # Exercises: header, rule, adder, the hostile id; learners: header, rule, the learner.
    assert len(table) == 2 + 2 + 2 + 1, table


def test_report_markdown_escapes_the_name(mini_workspace, aisec):
    from tutor.workshop.report import build_report, render

    refused = aisec("report", "--format", "md", "--name", HOSTILE_NAME, cwd=mini_workspace.root)
    assert refused.code == 2 and "control character" in refused.err
    # The renderer escapes whatever name it is given all the same (defence in depth).
    out = render(build_report(mini_workspace, name=HOSTILE_NAME), "md")
    assert markdown_problems(out, {7, 3}) == [], out
    assert "\x1b" not in out and "\\x1b" in out


def test_ordinary_text_stays_as_the_guide_shows_it(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(good("Chloé", adder=("failed", 5, 0)))
    out = run_class(path, cwd=tmp_path).stdout
    assert "| `adder` | 0/1 | 0% |" in out and "- Chloé: 5+ check runs without a pass on `adder`" \
        in out


# -- CSV: no formulas, in any cell -----------------------------------------------------------


def formula_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row
            if cell.lstrip(" ").startswith(FORMULA_STARTS)
            or cell.startswith(FORMULA_STARTS)]


def test_class_csv_neutralises_formulas(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    report = fake_report(FORMULAS[0], {f: ("failed", 1, 0) for f in FORMULAS})
    (folder / "f.json").write_text(json.dumps(report))
    result = run_class(folder, "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert formula_cells(result.stdout) == [], result.stdout
    ids = [row[0] for row in csv.reader(io.StringIO(result.stdout))][1:]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in ids and "'+1+1" in ids


def test_report_csv_neutralises_formulas(mini_workspace, aisec):
    for formula in FORMULAS:
        result = aisec("report", "--format", "csv", f"--name={formula}",
                       cwd=mini_workspace.root)
        assert result.code == 0, result.err
        assert formula_cells(result.out) == [], (formula, result.out)
        rows = list(csv.DictReader(io.StringIO(result.out)))
        assert rows and all(row["name"].startswith("'") for row in rows)


# -- the facilitator screen ------------------------------------------------------------------


def test_facilitator_screen_survives_hostile_reports(tmp_path, mini_workspace):
    from textual.widgets import DataTable, Static

    from tests.pilot import wait_until
    from tutor.tui.app import AisecApp
    from tutor.tui.screens.facilitator import FacilitatorScreen

    folder, bad = hostile_folder(tmp_path)
    report = fake_report(HOSTILE_NAME, {"adder": ("failed", 9, 0)})
    (folder / "evil\x1b[2J.json").write_text(json.dumps(report))

    async def scenario():
        app = AisecApp(mini_workspace.course, mini_workspace, watch_files=False)
        async with app.run_test(size=(120, 50)) as pilot:
            app.push_screen(FacilitatorScreen(folder))

            def ready() -> bool:
                screen = app.screen
                return (isinstance(screen, FacilitatorScreen) and bool(screen.query("#headline"))
                        and "learner report" in str(screen.query_one("#headline",
                                                                   Static).render()))

            await wait_until(pilot, ready)
            screen = app.screen
            table = screen.query_one(DataTable)
            assert table.row_count >= 2
            headline = str(screen.query_one("#headline", Static).render())
            assert "6 learner report(s)" in headline, headline
            notes = str(screen.query_one("#notes", Static).render())
            for name in bad:
                assert name in notes, (name, notes)
            assert "\x1b" not in notes and "\\x1b]0;pwned" in notes and "\u202e" not in notes
            assert app.is_running

    asyncio.run(scenario())


def test_the_note_counts_the_entries_dropped():
    report = fake_report("Ada", {"adder": ("passed", 1, 0)})
    report["exercises"] += [None, {"id": 7}, {"id": "adder", "status": "failed"}]
    cleaned, note = clean_report(report)
    assert note == "2 malformed exercise entries dropped; 1 repeated exercise entry dropped"
    assert [(e["id"], e["status"]) for e in cleaned["exercises"]] == [("adder", "passed")]


def test_the_note_names_the_first_five_bad_values():
    report = fake_report("Ada", {f"ex{i}": ("passed", -1, 0) for i in range(7)})
    cleaned, note = clean_report(report)
    assert note == ("invalid values dropped: ex0.attempts, ex1.attempts, ex2.attempts, "
                    "ex3.attempts, ex4.attempts and 2 more")
    assert {e["attempts"] for e in cleaned["exercises"]} == {0}


def test_a_sound_report_has_no_note():
    assert clean_report(fake_report("Ada", {"adder": ("passed", 1, 0)}))[1] is None


@pytest.mark.parametrize(("change", "why"), [
    ({"schema": "other"}, "not an aisec learner report"),
    ({"schema_version": True}, "not a valid version number"),
    ({"schema_version": 2}, "newer than this aisec-tutor"),
    ({"course": None}, "incomplete"),
])
def test_an_unusable_report_says_why(change, why):
    with pytest.raises(Invalid, match=why):
        clean_report({**fake_report("Ada", {}), **change})


def test_exercises_nobody_tried_outside_every_track_are_left_out():
    report = fake_report("Ada", {"adder": ("pending", 0, 0), "greeter": ("pending", 0, 0),
                                 "luhn": ("failed", 2, 0)})
    report["exercises"][1]["in_track"] = False
    cleaned, _ = clean_report(report)
    summary = summarise(Loaded(reports=[("Ada", cleaned)]))
    assert [e["id"] for e in summary["exercises"]] == ["adder", "luhn"]
    (ada,) = summary["learner_summaries"]
    assert ada["stuck_on"] == ["luhn"] and not ada["may_need_help"]
