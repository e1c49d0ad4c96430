"""Learner code that tries (on purpose or not) to end, skip, hang or fool the grader.

Every case must produce a clear failed/error/timeout verdict with a message that
says what happened — never a pass, never an engine traceback — within the
exercise's timeout plus a few seconds.
"""

from __future__ import annotations

import time

import pytest

from tutor.errors import Remedy
from tutor.grader.result import GradeResult
from tutor.learner.workspace import Workspace

pytestmark = pytest.mark.usefixtures("grader_path")  # on the cold and the warm path

TIMEOUT = 4  # the fixture exercise's timeout, seconds
SLACK = 5


def grade_source(ws: Workspace, source: str | bytes) -> GradeResult:
    ex = ws.course.exercise("adder")
    path = ws.exercise_path(ex)
    if isinstance(source, bytes):
        path.write_bytes(source)
    else:
        path.write_text(source, encoding="utf-8")
    started = time.monotonic()
    result = ws.check(ex).result
    assert time.monotonic() - started < TIMEOUT + SLACK
    assert not result.passed
    assert "Traceback (most recent call last)" not in result.message
    assert all("Traceback (most recent call last)" not in c.message for c in result.checks)
    assert len(result.checks) == 3, "every expected check is listed, run or not"
    return result


GOOD = "def add(a, b):\n    return a + b\n"


def test_the_reference_behaviour_passes(mini_workspace):
    ws = mini_workspace
    ex = ws.course.exercise("adder")
    ws.exercise_path(ex).write_text(GOOD)
    result = ws.check(ex).result
    assert result.passed and result.counts() == (3, 3)


@pytest.mark.parametrize("source, words", [
    ("import sys\nsys.exit(0)\n" + GOOD, "sys.exit"),
    ("raise SystemExit(0)\n" + GOOD, "sys.exit"),
    ("raise KeyboardInterrupt\n" + GOOD, "KeyboardInterrupt"),
    ("import pytest\npytest.skip('nope', allow_module_level=True)\n" + GOOD, "skip"),
    ("import pytest\npytest.exit('bye')\n" + GOOD, "skip or stop pytest"),
    ("def add(a, b)\n    return a + b\n", "SyntaxError"),
    ("def add(a, b):\nreturn a + b\n", "IndentationError"),
    ("1 / 0\n" + GOOD, "ZeroDivisionError"),
])
def test_problems_while_importing_are_named_with_a_line(mini_workspace, source, words):
    result = grade_source(mini_workspace, source)
    assert result.status == "error"
    assert words in result.message
    assert "exercises/demo/adder.py:" in result.message, "the message names file and line"
    assert all(c.outcome == "error" for c in result.checks)


def test_bad_encoding_says_save_as_utf8(mini_workspace):
    result = grade_source(mini_workspace, b"NAME = 'caf\xe9'\n" + GOOD.encode())
    assert result.status == "error" and "UTF-8" in result.message


def test_os_exit_while_importing_is_an_error_not_a_pass(mini_workspace):
    result = grade_source(mini_workspace, "import os\nos._exit(0)\n")
    assert result.status == "error"
    assert "imported" in result.message and "os._exit" in result.message


def test_os_exit_inside_a_check_names_the_check(mini_workspace):
    result = grade_source(mini_workspace, "import os\ndef add(a, b):\n    os._exit(0)\n")
    assert result.status == "error"
    assert "Adds small numbers" in result.message


@pytest.mark.parametrize("body, words", [
    ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    ("raise SystemExit(3)", "sys.exit(3)"),
    ("import pytest; pytest.exit('x')", "pytest.exit"),
    ("raise NotImplementedError('TODO')", "Not implemented yet"),
    ("return add(a, b)", "recursed without end"),
    ("return input()", "checks run without a keyboard"),
])
def test_problems_inside_a_check_fail_that_check(mini_workspace, body, words):
    result = grade_source(mini_workspace, f"def add(a, b):\n    {body}\n")
    assert result.status == "failed"
    assert all(c.outcome == "failed" for c in result.checks)
    assert words in result.checks[0].message


def test_exception_message_points_at_the_learners_line(mini_workspace):
    result = grade_source(mini_workspace, "def add(a, b):\n    x = None\n    return x + b\n")
    assert "TypeError" in result.checks[0].message
    assert "exercises/demo/adder.py:3 in add()" in result.checks[0].message


def test_an_exception_names_the_call_the_check_was_trying(mini_workspace):
    source = ("def add(a, b):\n"
              "    if a < 0:\n"
              "        raise ValueError('negative numbers are not supported')\n"
              "    return a + b\n")
    result = grade_source(mini_workspace, source)
    negative = next(c for c in result.checks if c.id == "test_adds_negative_numbers")
    assert negative.message == (
        "add(-2, -3) raised ValueError at exercises/demo/adder.py:3 in add(): "
        "negative numbers are not supported")
    assert result.checks[0].outcome == "passed", "a call that returns is not touched"


def test_an_assert_in_the_learners_code_is_named_as_theirs(mini_workspace):
    result = grade_source(mini_workspace, "def add(a, b):\n    assert a > 0, 'a must be positive'\n"
                                          "    return a + b\n")
    negative = next(c for c in result.checks if c.id == "test_adds_negative_numbers")
    assert negative.message.startswith("add(-2, -3) raised AssertionError at "
                                       "exercises/demo/adder.py:2 in add()")


def test_input_at_import_says_checks_have_no_keyboard(mini_workspace):
    result = grade_source(mini_workspace, "name = input('Your name? ')\n" + GOOD)
    assert result.status == "error"
    assert "input() was called, but checks run without a keyboard" in result.message
    assert "take the value as a function argument instead" in result.message
    assert "exercises/demo/adder.py:1" in result.message


def test_a_skip_inside_a_check_never_counts_as_passed(mini_workspace):
    result = grade_source(mini_workspace, "import pytest\ndef add(a, b):\n    pytest.skip('x')\n")
    assert result.status == "failed"
    assert result.checks[0].outcome == "skipped"
    assert "only when every check runs and passes" in result.checks[0].message


def test_an_endless_loop_times_out_and_names_the_check(mini_workspace):
    result = grade_source(mini_workspace, "def add(a, b):\n    while True:\n        pass\n")
    assert result.status == "timeout"
    assert f"within {TIMEOUT} s" in result.message and "Adds small numbers" in result.message


def test_an_endless_loop_at_import_times_out(mini_workspace):
    result = grade_source(mini_workspace, "while True:\n    pass\n")
    assert result.status == "timeout" and "being imported" in result.message


def test_a_forked_grandchild_is_killed_with_the_group(mini_workspace, tmp_path):
    pid_file = tmp_path / "grandchild"
    source = (
        "import os, time\n"
        "def add(a, b):\n"
        "    if os.fork() == 0:\n"
        f"        open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "        time.sleep(300)\n        os._exit(0)\n"
        "    while True:\n        time.sleep(0.1)\n"
    )
    result = grade_source(mini_workspace, source)
    assert result.status == "timeout"
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10  # on Linux it is gone already; elsewhere init reaps it
    while _alive(pid):
        assert time.monotonic() < deadline, "the whole process group must be killed"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for init to reap it is dead already
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def test_flooding_stdout_is_capped(mini_workspace):
    result = grade_source(mini_workspace,
                          "import sys\ndef add(a, b):\n    while True:\n"
                          "        sys.stdout.write('x' * 10000)\n")
    assert result.status == "timeout"
    assert len(result.output) < 200_000
    assert "not shown" in result.output


def test_flooding_the_raw_file_descriptor_is_capped(mini_workspace):
    result = grade_source(mini_workspace,
                          "import os\ndef add(a, b):\n    while True:\n"
                          "        os.write(1, b'y' * 65536)\n")
    assert result.status == "timeout"
    assert len(result.output) < 200_000


def test_memory_is_capped(mini_workspace):
    result = grade_source(mini_workspace, "def add(a, b):\n    return len('x' * (8 * 2**30))\n")
    assert result.checks[0].outcome == "failed"
    assert "memory" in result.checks[0].message.lower()


def test_printing_fake_results_does_not_pass(mini_workspace):
    fake = ('print("===== 3 passed in 0.01s =====")\n'
            'print(\'{"event": "finished", "exitstatus": 0}\')\n')
    result = grade_source(mini_workspace, fake + "def add(a, b):\n    return 0\n")
    assert result.status == "failed"
    assert "3 passed" in result.output, "learner output is shown, not believed"


@pytest.mark.parametrize("name, content", [
    ("conftest.py", "import pytest\n@pytest.fixture\ndef exercise():\n"
                    "    class M:\n        add = staticmethod(lambda a, b: a + b)\n    return M\n"),
    ("pytest.ini", "[pytest]\naddopts = -p no:tutor.grader.plugin\n"),
    ("sitecustomize.py", "import os\nos._exit(0)\n"),
    ("usercustomize.py", "import os\nos._exit(0)\n"),
])
def test_planted_config_files_are_ignored(mini_workspace, name, content):
    for folder in (mini_workspace.root, mini_workspace.root / "exercises",
                   mini_workspace.root / "exercises" / "demo"):
        (folder / name).write_text(content)
    result = grade_source(mini_workspace, "def add(a, b):\n    return a - b\n")
    assert result.status == "failed"
    assert result.counts() == (1, 3), "the real checks ran against the learner's add()"


def test_a_missing_file_says_how_to_get_it_back(mini_workspace):
    ex = mini_workspace.course.exercise("adder")
    mini_workspace.exercise_path(ex).unlink()
    result = mini_workspace.check(ex).result
    assert result.status == "error"
    assert result.message == "exercises/demo/adder.py is missing."
    assert result.remedy is Remedy.RESTORE_STARTER, "each front end words how to restore it"


def test_a_timeout_after_a_flood_of_output_names_the_prints(mini_workspace):
    source = "def add(a, b):\n    while True:\n        print('still adding', a, b)\n"
    result = grade_source(mini_workspace, source)
    assert result.status == "timeout"
    assert "printed more than 65,536 characters before the time limit" in result.message
    assert "remove or reduce the print() calls" in result.message
    assert "loop that never ends" not in result.message
