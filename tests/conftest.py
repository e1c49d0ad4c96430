"""Shared fixtures for the engine's own tests.

Every test gets its own temporary workspace; nothing touches the network or a
real model. CLI tests run `python -m tutor` in a subprocess, as a learner would.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.course.model import Course
from tutor.learner.workspace import Workspace

TESTS = Path(__file__).resolve().parent
MINI_COURSE = TESTS / "fixtures" / "mini_course"

# The fixture course's own check files are run by the grader, not collected here.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(autouse=True)
def _unfreeze_after_each_test() -> Iterator[None]:
    """The app freezes what exists at its first frame (it is one per process in real
    use); in this process that would also keep every earlier test's garbage for good."""
    yield
    gc.unfreeze()


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A private, editable copy of the tiny fixture course."""
    root = tmp_path / "course"
    shutil.copytree(MINI_COURSE, root)
    return root


@pytest.fixture
def mini_course(course_dir: Path) -> Course:
    return load_course(course_dir)


@pytest.fixture
def mini_workspace(tmp_path: Path, mini_course: Course) -> Workspace:
    return Workspace.create(tmp_path / "ws", mini_course, custom_course=True)


@pytest.fixture(scope="session")
def real_course() -> Course:
    return load_course(default_course_dir())


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_aisec(*args: str | Path, cwd: Path, timeout: float = 120) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "AISEC"))}
    env["NO_COLOR"] = "1"
    proc = subprocess.run(
        [sys.executable, "-m", "tutor", *map(str, args)], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def aisec():
    return run_aisec


@pytest.fixture(params=["cold", "warm"], scope="module")
def grader_path(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a module's grading tests on both paths: a cold child, and a warm grader's fork.

    With "warm", the module's gradings in this process must really go through the
    fork server: the fixture fails if some ran and none forked (a silent fallback to
    cold would test nothing). Tests that grade in a subprocess are not counted.
    """
    from tutor.grader import runner, warm

    warm.POOL.close()
    before = warm.POOL.forked
    gradings: list[object] = []
    original = runner.run_child

    def counted(*args: Any, **kwargs: Any) -> Any:
        gradings.append(args)
        return original(*args, **kwargs)

    patch = pytest.MonkeyPatch()
    patch.setattr(runner, "run_child", counted)
    if request.param == "warm":
        if not warm.available():
            pytest.skip("no fork here: the cold path is the only one")
        warm.POOL.keep_warm(1, None, patient=True)
    yield request.param
    patch.undo()
    forked = warm.POOL.forked - before
    warm.POOL.close()
    if request.param == "warm" and gradings:
        assert forked > 0, "no grading went through the warm grader"
