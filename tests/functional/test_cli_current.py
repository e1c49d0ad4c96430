"""The current exercise and what is done, as a learner meets them on the command line.

Every command without an exercise id works on the exercise last worked on (while
it has not passed, then the next one) and says which; "done" means passed once,
and every count agrees on it, even after a reset.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def ws(tmp_path: Path, course_dir: Path, aisec) -> Path:
    result = aisec("--course", course_dir, "init", "w", cwd=tmp_path)
    assert result.code == 0, result.err
    return tmp_path / "w"


def pass_exercise(ws: Path, course_dir: Path, exercise: str, aisec) -> None:
    shutil.copy(course_dir / f"solutions/{exercise}.py", ws / f"exercises/demo/{exercise}.py")
    assert aisec("check", exercise, cwd=ws).code == 0


def test_check_without_id_says_it_picked_the_first_exercise(ws, aisec):
    result = aisec("check", cwd=ws)
    assert "Checking adder (the first exercise not passed yet)." in result.err
    assert "adder — Add two numbers" in result.out


def test_every_command_without_id_uses_the_exercise_last_worked_on(ws, aisec):
    assert aisec("hint", "greeter", cwd=ws).code == 0

    checked = aisec("check", cwd=ws)
    assert "Checking greeter (the exercise you last worked on)." in checked.err
    hint = aisec("hint", cwd=ws)
    assert "Hints for greeter (the exercise you last worked on)." in hint.err
    assert "Hint 2 of 2" in hint.out
    reset = aisec("reset", cwd=ws)
    assert reset.code == 0
    assert ("Restored the starter of exercises/demo/greeter.py (the exercise you last "
            "worked on).") in reset.out


def test_naming_an_exercise_makes_it_the_current_one_even_untouched(ws, aisec):
    assert aisec("check", "greeter", cwd=ws).code == 1
    assert "Checking greeter (the exercise you last worked on)." in aisec("check", cwd=ws).err


def test_after_a_pass_check_moves_on_and_solution_shows_the_one_just_passed(
        ws, course_dir, aisec):
    pass_exercise(ws, course_dir, "adder", aisec)

    assert "Checking greeter (the next one not passed after adder)." in aisec(
        "check", cwd=ws).err
    pass_exercise(ws, course_dir, "adder", aisec)  # adder is the one last worked on again
    solution = aisec("solution", cwd=ws)
    assert solution.code == 0 and "return a + b" in solution.out
    assert "The reference solution of adder (the exercise you last worked on)." in solution.err


def test_when_everything_has_passed_commands_say_so_clearly(ws, course_dir, aisec):
    pass_exercise(ws, course_dir, "adder", aisec)
    pass_exercise(ws, course_dir, "greeter", aisec)

    check = aisec("check", cwd=ws)
    assert check.code == 0 and "Every exercise has passed — well done!" in check.out
    assert "'aisec check ID'" in check.out
    hint = aisec("hint", cwd=ws)
    assert hint.code == 2 and "Every exercise has passed" in hint.err
    assert "'aisec hint ID'" in hint.err and "Traceback" not in hint.err


def test_a_reset_never_takes_a_pass_away_and_every_count_agrees(ws, course_dir, aisec):
    pass_exercise(ws, course_dir, "adder", aisec)
    assert aisec("reset", "adder", cwd=ws).code == 0

    summary = aisec("check", "--all", cwd=ws)
    assert summary.code == 1
    assert summary.out.strip().splitlines()[-1] == (
        "0 of 2 pass now. Done: 1 of 2 (adder passed before; your file fails now).")
    as_json = json.loads(aisec("check", "--all", "--json", cwd=ws).out)
    assert (as_json["passed"], as_json["done"], as_json["total"]) == (0, 1, 2)
    assert as_json["done_failing_now"] == ["adder"]

    listed = json.loads(aisec("list", "--json", cwd=ws).out)
    statuses = {e["id"]: e["status"] for e in listed["lessons"][0]["exercises"]}
    assert statuses == {"adder": "passed", "greeter": "pending"}
    assert "adder                  done" in aisec("list", cwd=ws).out
    progress = aisec("progress", cwd=ws)
    assert progress.out.startswith("1 of 2 exercises done")
    assert json.loads(aisec("progress", "--json", cwd=ws).out)["passed"] == 1

    again = aisec("check", "adder", cwd=ws)
    assert "You passed adder before, so it stays done" in again.out


def test_check_all_keeps_the_exercise_the_learner_was_on(ws, course_dir, aisec):
    assert aisec("hint", "adder", cwd=ws).code == 0
    (ws / "exercises/demo/greeter.py").write_text("def greet(name):\n    return 'hi'\n")
    aisec("check", "--all", cwd=ws)
    assert "Checking adder (the exercise you last worked on)." in aisec("check", cwd=ws).err


class Watching:
    """An `aisec watch` process whose output is read as it comes."""

    def __init__(self, ws: Path, *args: str) -> None:
        env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tutor", "watch", *args, "--interval", "0.1"], cwd=ws,
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        out = self.proc.stdout
        assert out is not None
        self.reader = threading.Thread(target=lambda: self.lines.extend(iter(out.readline, "")),
                                       daemon=True)
        self.reader.start()

    def wait_for(self, text: str, limit: float = 30) -> None:
        deadline = time.monotonic() + limit
        while not any(text in line for line in list(self.lines)):
            assert time.monotonic() < deadline, f"never saw {text!r} in:\n{''.join(self.lines)}"
            time.sleep(0.05)

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        assert self.proc.wait(timeout=10) == 0
        self.reader.join(timeout=5)
        return "".join(self.lines)


@pytest.fixture
def watching() -> Callable[..., Watching]:
    started: list[Watching] = []

    def start(ws: Path, *args: str) -> Watching:
        started.append(Watching(ws, *args))
        return started[-1]

    yield start
    for watcher in started:
        if watcher.proc.poll() is None:
            watcher.proc.kill()


def test_watch_without_id_follows_the_course_after_a_pass(ws, course_dir, watching):
    watcher = watching(ws)
    watcher.wait_for("Watching exercises/demo/adder.py (the first exercise not passed yet)")
    shutil.copy(course_dir / "solutions/adder.py", ws / "exercises/demo/adder.py")
    watcher.wait_for("The reference solution is now in solutions/demo/adder.py")
    watcher.wait_for("Next: Greet someone — 'aisec watch greeter'")
    watcher.wait_for("Moving on to Greet someone (exercises/demo/greeter.py).")
    (ws / "exercises/demo/greeter.py").write_text("def greet(name):\n    return 'hi'\n")
    watcher.wait_for("Watching exercises/demo/greeter.py (the next exercise)")
    output = watcher.stop()
    assert "Stopped watching" in output and "Traceback" not in output


def test_watch_with_an_id_keeps_watching_and_names_the_next_exercise(
        ws, course_dir, watching):
    watcher = watching(ws, "exercises/demo/adder.py")
    watcher.wait_for("3 checks: 0 passed, 3 failing")
    shutil.copy(course_dir / "solutions/adder.py", ws / "exercises/demo/adder.py")
    watcher.wait_for("The reference solution is now in solutions/demo/adder.py")
    watcher.wait_for("Next: Greet someone — 'aisec watch greeter' (exercises/demo/greeter.py)")
    output = watcher.stop()
    after_pass = output[output.index("'aisec watch greeter'"):]
    assert "Watching exercises/demo/adder.py — save to re-check" in after_pass
    assert "Moving on" not in output
