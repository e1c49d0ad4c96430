"""The grading child process, from the parent's side: start it, watch it, stop it.

The child (:mod:`tutor.grader.child`) runs in a new session with a private
working directory, a scrubbed environment, stdin closed and capped output.
Nothing survives a grading: however it ends (pass, fail, timeout, cancel,
ctrl+c, the TUI quitting), the child's supervisor kills every process the
learner's code started, including ones that left the process group (Linux;
elsewhere the process group), and the parent never waits on a pipe that a
survivor holds.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol, cast

from tutor.grader.child import CAPPED_NOTE
from tutor.grader.events import Event, Stop
from tutor.grader.stream import EventStream

OUTPUT_CAP = 64 * 1024  # characters the child forwards from print()
PIPE_CAP = 2 * OUTPUT_CAP  # bytes the parent keeps from the child's stdout/stderr
POLL_S = 0.02
STOP_GRACE = 5.0  # how long the supervisor gets to sweep before the group is killed
FINISH_GRACE = 2.0  # how long a child that reported "finished" gets to exit

class Child(Protocol):
    """A running grading child: a cold one's Popen, or a fork of the warm grader."""

    pid: int  # also its process group: the child starts a session of its own
    returncode: int | None
    stdout: IO[bytes] | None

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...  # raises TimeoutExpired

    def kill(self) -> None: ...


Starter = Callable[[dict[str, Any], Path], "Child | None"]

# Graders running now, so that quitting (the TUI, ctrl+c) can stop them all.
_running: set[Child] = set()
_running_lock = threading.Lock()

# Environment variables the child may see: enough to run Python, nothing that
# changes how Python or pytest start up, no credentials.
ENV_ALLOW = (
    "PATH", "HOME", "USERPROFILE", "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC",
    "PATHEXT", "TEMP", "TMP", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
    "OLLAMA_HOST",  # where optional live checks find the learner's own model (not a secret)
)

_BOOTSTRAP = (
    "import sys; sys.path.append({root!r}); "
    "from tutor.grader.child import main; sys.exit(main(sys.argv))"
)
PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ENV_ALLOW}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # no third-party plugins in grading
    env["NO_COLOR"] = "1"
    return env


@dataclass(frozen=True)
class Limits:
    timeout: float  # counts from when the checks begin
    startup_timeout: float  # Python + pytest + the check file, before any learner code
    memory_mb: int


@dataclass(frozen=True)
class ChildRun:
    """What the parent learnt from one child: its events, how it ended, what it printed."""

    events: list[dict[str, Any]]
    returncode: int | None
    stopped: Stop | None
    output: str
    output_capped: bool = False  # it printed more than OUTPUT_CAP characters


class _CappedReader(threading.Thread):
    """Drains a pipe so the child never blocks, keeping only the first bytes."""

    def __init__(self, stream: io.BufferedReader, cap: int) -> None:
        super().__init__(daemon=True)
        self._stream = stream
        self._cap = cap
        self.kept = bytearray()
        self.dropped = 0

    def run(self) -> None:
        try:
            while chunk := self._stream.read1(65536):
                room = self._cap - len(self.kept)
                self.kept += chunk[:room] if room > 0 else b""
                self.dropped += max(0, len(chunk) - max(room, 0))
        except (OSError, ValueError):
            pass

    def text(self) -> str:
        text = self.kept.decode("utf-8", "replace")
        if self.dropped:
            text += f"\n[... {self.dropped} more bytes of output not shown]\n"
        return text

    def capped(self) -> bool:
        return self.dropped > 0 or CAPPED_NOTE in self.kept


def _kill_group(proc: Child) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


def _stop(proc: Child, supervised: bool) -> None:
    """End a grading now: the supervisor sweeps every descendant, then the group goes."""
    if supervised and proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(proc.pid, signal.SIGTERM)  # "sweep and leave" (tutor.grader.child)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=STOP_GRACE)
    _kill_group(proc)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def stop_all() -> None:
    """Stop every grading in progress (the TUI calls this when it quits)."""
    with _running_lock:
        running = list(_running)
    for proc in running:
        _stop(proc, supervised=True)


class _Clock:
    """When to stop a child: start-up has its own limit, the checks have the exercise's."""

    def __init__(self, limits: Limits) -> None:
        self.timeout = limits.timeout
        self.deadline = time.monotonic() + limits.startup_timeout
        self.checks_began = False
        self.finished_at: float | None = None

    def stop_now(self, events: EventStream, cancel: threading.Event | None,
                 now: float) -> tuple[bool, Stop | None]:
        """Whether to stop the child now, and why (None: it finished; the results stand)."""
        if not self.checks_began and events.seen(Event.COLLECTED):
            self.checks_began, self.deadline = True, now + self.timeout  # the learner's clock
        if self.finished_at is None and events.seen(Event.FINISHED):
            self.finished_at = now
        if self.finished_at is not None:  # done, but lingering: stop it after a grace
            return now - self.finished_at > FINISH_GRACE, None
        if cancel is not None and cancel.is_set():
            return True, Stop.CANCELLED
        if now >= self.deadline:
            return True, Stop.TIMEOUT if self.checks_began else Stop.STARTUP
        return False, None


def _wait(proc: Child, events: EventStream, clock: _Clock,
          cancel: threading.Event | None, supervised: Callable[[], bool]) -> Stop | None:
    """Wait for the child, reading its events. Returns why it was stopped, if it was."""
    while True:
        try:
            proc.wait(timeout=POLL_S)
            return None
        except subprocess.TimeoutExpired:
            pass
        events.poll()
        stop, reason = clock.stop_now(events, cancel, time.monotonic())
        if stop:
            _stop(proc, supervised())
            return reason


def _spawn_cold(config: dict[str, Any], workdir: Path) -> subprocess.Popen[bytes]:
    """Start a fresh Python for the child, in a process group of its own."""
    command = [sys.executable, "-I", "-B", "-c",
               _BOOTSTRAP.format(root=PACKAGE_PARENT), json.dumps(config)]
    group: dict[str, Any]
    if sys.platform == "win32":
        group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    else:
        group = {"start_new_session": True}
    return subprocess.Popen(command, cwd=workdir, env=child_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **group)


def _read_status(path: Path) -> dict[str, Any]:
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return status if isinstance(status, dict) else {}


def run_child(check_file: Path, target: Path, display: str, workdir: Path, limits: Limits,
              cancel: threading.Event | None = None, start: Starter | None = None,
              extra: dict[str, Any] | None = None) -> ChildRun:
    """Run ``check_file`` against ``target`` in a child process inside ``workdir``.

    ``start`` forks the child from a warm grader (:mod:`tutor.grader.warm`); when
    it is None or cannot, a cold child is started. Either way the child is
    watched, limited and stopped the same way here. ``extra`` joins the child's
    configuration (a lab's settings).
    """
    ini = workdir / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    # pytest lists every file in the folder of the file it collects: a private copy,
    # alone in its folder, spares each grading the rest of the course's check files.
    private_check = workdir / check_file.name
    shutil.copyfile(check_file, private_check)
    results = workdir / "results.jsonl"
    status_file = workdir / "status.json"
    config = {
        "check_file": str(private_check), "target": str(target.resolve()),
        "display": display, "results": str(results), "ini": str(ini),
        "rootdir": str(workdir), "memory_mb": limits.memory_mb, "status": str(status_file),
        "cpu_seconds": int(limits.timeout + limits.startup_timeout) + 2,
        "output_cap": OUTPUT_CAP, "workdir": str(workdir), **(extra or {}),
    }
    events = EventStream(results)
    proc = (start(config, workdir) if start is not None else None) or _spawn_cold(config, workdir)
    with _running_lock:
        _running.add(proc)
    stdout = cast(io.BufferedReader, proc.stdout)  # a pipe, buffered: Popen's default
    reader = _CappedReader(stdout, PIPE_CAP)
    reader.start()
    supervised = Path(str(status_file) + ".supervised")
    stopped: Stop | None = Stop.INTERRUPTED
    try:
        stopped = _wait(proc, events, _Clock(limits), cancel, supervised.exists)
    finally:  # ctrl+c or any error here: nothing may keep running
        _stop(proc, supervised.exists())
        with _running_lock:
            _running.discard(proc)
    # Every writer of the pipe is gone now, except on a platform without a
    # supervisor; never block on a pipe that a survivor holds.
    reader.join(timeout=2)
    if not reader.is_alive():
        stdout.close()
    events.poll()
    returncode = _read_status(status_file).get("returncode", proc.returncode)
    return ChildRun(events.events,
                    returncode if isinstance(returncode, int) else proc.returncode,
                    stopped, reader.text(), reader.capped())
