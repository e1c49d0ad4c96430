"""No grading leaves a process behind, and no process the learner starts can hang it.

Learner code that starts a grandchild (`subprocess.Popen(["sleep", ...])`, also
in a new session, also a double-forked daemon) once made `aisec check` wait for
it, and it survived. Whatever the outcome (pass, fail, timeout, cancel, ctrl+c,
quitting the TUI), every such process must be gone when the verdict arrives,
and the verdict must arrive within the timeout plus a small margin.

The learner code in these tests writes the pid of each process it starts to a
file, so the test can look for exactly those processes afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tutor.grader.result import GradeResult
from tutor.grader.runner import grade
from tutor.learner.workspace import Workspace

pytestmark = [pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="the subreaper sweep is Linux-only"),
              pytest.mark.usefixtures("grader_path")]  # on the cold and the warm path

TIMEOUT = 4  # the fixture exercise's timeout, seconds
MARGIN = 6  # start-up (generous on a busy machine) and the sweep


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def pids_in(path: Path) -> list[int]:
    if not path.exists():
        return []
    return [int(line) for line in path.read_text().split() if line.strip()]


def spawner(pids: Path, how: str) -> str:
    """Python source that starts a long-lived process and records its pid."""
    record = f"open({str(pids)!r}, 'a').write(str(%s) + '\\n')"
    if how == "popen":
        start = "p = subprocess.Popen(['sleep', '300'])\n    " + record % "p.pid"
    elif how == "new-session":
        start = ("p = subprocess.Popen(['sleep', '300'], start_new_session=True)\n    "
                 + record % "p.pid")
    elif how == "daemon":  # the classic double fork: the grandchild is orphaned at once
        start = ("import os\n    r, w = os.pipe()\n    if os.fork() == 0:\n"
                 "        os.setsid()\n        if os.fork() == 0:\n"
                 f"            {record % 'os.getpid()'}\n            os.write(w, b'x')\n"
                 "            import time\n            time.sleep(300)\n"
                 "        os._exit(0)\n    os.read(r, 1)")
    else:
        raise ValueError(how)
    return f"import subprocess\n\ndef spawn():\n    {start}\n"


def grade_file(ws: Workspace, source: str) -> tuple[GradeResult, float]:
    ex = ws.course.exercise("adder")
    ws.exercise_path(ex).write_text(source, encoding="utf-8")
    started = time.monotonic()
    result = ws.check(ex).result
    return result, time.monotonic() - started


GOOD_ADD = "def add(a, b):\n    return a + b\n"
LOOP_ADD = "def add(a, b):\n    while True:\n        pass\n"


@pytest.mark.parametrize("how", ["popen", "new-session", "daemon"])
@pytest.mark.parametrize("when, add, status", [
    ("import", GOOD_ADD, "passed"),
    ("check", "def add(a, b):\n    spawn()\n    return a + b\n", "passed"),
    ("check", "def add(a, b):\n    spawn()\n    return a - b\n", "failed"),
    ("check", "def add(a, b):\n    spawn()\n" + LOOP_ADD.split(":\n", 1)[1], "timeout"),
])
def test_nothing_the_learner_started_survives(mini_workspace, tmp_path, how, when, add, status):
    pids = tmp_path / "pids"
    source = spawner(pids, how) + ("spawn()\n" if when == "import" else "") + add
    result, took = grade_file(mini_workspace, source)
    assert result.status == status, (result.status, result.message)
    assert took < TIMEOUT + MARGIN, f"the verdict took {took:.1f} s"
    started = pids_in(pids)
    assert started, "the learner code should have started a process"
    survivors = [pid for pid in started if alive(pid)]
    assert not survivors, f"still running after the grading: {survivors}"


def test_a_cancelled_run_leaves_nothing(mini_workspace, tmp_path):
    pids = tmp_path / "pids"
    ws = mini_workspace
    ex = ws.course.exercise("adder")
    ws.exercise_path(ex).write_text(
        spawner(pids, "new-session") + "def add(a, b):\n    spawn()\n"
        "    while True:\n        pass\n", encoding="utf-8")
    cancel = threading.Event()
    done: list[GradeResult] = []
    worker = threading.Thread(target=lambda: done.append(ws.check(ex, cancel=cancel).result))
    worker.start()
    deadline = time.monotonic() + 60
    while not pids_in(pids):
        assert time.monotonic() < deadline and worker.is_alive(), "the spawn never happened"
        time.sleep(0.02)
    cancel.set()
    worker.join(timeout=30)
    assert not worker.is_alive(), "a cancelled grading must end promptly"
    assert done and done[0].status == "error" and "Cancelled" in done[0].message
    assert not [pid for pid in pids_in(pids) if alive(pid)]


@pytest.mark.parametrize("command", [["check", "adder"], ["watch", "adder"]])
def test_ctrl_c_on_the_cli_kills_the_grading_and_its_descendants(mini_workspace, tmp_path,
                                                                 command):
    pids = tmp_path / "pids"
    ws = mini_workspace
    ws.exercise_path(ws.course.exercise("adder")).write_text(
        spawner(pids, "new-session") + "def add(a, b):\n    spawn()\n"
        "    while True:\n        pass\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "AISEC"))}
    proc = subprocess.Popen([sys.executable, "-m", "tutor", *command], cwd=ws.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not pids_in(pids):
            assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        grading = _grader_children(proc.pid)
        assert grading, "the grader's child should be running"
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err
    survivors = [pid for pid in pids_in(pids) + grading if alive(pid)]
    assert not survivors, f"still running after ctrl+c: {survivors}"


def _grader_children(parent: int) -> list[int]:
    from tutor.grader.child import descendants

    return descendants(parent)


def test_quitting_the_tui_mid_run_kills_the_grading(mini_workspace, tmp_path):
    import asyncio

    from tests.pilot import wait_until
    from tutor.tui.app import AisecApp

    pids = tmp_path / "pids"
    ws = mini_workspace
    ws.exercise_path(ws.course.exercise("adder")).write_text(
        spawner(pids, "new-session") + "def add(a, b):\n    spawn()\n"
        "    while True:\n        pass\n", encoding="utf-8")
    graders: list[int] = []

    async def scenario() -> None:
        app = AisecApp(ws.course, ws, poll_interval=0.05)
        async with app.run_test(size=(100, 40)) as pilot:
            app.open_exercise("adder")
            await wait_until(pilot, lambda: bool(pids_in(pids)), timeout=60)
            graders.extend(_grader_children(os.getpid()))
            await pilot.press("ctrl+q")

    started = time.monotonic()
    asyncio.run(scenario())
    assert time.monotonic() - started < 60
    assert graders, "a grading was running when the app quit"
    survivors = [pid for pid in pids_in(pids) + graders if alive(pid)]
    assert not survivors, f"still running after quitting: {survivors}"


def test_a_thread_left_running_after_every_check_passed_is_a_pass(mini_workspace):
    source = ("import threading, time\n"
              "def add(a, b):\n"
              "    threading.Thread(target=time.sleep, args=(300,), name='poller').start()\n"
              "    return a + b\n")
    result, took = grade_file(mini_workspace, source)
    assert result.status == "passed", result.message
    assert "thread" in result.message and "poller" in result.message
    assert took < TIMEOUT + MARGIN


def test_the_clock_starts_when_the_checks_begin(mini_course, tmp_path):
    """A slow start-up (busy machine, slow import of the check file) is not a timeout."""
    checks = _course_with_slow_check_file(mini_course.root, import_seconds=3)
    learner = tmp_path / "adder.py"
    learner.write_text("def add(a, b):\n    return a - b\n")
    result = grade(checks, "adder", learner, "adder.py", timeout=1)
    assert result.status == "failed", result.message


def test_a_start_up_that_never_ends_is_an_error_not_the_learners_timeout(mini_course, tmp_path):
    checks = _course_with_slow_check_file(mini_course.root, import_seconds=30)
    learner = tmp_path / "adder.py"
    learner.write_text("def add(a, b):\n    return a + b\n")
    result = grade(checks, "adder", learner, "adder.py", timeout=10, startup_timeout=2)
    assert result.status == "error"
    assert "could not even start" in result.message
    assert "before any of your code ran" in result.message


def _course_with_slow_check_file(root: Path, import_seconds: float) -> Path:
    checks = root / "tests" / "checks"
    path = checks / "test_adder.py"
    path.write_text(f"import time\ntime.sleep({import_seconds})\n" + path.read_text())
    return checks
