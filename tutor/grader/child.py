"""The grader's child process: a supervisor, then limits, then pytest on one check file.

Started by :mod:`tutor.grader.process` as ``python -I -B -c <bootstrap> CONFIG``
in a new session, with a private working directory, a scrubbed environment and
stdin closed. ``-I`` keeps the learner's folder (and any ``sitecustomize.py`` in
it) off ``sys.path``; ``--noconftest`` and our own ``-c`` ini keep any
``conftest.py`` or ``pytest.ini`` the learner planted from being read. The checks
plugin is handed to pytest as an object (:class:`tutor.grader.plugin.ChecksPlugin`),
so no configuration file can turn it off or point it elsewhere.

On Linux the process first becomes a **supervisor**: a child subreaper
(``PR_SET_CHILD_SUBREAPER``) that forks the process which runs the checks. Every
process the learner's code starts, even one that left the process group with
``start_new_session=True`` and was orphaned, is then a descendant of the
supervisor, which kills and reaps all of them when the checks end, when the
parent asks (SIGTERM: timeout, cancel, ctrl+c) or when the parent dies
(``PR_SET_PDEATHSIG``). The supervisor runs no learner code. Elsewhere there is
no supervisor, and the parent kills the process group.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any, TextIO, cast

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
SWEEP_SECONDS = 5.0  # a sweep that has not emptied the tree by then gives up
UNUSED_PYTEST_PLUGINS = ("junitxml", "pastebin", "setuponly", "setupplan", "legacypath", "logging",
                         "recwarn", "python_path")
# Which of pytest's built-in plugins a grading leaves out: the same for every grading.
# Built-in plugins no check uses (their fixtures and options) cost every grading a little;
# tests/unit/test_grader_plugins.py keeps this honest.
PLUGIN_FLAGS = tuple(arg for name in ("terminal", "cacheprovider", "stepwise", "doctest",
                                      *UNUSED_PYTEST_PLUGINS) for arg in ("-p", f"no:{name}"))
CAPPED_NOTE = b"\n[... output capped here; the rest is not shown]\n"  # the parent looks for it


class CappedWriter(io.TextIOBase):
    """A text stream that forwards the first ``cap`` characters and counts the rest.

    Learner code may print in a loop forever; keeping only a prefix keeps both
    memory and the parent's pipe bounded while the timeout runs out.
    """

    def __init__(self, target: Any, cap: int) -> None:
        self._target = target  # a binary stream
        self._left = cap
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._left > 0:
            kept = text[: self._left]
            self._left -= len(kept)
            self._target.write(kept.encode("utf-8", "replace"))
            self.dropped += len(text) - len(kept)
            if self.dropped:  # say so now: a timeout may kill us before the end
                self._target.write(CAPPED_NOTE)
            self._target.flush()
        else:
            self.dropped += len(text)
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return False


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the wall-clock timeout still applies
        return
    for limit, value in ((resource.RLIMIT_AS, memory_mb * 1024 * 1024),
                         (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            _soft, hard = resource.getrlimit(limit)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            pass  # some platforms (macOS for RLIMIT_AS) refuse; timeouts still hold


# --------------------------------------------------------------------------------
# The supervisor (Linux)
# --------------------------------------------------------------------------------


def _prctl(option: int, value: int) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(root: int) -> list[int]:
    """Every live process below ``root``, read from /proc (deepest last)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # gone, or not ours to read
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and fields[0] != b"Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    queue = [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _reap_all() -> None:
    """Reap every child that has ended, without waiting for the others."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def sweep(me: int) -> None:
    """Kill and reap every descendant of this subreaper, however it got here.

    A killed process's own children are reparented to us when it dies, so the
    scan repeats until it finds nothing (or gives up after SWEEP_SECONDS).
    """
    deadline = time.monotonic() + SWEEP_SECONDS
    while True:
        _reap_all()
        pids = descendants(me)
        if not pids or time.monotonic() > deadline:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.002)


class _Stop(Exception):
    """The parent asked us to stop (timeout, cancel, ctrl+c) or went away."""


_waiting = False


def _on_sigterm(signum: int, frame: Any) -> None:
    if _waiting:  # only while waiting for the checks; a sweep always runs to its end
        raise _Stop


def _supervise(child: int, status_file: str) -> int:
    """Wait for the checks, then leave nothing running; report how the checks ended."""
    global _waiting
    status: dict[str, Any] = {"stopped": True}
    try:
        _waiting = True
        _pid, raw = os.waitpid(child, 0)
        _waiting = False
        status = ({"returncode": -os.WTERMSIG(raw)} if os.WIFSIGNALED(raw)
                  else {"returncode": os.WEXITSTATUS(raw)})
    except _Stop:
        pass
    finally:
        _waiting = False
        sweep(os.getpid())
    with contextlib.suppress(OSError), open(status_file, "w", encoding="utf-8") as handle:
        json.dump(status, handle)
    return 0


def main(argv: list[str]) -> int:
    return grade_in_this_process(json.loads(argv[1]))


def grade_in_this_process(config: dict[str, Any]) -> int:
    """Supervise (Linux) and run the checks: the cold child's whole life, and a warm fork's."""
    if sys.platform.startswith("linux") and _prctl(PR_SET_CHILD_SUBREAPER, 1):
        parent = os.getppid()
        with open(config["status"] + ".supervised", "w", encoding="utf-8"):
            pass  # tells the parent that SIGTERM asks us to sweep (see process._stop)
        signal.signal(signal.SIGTERM, _on_sigterm)
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before we could ask to be told
            return 0
        child = os.fork()
        if child:
            return _supervise(child, config["status"])
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _prctl(PR_SET_PDEATHSIG, 0)
        os._exit(_run_checks(config))
    return _run_checks(config)


class OnlyTheCheckFile:
    """Collect the one check file and the folders on the way to it, nothing else.

    Given a file, pytest still walks each folder from the root down and makes a
    node for every file beside it (the checks folder holds one per exercise) only
    to drop them: about a sixth of a warm grading's time.
    """

    def __init__(self, check_file: Path) -> None:
        check_file = check_file.resolve()
        self._wanted = {check_file, *check_file.parents}

    def pytest_ignore_collect(self, collection_path: Path) -> bool | None:
        return None if collection_path.resolve() in self._wanted else True


def _run_checks(config: dict[str, Any]) -> int:
    """Run pytest on the check file; leave at once when it is done."""
    _limit_resources(config["memory_mb"], config["cpu_seconds"])
    out = CappedWriter(sys.stdout.buffer, config["output_cap"])
    sys.stdout = sys.stderr = cast(TextIO, out)

    import pytest

    from tutor.grader.plugin import ChecksPlugin

    args = [
        config["check_file"],
        "-c", config["ini"], "--rootdir", config["rootdir"],
        "--noconftest", "--import-mode=importlib", "--assert=plain", "--capture=no",
        *PLUGIN_FLAGS,
    ]
    plugin = ChecksPlugin(target=Path(config["target"]), display=config["display"],
                          results=Path(config["results"]), lab=config.get("lab"))
    _start_from_prepared()
    code = int(pytest.main(args, plugins=[plugin, OnlyTheCheckFile(Path(config["check_file"]))]))
    with contextlib.suppress(Exception):
        out.flush()
    # Leave now: Python would otherwise wait for any thread the learner's code left
    # running, and an idle thread after all checks passed is not an endless loop.
    # The plugin has already reported those threads (event "threads_left").
    os._exit(code)


_prepared: Any = None  # (pytest Config with the built-in plugins registered, its options)
KNOWN_PYTEST = (8, 9)  # the major versions whose get_config this was checked against
MAIN_PROG = "pytest.main()"  # the program name pytest.main gives get_config (pytest 9)


def prepare_pytest() -> None:
    """In the warm grader's fork server: register pytest's built-in plugins in a new
    configuration once, ahead of every fork, instead of in each grading (about a sixth
    of a warm one). Nothing of a session runs here: options, ini and the check file are
    still read in the fork. With a pytest this was not checked against, or whose
    get_config differs, gradings set pytest up themselves, as a cold one does."""
    global _prepared
    _prepared = None
    try:
        import inspect

        import pytest
        from _pytest.config import get_config

        if pytest.version_tuple[0] not in KNOWN_PYTEST:
            return
        options = ({"prog": MAIN_PROG} if "prog" in inspect.signature(get_config).parameters
                   else {})
        _prepared = (get_config(list(PLUGIN_FLAGS), **options), options)
    except Exception:
        _prepared = None


def _start_from_prepared() -> None:
    """Have this process's one ``pytest.main`` start from the prepared configuration,
    if it asks for exactly the configuration that was prepared."""
    global _prepared
    prepared, _prepared = _prepared, None
    if prepared is None:
        return
    import _pytest.config as pytest_config

    config, options = prepared
    make = pytest_config.get_config

    def get_config(*args: Any, **kwargs: Any) -> Any:
        pytest_config.get_config = make  # once
        call = {**dict(zip(("args", "plugins"), args, strict=False)), **kwargs}
        fits = (len(args) <= 2 and set(call) <= {"args", "plugins", *options}
                and all(call.get(k) == v for k, v in options.items())
                and isinstance(call.get("args"), list)
                and _plugin_flags(call["args"]) == PLUGIN_FLAGS)
        if not fits:
            return make(*args, **kwargs)
        config.invocation_params = pytest_config.Config.InvocationParams(
            args=call["args"], plugins=call.get("plugins"), dir=Path.cwd())
        return config

    pytest_config.get_config = get_config


def _plugin_flags(args: list[str]) -> tuple[str, ...]:
    """The ``-p NAME`` pairs of ``args``, which decide the plugins a configuration loads."""
    return tuple(arg for i, arg in enumerate(args)
                 if arg == "-p" or (i and args[i - 1] == "-p"))
