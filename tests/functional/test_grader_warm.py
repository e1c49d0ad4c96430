"""The warm grader's own promises, beyond the per-child ones that the adversarial and
survivor tests check on both paths: forks never share state, a broken or refusing
fork server means a cold grading with the same verdict, and nothing outlives the
process that started it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import pytest

from tutor.grader import preload, warm
from tutor.learner.workspace import Workspace

pytestmark = pytest.mark.skipif(not warm.available() or not sys.platform.startswith("linux"),
                                reason="the warm grader needs fork (and /proc to watch it)")

GOOD = "def add(a, b):\n    return a + b\n"


@pytest.fixture
def pool() -> Iterator[warm.Pool]:
    warm.POOL.close()
    warm.POOL.keep_warm(1, None, patient=True)
    yield warm.POOL
    warm.POOL.close()


def grade(ws: Workspace, source: str) -> str:
    ex = ws.course.exercise("adder")
    ws.exercise_path(ex).write_text(source, encoding="utf-8")
    return ws.check(ex).result.status


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def wait_until(condition, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def test_a_grading_cannot_change_what_the_next_one_sees(mini_workspace, pool):
    """Each grading is a fresh fork: a learner's changes to modules, the environment
    or the working folder die with it (if the server itself ran learner code or
    pytest, the second grading would fail)."""
    sabotage = textwrap.dedent("""\
        import json, os, sys
        import tutor.grader.plugin as plugin
        os.environ["AISEC_LEAK"] = "1"
        json.dumps = lambda *a, **k: "sabotaged"
        sys.modules["planted"] = sys
        plugin.ChecksPlugin.emit = lambda self, *a, **k: None
        open("planted.txt", "w").close()
        def add(a, b):
            return a + b
        """)
    probe = textwrap.dedent("""\
        import json, os, sys
        assert "AISEC_LEAK" not in os.environ
        assert json.dumps([1]) == "[1]"
        assert "planted" not in sys.modules
        assert not os.path.exists("planted.txt")
        def add(a, b):
            return a + b
        """)
    start = pool.forked
    assert grade(mini_workspace, sabotage) != "passed"  # it silenced the results channel
    assert grade(mini_workspace, probe) == "passed"
    assert grade(mini_workspace, GOOD) == "passed"
    assert pool.forked - start == 3


def test_a_dead_fork_server_means_a_cold_grading_and_a_new_server(mini_workspace, pool):
    start = pool.forked
    assert grade(mini_workspace, GOOD) == "passed"
    (server,) = pool._all
    os.killpg(server._proc.pid, signal.SIGKILL)
    server._proc.wait()
    assert grade(mini_workspace, GOOD) == "passed"  # graded cold
    assert grade(mini_workspace, "def add(a, b):\n    return a - b\n") == "failed"
    assert server not in pool._all and len(pool._all) == 1
    assert pool.forked - start == 2  # the first grading, and the last one by the new server


def test_without_a_fork_server_every_grading_is_cold(mini_workspace, monkeypatch):
    monkeypatch.setenv("AISEC_GRADER", "cold")
    warm.POOL.close()
    before = warm.POOL.forked
    warm.keep_warm(2, None)
    assert grade(mini_workspace, GOOD) == "passed"
    assert warm.POOL.forked == before


SERVER_WITH_A_THREAD = """
import socket, sys, threading, time
from tutor.grader import forkserver
threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
forkserver.serve(forkserver._Channel(socket.socket(fileno=int(sys.argv[1]))))
"""


def test_a_fork_server_with_a_thread_refuses_to_fork():
    """Forking a threaded process can copy a lock held by another thread: refuse."""
    ours, theirs = socket.socketpair()
    with theirs:
        proc = subprocess.Popen([sys.executable, "-c", SERVER_WITH_A_THREAD,
                                 str(theirs.fileno())], pass_fds=[theirs.fileno()])
    try:
        lines = ours.makefile("rb")
        assert json.loads(lines.readline())["ready"]
        read_end, write_end = os.pipe()
        request = json.dumps({"workdir": "/", "check_file": "x"}).encode() + b"\n"
        socket.send_fds(ours, [request], [write_end])
        os.close(write_end)
        assert "thread" in json.loads(lines.readline())["error"]
        os.close(read_end)
        lines.close()
    finally:
        ours.close()  # the server sees its socket close and leaves
        proc.wait(timeout=30)


KEEPER = """
import sys
from pathlib import Path
from tutor.grader import runner
from tutor.learner.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]), None)
runner.keep_warm(1, None)
ws.check(ws.course.exercise("adder"))
"""


def test_nothing_outlives_a_parent_that_is_killed(mini_workspace, tmp_path):
    """SIGKILL leaves the parent no time to clean up: the fork server notices its
    socket close and has the grading swept, with what the learner started."""
    pids = tmp_path / "pids"
    source = textwrap.dedent(f"""\
        import os, subprocess, sys
        def add(a, b):
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"],
                                     start_new_session=True)
            with open({str(pids)!r}, "a") as f:
                f.write(f"{{os.getpid()}} {{child.pid}}\\n")
            while True:
                pass
        """)
    mini_workspace.exercise_path(mini_workspace.course.exercise("adder")).write_text(source)
    parent = subprocess.Popen([sys.executable, "-c", KEEPER, str(mini_workspace.root)])
    try:
        wait_until(lambda: parent.poll() is None and pids.exists()
                   and pids.read_text().endswith("\n"))
        from tutor.grader.child import descendants

        tree = descendants(parent.pid)
        learner = [int(p) for p in pids.read_text().split()]
        assert set(learner) <= set(tree)  # the grading's, however they left the group
        parent.kill()
        parent.wait()
        wait_until(lambda: not any(alive(pid) for pid in tree + learner))
    finally:
        if parent.poll() is None:
            parent.kill()


def test_the_course_checks_import_the_mcp_sdk_ahead_only_for_its_lab():
    """The MCP SDK (the mcp_pinning lab's checks import it) costs 0.4-1.3 s and 30 MB on
    import: in every fork server that would be every learner's cost for one lab, so it
    is imported only when a server is first asked to grade that lab."""
    from tutor.course.layout import CoursePaths, default_course_dir

    checks = CoursePaths(default_course_dir()).checks
    names = preload.preload_names(checks)
    assert not {"mcp", "mcp_types", "anyio"} & set(names), names
    assert all(n in sys.stdlib_module_names or n in preload.THIRD_PARTY
               or n.startswith("tutor.") for n in names), names
    wanting = {f.name for f in checks.glob("test_*.py") if preload.on_demand_names(f)}
    assert wanting == {"test_mcp_pinning.py"}
    assert preload.on_demand_names(checks / "test_mcp_pinning.py") == ["mcp"]


ON_DEMAND_CHECK = """

def test_came_with_the_fork(exercise):
    \"\"\"The fork server imported what this check file asks for, and only that\"\"\"
    import sys
    assert "wave" in sys.modules and "tabnanny" not in sys.modules
    import tabnanny, wave  # what makes the parent ask for them
"""


def test_a_heavy_package_is_imported_by_the_server_when_a_check_file_first_needs_it(
        mini_workspace, monkeypatch):
    monkeypatch.setattr(preload, "ON_DEMAND", frozenset({"wave"}))  # tabnanny: not allowed
    check_file = mini_workspace.course.paths.checks / "test_adder.py"
    with check_file.open("a", encoding="utf-8") as handle:
        handle.write(ON_DEMAND_CHECK)
    warm.POOL.close()
    warm.POOL.keep_warm(1, None, patient=True)
    try:
        start = warm.POOL.forked
        assert grade(mini_workspace, GOOD) == "passed"
        assert grade(mini_workspace, GOOD) == "passed"  # the server kept it
        assert warm.POOL.forked - start == 2
    finally:
        warm.POOL.close()


def test_a_closed_pool_forgets_what_its_servers_imported_ahead(tmp_path):
    """The next keep_warm may be for other checks (another course, a test's own)."""
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "test_a.py").write_text("import tabnanny\n")
    warm.POOL.close()
    warm.POOL.keep_warm(1, checks)
    assert warm.POOL._preload == ["tabnanny"]
    warm.POOL.close()
    warm.POOL.keep_warm(1, None)
    assert warm.POOL._preload == []
    warm.POOL.close()


class _Sent:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    def send(self, message: dict) -> None:
        self.messages.append(message)


def test_a_fork_server_imports_on_request_only_what_it_was_allowed_at_start():
    from tutor.grader.forkserver import import_on_demand

    channel, tried = _Sent(), set()
    import_on_demand(["sunau_missing_module", "json", 7, "wave"],
                     frozenset({"wave", "sunau_missing_module"}), tried, channel)  # type: ignore[arg-type]
    assert channel.messages == [{"importing": ["sunau_missing_module", "wave"]}]
    assert "wave" in sys.modules
    import_on_demand(["wave", "sunau_missing_module"], frozenset({"wave"}), tried, channel)  # type: ignore[arg-type]
    import_on_demand("wave", frozenset({"wave"}), set(), channel)  # type: ignore[arg-type]
    assert len(channel.messages) == 1  # once each, and only from a list


def test_check_all_grades_in_parallel_and_reports_in_course_order(ws, course_dir, aisec):
    import shutil

    shutil.copy(course_dir / "solutions/adder.py", ws / "exercises/demo/adder.py")
    out = aisec("check", "--all", cwd=ws).out.splitlines()
    rows = [line.split()[1] for line in out if line.startswith(("✓", "✗"))]
    assert rows == ["adder", "greeter"]
    assert "\033" not in "\n".join(out)  # no progress bar on a pipe
    graded = json.loads(aisec("check", "--all", "--json", cwd=ws).out)
    assert [e["exercise"] for e in graded["exercises"]] == ["adder", "greeter"]


def test_a_pool_that_is_closed_while_a_grading_waits_lets_it_grade_cold(mini_workspace, pool):
    grader = pool._take()
    assert grader is not None
    pool.close()
    assert pool._take() is None  # nothing kept: cold
    pool._give_back(grader)
    assert grade(mini_workspace, GOOD) == "passed"


def test_the_app_keeps_one_warm_grader_while_it_runs_and_stops_it_at_quit(mini_workspace):
    from tests.pilot import adder_path, run
    from tests.pilot import wait_until as app_wait_until
    from tutor.tui.app import AisecApp
    from tutor.tui.screens.exercise import ExerciseScreen

    warm.POOL.close()
    ws = mini_workspace
    servers: list[warm.WarmGrader] = []

    async def scenario() -> None:
        app = AisecApp(ws.course, ws)
        async with app.run_test(size=(100, 40)) as pilot:
            await app_wait_until(pilot, lambda: len(warm.POOL._all) == 1
                                 and warm.POOL._all[0].ready_now(), timeout=60)
            servers.extend(warm.POOL._all)
            start = warm.POOL.forked
            app.open_exercise("adder")
            await app_wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen)
                                 and app.screen.last_result is not None, timeout=60)
            screen = app.screen
            first = screen.last_result
            adder_path(ws).write_text(GOOD)
            await app_wait_until(pilot, lambda: screen.last_result is not first, timeout=60)
            assert screen.last_result.passed
            assert warm.POOL.forked > start
            assert warm.POOL._all == servers  # the same server all along

    run(scenario)
    assert warm.POOL._all == []
    wait_until(lambda: servers[0]._proc.poll() is not None)


def test_until_its_server_is_ready_a_grading_goes_cold_unless_asked_to_wait(
        mini_workspace, monkeypatch):
    """`aisec watch` grades at once (cold) while the server imports; check --all waits."""
    warm.POOL.close()
    monkeypatch.setattr(warm.WarmGrader, "ready_now", lambda self: False)
    warm.keep_warm(1, None)
    start = warm.POOL.forked
    assert grade(mini_workspace, GOOD) == "passed"
    assert warm.POOL.forked == start  # graded cold, not held up by the imports
    warm.keep_warm(1, None, patient=True)
    assert grade(mini_workspace, GOOD) == "passed"
    assert warm.POOL.forked == start + 1
    warm.POOL.close()


def test_stopping_a_warm_grading_from_another_thread_never_hangs(mini_workspace, pool):
    """Quitting the app stops a grading from the main thread while its own thread waits
    on the same server: both read its socket, and neither may wait forever."""
    import threading

    from tutor.grader import process, runner

    ex = mini_workspace.course.exercise("adder")
    mini_workspace.exercise_path(ex).write_text("def add(a, b):\n    while True:\n        pass\n")
    results: list[str] = []
    grading = threading.Thread(
        target=lambda: results.append(mini_workspace.grade(ex).result.status))
    grading.start()
    wait_until(lambda: any(isinstance(c, warm.ForkedChild) for c in list(process._running)))
    for _ in range(20):  # many readers at once, as a busy quit would have
        process.stop_all()
    grading.join(timeout=60)
    assert not grading.is_alive(), "the grading thread hangs"
    assert results and results[0] != "passed"
    runner.stop_all()
    assert warm.POOL._all == []


def test_many_threads_polling_a_warm_grading_all_see_it_end(mini_workspace, pool):
    """Every reader of a grading's end gets it: none is left waiting on a message
    that another thread already took."""
    import threading

    from tutor.grader import process

    done = threading.Event()
    stuck: list[threading.Thread] = []

    def poll_everything() -> None:
        while not done.is_set():
            for child in list(process._running):
                child.poll()

    verdicts: list[str] = []
    gradings = threading.Thread(  # a thread, so that a hang fails the test instead
        target=lambda: verdicts.extend(grade(mini_workspace, GOOD) for _ in range(8)),
        daemon=True)
    pollers = [threading.Thread(target=poll_everything, daemon=True) for _ in range(6)]
    for thread in (*pollers, gradings):
        thread.start()
    gradings.join(timeout=120)
    done.set()
    for thread in (gradings, *pollers):
        thread.join(timeout=10)
        if thread.is_alive():
            stuck.append(thread)
    assert not stuck, f"{len(stuck)} thread(s) wait forever on the fork server's socket"
    assert verdicts == ["passed"] * 8
