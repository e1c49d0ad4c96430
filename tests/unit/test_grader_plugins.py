"""The pytest plugins the grader switches off are ones no hidden check relies on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tutor.course.layout import default_course_dir
from tutor.grader.child import UNUSED_PYTEST_PLUGINS, OnlyTheCheckFile

# What each switched-off plugin would give a check.
FIXTURES = {"legacypath": {"tmpdir", "tmpdir_factory", "testdir"}, "logging": {"caplog"},
            "recwarn": {"recwarn"}, "junitxml": {"record_property", "record_xml_attribute",
                                                 "record_testsuite_property"}}
CHECK_FILES = sorted((default_course_dir() / "tests" / "checks").glob("test_*.py"))


@pytest.mark.parametrize("check_file", CHECK_FILES, ids=lambda p: p.stem)
def test_no_check_asks_for_a_fixture_of_a_switched_off_plugin(check_file: Path):
    tree = ast.parse(check_file.read_text(encoding="utf-8"))
    asked = {arg.arg for node in ast.walk(tree)
             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
             for arg in node.args.args}
    off = set().union(*(FIXTURES.get(name, set()) for name in UNUSED_PYTEST_PLUGINS))
    assert not asked & off, f"{check_file.name} needs {asked & off}: keep that plugin on"


def test_the_core_plugins_stay_on():
    assert not {"python", "fixtures", "runner", "main", "skipping", "monkeypatch", "tmpdir",
                "capture", "debugging", "unraisableexception", "threadexception",
                "warnings"} & set(UNUSED_PYTEST_PLUGINS)


def test_the_list_of_checks_follows_every_edit_of_the_check_file(tmp_path: Path):
    import os

    from tutor.grader.checks import list_checks

    check_file = tmp_path / "test_demo.py"
    check_file.write_text('def test_one(exercise):\n    """One."""\n')
    assert [c.id for c in list_checks(check_file)] == ["test_one"]
    stat = check_file.stat()
    check_file.write_text('def test_one(exercise):\n    """One."""\n'
                          'def test_two(exercise):\n    """Two."""\n')
    assert [c.id for c in list_checks(check_file)] == ["test_one", "test_two"]
    check_file.write_text('def test_0ne(exercise):\n    """One."""\n'
                          'def test_two(exercise):\n    """Two."""\n')
    os.utime(check_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and time
    assert [c.id for c in list_checks(check_file)] == ["test_0ne", "test_two"]


def test_a_grading_collects_its_check_file_and_no_file_beside_it(tmp_path: Path):
    checks = tmp_path / "course" / "checks"
    checks.mkdir(parents=True)
    for name in ("test_a.py", "test_b.py", "helper.py"):
        (checks / name).write_text("", encoding="utf-8")
    (tmp_path / "linked").symlink_to(checks)
    only = OnlyTheCheckFile(tmp_path / "linked" / "test_a.py")  # as an installed package may be
    for kept in (checks / "test_a.py", checks, checks.parent, tmp_path, Path("/")):
        assert only.pytest_ignore_collect(kept) is None
    for dropped in (checks / "test_b.py", checks / "helper.py", tmp_path / "elsewhere"):
        assert only.pytest_ignore_collect(dropped) is True


PREPARED_RUN = """
import json, os, sys
from pathlib import Path
import pytest
from tutor.grader import child

here = Path(sys.argv[1])
child.prepare_pytest()
prepared = child._prepared[0]
os.chdir(here)  # a fork moves to its grading's own folder after the server prepared


class Seen:
    def pytest_configure(self, config):
        (here / "seen.json").write_text(json.dumps({
            "prepared": config is prepared, "dir": str(config.invocation_params.dir),
            "args": list(config.invocation_params.args),
            "plugins": sorted(n for n in ("terminal", "doctest", "recwarn")
                              if config.pluginmanager.has_plugin(n))}))


flags = list(child.PLUGIN_FLAGS) if sys.argv[2] == "same" else ["-p", "no:terminal"]
child._start_from_prepared()
args = [str(here / "test_x.py"), "-c", str(here / "pytest.ini"), "--rootdir", str(here),
        *flags]
sys.exit(int(pytest.main(args, plugins=[Seen()])))
"""


@pytest.mark.parametrize("flags", ["same", "other"])
def test_a_fork_starts_pytest_from_the_servers_prepared_configuration_only_when_it_fits(
        tmp_path: Path, flags: str):
    """The fork server registers pytest's built-in plugins once; a grading uses that
    configuration, told its own folder and arguments, and only with the same plugins."""
    import json
    import os
    import subprocess
    import sys

    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_x.py").write_text("def test_one():\n    assert True\n")
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    done = subprocess.run([sys.executable, "-c", PREPARED_RUN, str(tmp_path), flags],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    seen = json.loads((tmp_path / "seen.json").read_text())
    assert seen["prepared"] is (flags == "same")
    assert seen["dir"] == str(tmp_path) and seen["args"][0] == str(tmp_path / "test_x.py")
    assert seen["plugins"] == ([] if flags == "same" else ["doctest", "recwarn"])


class _Made:
    """Stands in for pytest's get_config: records how it was called."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __call__(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        return "made"


@pytest.mark.parametrize("call", [
    pytest.param(lambda get, flags: get(flags, None, prog="something else"), id="another prog"),
    pytest.param(lambda get, flags: get(flags, None, prog="pytest.main()", colour=1),
                 id="an option it was not prepared with"),
    pytest.param(lambda get, flags: get(flags[:-2], None, prog="pytest.main()"),
                 id="other plugin flags"),
    pytest.param(lambda get, flags: get(tuple(flags), prog="pytest.main()"), id="not a list"),
])
def test_a_call_unlike_the_prepared_one_gets_a_configuration_of_its_own(monkeypatch, call):
    import _pytest.config as pytest_config

    from tutor.grader import child

    made = _Made()
    monkeypatch.setattr(pytest_config, "get_config", made)
    monkeypatch.setattr(child, "_prepared", ("prepared", {"prog": "pytest.main()"}))
    child._start_from_prepared()
    flags = ["file.py", *child.PLUGIN_FLAGS]
    assert call(pytest_config.get_config, flags) == "made" and len(made.calls) == 1
    assert pytest_config.get_config is made  # and only the one call is looked at


def test_pytest_versions_this_was_not_checked_against_prepare_nothing(monkeypatch):
    import pytest as pytest_module

    from tutor.grader import child

    monkeypatch.setattr(pytest_module, "version_tuple", (99, 0, 0))
    monkeypatch.setattr(child, "_prepared", ("left over", {}))
    child.prepare_pytest()
    assert child._prepared is None
