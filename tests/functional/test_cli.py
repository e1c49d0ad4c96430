"""The CLI end to end, in temporary workspaces, as a learner or a script would use it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest


def test_init_creates_a_workspace_and_says_what_next(tmp_path, course_dir, aisec):
    result = aisec("--course", course_dir, "init", "w", cwd=tmp_path)
    assert result.code == 0
    assert "cd w" in result.out and "aisec check adder" in result.out
    assert (tmp_path / "w/exercises/demo/adder.py").is_file()


def test_init_never_overwrites_a_workspace(ws, course_dir, aisec):
    (ws / "exercises/demo/adder.py").write_text("# mine\n")
    again = aisec("--course", course_dir, "init", "w", cwd=ws.parent)
    assert again.code == 0 and "already your workspace; nothing changed" in again.out
    assert (ws / "exercises/demo/adder.py").read_text() == "# mine\n"


def test_commands_outside_a_workspace_say_how_and_exit_2(tmp_path, aisec):
    for command in (["check", "adder"], ["progress"], ["hint", "adder"], ["reset", "adder"]):
        result = aisec(*command, cwd=tmp_path)
        assert result.code == 2, command
        assert "aisec init" in result.err and "Traceback" not in result.err


def test_list_json_follows_the_contract(ws, aisec):
    result = aisec("list", "--json", cwd=ws)
    assert result.code == 0
    data = json.loads(result.out)
    (lesson,) = data["lessons"]
    assert lesson["id"] == "demo-lesson" and lesson["title"] == "A demo lesson"
    first = lesson["exercises"][0]
    assert {"id", "title", "file", "status", "hidden_checks"} <= set(first)
    assert first == {**first, "id": "adder", "file": "exercises/demo/adder.py",
                     "status": "pending", "hidden_checks": 3}


def test_checking_the_starter_lists_every_check_and_exits_1(ws, aisec):
    result = aisec("check", "adder", cwd=ws)
    assert result.code == 1
    for title in ("Adds small numbers", "Adds negative numbers", "Zero changes nothing"):
        assert title in result.out
    assert "3 checks: 0 passed, 3 failing" in result.out
    assert "aisec hint adder" in result.out


def test_checking_the_solution_exits_0_and_reveals_it(ws, course_dir, aisec):
    shutil.copy(course_dir / "solutions/adder.py", ws / "exercises/demo/adder.py")
    result = aisec("check", "adder", cwd=ws)
    assert result.code == 0, result.out
    assert "All 3 checks passed" in result.out
    assert (ws / "solutions/demo/adder.py").is_file()
    assert "Next: Greet someone" in result.out


def test_check_json_follows_the_contract(ws, aisec):
    result = aisec("check", "adder", "--json", cwd=ws)
    assert result.code == 1
    data = json.loads(result.out)
    assert {"exercise", "passed", "status", "checks", "duration_s", "output"} <= set(data)
    assert data["exercise"] == "adder" and data["passed"] is False
    assert data["status"] == "failed"
    assert [set(c) >= {"id", "title", "outcome", "message"} for c in data["checks"]] == [True] * 3
    assert data["checks"][0]["outcome"] == "failed"
    assert "Not implemented yet" in data["checks"][0]["message"]


def test_check_all_json_counts_exercises(ws, course_dir, aisec):
    shutil.copy(course_dir / "solutions/greeter.py", ws / "exercises/demo/greeter.py")
    result = aisec("check", "--all", "--json", cwd=ws)
    assert result.code == 1
    data = json.loads(result.out)
    assert data["passed"] == 1 and data["total"] == 2
    assert [e["exercise"] for e in data["exercises"]] == ["adder", "greeter"]


def test_check_all_prints_a_row_per_exercise_then_the_count(ws, course_dir, aisec):
    shutil.copy(course_dir / "solutions/greeter.py", ws / "exercises/demo/greeter.py")
    result = aisec("check", "--all", cwd=ws)
    assert result.code == 1
    rows = result.out.strip().splitlines()
    assert "adder" in rows[0] and "0/3 checks" in rows[0]
    assert "greeter" in rows[1] and "2/2 checks" in rows[1]
    assert rows[-1] == "1 of 2 exercises pass."
    progress = json.loads(aisec("progress", "--json", cwd=ws).out)["exercises"]
    adder = next(e for e in progress if e["id"] == "adder")
    assert (adder["status"], adder["attempts"]) == ("pending", 0), \
        "an untouched starter stays 'to do': grading it is not an attempt"


def test_bare_aisec_off_a_terminal_lists_the_course_and_the_next_step(ws, aisec):
    result = aisec(cwd=ws)
    assert result.code == 0 and "adder" in result.out
    assert "Next up: Add two numbers" in result.out and "'aisec check adder'" in result.out


def test_bare_aisec_outside_a_workspace_shows_help_and_how_to_start(tmp_path, aisec):
    result = aisec(cwd=tmp_path)
    assert result.code == 0 and "usage: aisec" in result.out
    assert "No workspace here yet: run 'aisec init'" in result.out


def test_check_without_id_grades_the_current_exercise(ws, aisec):
    assert "adder — Add two numbers" in aisec("check", cwd=ws).out


def test_unknown_exercise_suggests_one(ws, aisec):
    result = aisec("check", "addr", cwd=ws)
    assert result.code == 2 and "Did you mean 'adder'" in result.err
    assert "Run 'aisec list' to see them all." in result.err


def test_a_missing_exercise_file_says_which_command_restores_it(ws, aisec):
    (ws / "exercises/demo/adder.py").unlink()
    result = aisec("check", "adder", cwd=ws)
    assert result.code == 1
    assert "exercises/demo/adder.py is missing. Run 'aisec reset adder'" in result.out
    as_json = json.loads(aisec("check", "adder", "--json", cwd=ws).out)
    assert "Run 'aisec reset adder'" in as_json["message"], "the JSON says it too"


def test_solution_before_any_hint_suggests_a_hint_first(ws, aisec):
    refused = aisec("solution", "adder", cwd=ws)
    assert refused.code == 2 and "Try 'aisec hint adder' first" in refused.err


def test_hint_solution_reset_and_progress(ws, aisec):
    first = aisec("hint", "adder", cwd=ws)
    assert "Hint 1 of 2" in first.out and "Look at the operator." in first.out
    aisec("hint", "adder", cwd=ws)
    last = aisec("hint", "adder", cwd=ws)
    assert "That was the last hint" in last.out

    refused = aisec("solution", "adder", cwd=ws)
    assert refused.code == 2 and "--force" in refused.err
    assert "You have seen all its hints" in refused.err, "no 'try a hint' with none left"
    assert "aisec hint" not in refused.err
    shown = aisec("solution", "adder", "--force", cwd=ws)
    assert shown.code == 0 and "return a + b" in shown.out

    (ws / "exercises/demo/adder.py").write_text("# mine\n")
    reset = aisec("reset", "adder", cwd=ws)
    assert reset.code == 0 and ".aisec/backups/adder-" in reset.out

    progress = json.loads(aisec("progress", "--json", cwd=ws).out)
    adder = progress["exercises"][0]
    assert adder["hints_revealed"] == 2 and adder["solution_viewed"] is True
    assert progress["schema_version"] == 1 and progress["total"] == 2


def test_progress_says_read_only_for_a_lesson_read_as_the_app_counts_it(ws, course_dir, aisec):
    assert "demo-lesson: 0/2 exercises\n" in aisec("progress", cwd=ws).out
    aisec("lesson", "demo-lesson", cwd=ws)  # opened, as paging past it with ] opens it
    assert "demo-lesson: 0/2 exercises, opened\n" in aisec("progress", cwd=ws).out
    from tutor.course.loader import load_course
    from tutor.learner.workspace import Workspace
    Workspace(ws, load_course(course_dir)).record_lesson("demo-lesson", finished=True)
    assert "demo-lesson: 0/2 exercises, read\n" in aisec("progress", cwd=ws).out


def test_lesson_prints_plain_text_and_records_opening(ws, aisec):
    result = aisec("lesson", "demo-lesson", cwd=ws)
    assert result.code == 0 and "Quiz 1: What is 1 + 1?" in result.out
    progress = json.loads((ws / ".aisec/progress.json").read_text())
    assert progress["lessons"]["demo-lesson"]["opened_at"]


def test_corrupt_progress_warns_and_keeps_going(ws, aisec):
    (ws / ".aisec/progress.json").write_text("{not json")
    result = aisec("progress", cwd=ws)
    assert result.code == 0
    assert "warning:" in result.err and "moved to" in result.err
    assert list((ws / ".aisec").glob("progress.json.corrupt-*"))


def test_broken_course_content_is_reported_not_raised(ws, course_dir, aisec):
    (course_dir / "course.yaml").write_text("format_version: 1\nlessons: [\n")
    result = aisec("list", cwd=ws)
    assert result.code == 2
    assert "course.yaml:" in result.err and "Traceback" not in result.err


# With file events, an hour between polls: the save's event wakes the watch, and
# ctrl+c stops it at once. Polling (forced) runs as where events are not delivered.
@pytest.mark.parametrize(("poll", "interval"), [("0", "3600"), ("1", "0.1")],
                         ids=["events", "polling"])
def test_watch_regrades_on_save_and_stops_cleanly_on_ctrl_c(ws, course_dir, poll, interval):
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "AISEC_POLL_SAVES": poll}
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "watch", "adder",
                             "--interval", interval], cwd=ws, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),
                              daemon=True)
    reader.start()

    def wait_for(text: str, limit: float = 30) -> None:
        deadline = time.monotonic() + limit
        while not any(text in line for line in list(lines)):
            assert time.monotonic() < deadline, f"never saw {text!r} in:\n{''.join(lines)}"
            time.sleep(0.05)

    try:
        wait_for("3 checks: 0 passed, 3 failing")
        wait_for("Watching exercises/demo/adder.py")
        shutil.copy(course_dir / "solutions/adder.py", ws / "exercises/demo/adder.py")
        wait_for("All 3 checks passed")
        wait_for("Watching exercises/demo/adder.py")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        reader.join(timeout=5)
        output = "".join(lines)
        assert "Stopped watching" in output and "Traceback" not in output
    finally:
        if proc.poll() is None:
            proc.kill()


def test_init_onto_a_file_is_a_clear_error(tmp_path, course_dir, aisec):
    (tmp_path / "taken").write_text("not a folder")
    result = aisec("--course", course_dir, "init", "taken", cwd=tmp_path)
    assert result.code == 2
    assert "could not access" in result.err and "Traceback" not in result.err
    assert (tmp_path / "taken").read_text() == "not a folder"


def test_piping_into_a_closed_reader_is_quiet(ws):
    proc = subprocess.run(f"{sys.executable} -m tutor lesson demo-lesson | head -n 1",
                          shell=True, cwd=ws, capture_output=True, text=True)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_init_with_a_track_shows_that_track(tmp_path, course_dir, aisec):
    made = aisec("--course", course_dir, "init", "t", "--track", "quick", cwd=tmp_path)
    assert made.code == 0 and "Track: Quick tour (15 min)" in made.out
    ws = tmp_path / "t"
    data = json.loads(aisec("list", "--json", cwd=ws).out)
    assert data["track"] == {"id": "quick", "title": "Quick tour", "minutes": 15}
    exercises = {e["id"]: e["in_track"] for e in data["lessons"][0]["exercises"]}
    assert exercises == {"adder": False, "greeter": True}
    listed = aisec("list", cwd=ws).out
    assert "greeter" in listed and "adder" not in listed
    assert "adder" in aisec("list", "--all", cwd=ws).out
    checked = json.loads(aisec("check", "--all", "--json", cwd=ws).out)
    assert [e["exercise"] for e in checked["exercises"]] == ["greeter"]
    assert aisec("check", "adder", cwd=ws).code == 1, "outside the track, still checkable"


def test_the_last_exercise_of_a_track_says_the_track_is_done_not_the_course(
        tmp_path, course_dir, aisec):
    aisec("--course", course_dir, "init", "t", "--track", "quick", cwd=tmp_path)
    ws = tmp_path / "t"
    shutil.copy(course_dir / "solutions/greeter.py", ws / "exercises/demo/greeter.py")
    last = aisec("check", "greeter", cwd=ws)
    assert last.code == 0, last.out
    assert "That was the last one of your track 'quick'" in last.out
    assert "'aisec list --all' shows it" in last.out
    assert "every exercise" not in last.out
    # Outside the track, with the track done: still not "every exercise" of the course.
    shutil.copy(course_dir / "solutions/adder.py", ws / "exercises/demo/adder.py")
    assert "last one of your track 'quick'" in aisec("check", "adder", cwd=ws).out


def test_the_last_exercise_of_the_course_says_so(ws, course_dir, aisec):
    for name in ("adder", "greeter"):
        shutil.copy(course_dir / f"solutions/{name}.py", ws / f"exercises/demo/{name}.py")
    assert "Next: Greet someone" in aisec("check", "adder", cwd=ws).out
    last = aisec("check", "greeter", cwd=ws)
    assert "That was the last one: you have finished every exercise!" in last.out


def test_an_unknown_track_is_a_usage_error(tmp_path, course_dir, aisec):
    result = aisec("--course", course_dir, "init", "t", "--track", "nope", cwd=tmp_path)
    assert result.code == 2 and "Tracks in this course: quick" in result.err
    assert "Did you mean" not in result.err
    typo = aisec("--course", course_dir, "init", "t", "--track", "quik", cwd=tmp_path)
    assert typo.code == 2
    assert "There is no track 'quik'. Did you mean 'quick'? Tracks in this course: quick." \
        in typo.err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX symlinks")
def test_reset_replaces_a_symlink_to_a_file_outside_and_leaves_that_file_alone(
        ws, tmp_path, aisec):
    outside = tmp_path / "bashrc"
    outside.write_bytes(b"alias ll='ls -l'\n")
    link = ws / "exercises/demo/adder.py"
    link.unlink()
    link.symlink_to(outside)

    result = aisec("reset", "adder", cwd=ws)

    assert result.code == 0, result.err
    assert outside.read_bytes() == b"alias ll='ls -l'\n"
    assert not link.is_symlink() and "NotImplementedError" in link.read_text()
    assert ".aisec/backups/adder-" in result.out
    (backup,) = (ws / ".aisec/backups").iterdir()
    assert str(outside) in backup.read_text()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX symlinks")
def test_reset_refuses_a_symlinked_exercises_subfolder_and_says_how_to_fix_it(
        ws, tmp_path, aisec):
    elsewhere = tmp_path / "elsewhere"
    (ws / "exercises/demo").rename(elsewhere)
    (ws / "exercises/demo").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "adder.py").write_text("# mine\n")

    result = aisec("reset", "adder", cwd=ws)

    assert result.code == 2
    assert "exercises/demo is a symbolic link" in result.err
    assert "real folder" in result.err and "Traceback" not in result.err
    assert (elsewhere / "adder.py").read_text() == "# mine\n"


COMMAND_LINES = [["init"], ["list"], ["lesson", "x"], ["check"], ["watch"], ["hint", "x"],
                 ["solution", "x"], ["reset", "x"], ["progress"], ["verify-course"], ["tui"],
                 ["serve"], ["report"], ["class", "r.json"], ["doctor"], ["ask", "why?"]]


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=lambda argv: argv[0])
def test_every_command_is_bound_to_a_module_that_runs_it(argv):
    import importlib

    from tutor.cli.parser import build_parser

    command = build_parser().parse_args(argv).run
    module = importlib.import_module(f"tutor.cli.commands.{command.module}")
    assert callable(module.run)


def test_every_commands_help_opens_with_what_it_does():
    import argparse

    from tutor.cli.parser import build_parser

    def commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict:
        found = {}
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found[prefix + name] = sub
                    found |= commands(sub, f"{prefix}{name} ")
        return found

    every = commands(build_parser())
    assert {"list", "report", "class", "serve", "ci init", "ci grade"} <= set(every)
    undescribed = [name for name, sub in every.items() if not sub.description]
    assert not undescribed, undescribed
