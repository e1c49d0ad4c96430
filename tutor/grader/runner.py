"""Run an exercise's hidden checks against a file and return a trustworthy verdict.

The checks run in a child Python process (see :mod:`tutor.grader.child`) with
capped output and memory, stdin closed, a private working directory and a
scrubbed environment. Results come back through a JSON-lines file written by the
pytest plugin, and the verdict is built against the list of checks read
statically from the check file: an exercise passes only when every expected
check ran and passed.

Time: start-up (Python, pytest, the check file) gets a generous limit of its
own, :data:`STARTUP_TIMEOUT`; the exercise's timeout starts when the checks
begin (the plugin's ``collected`` event), so a busy machine does not turn a
failing exercise into a timeout.

Nothing survives a grading. However it ends (pass, fail, timeout, cancel, ctrl+c,
the TUI quitting), the child's supervisor kills every process the learner's
code started, including ones that left the process group (Linux; elsewhere the
process group), and the parent never waits on a pipe that a survivor holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from tutor.errors import ContentError, Problem
from tutor.grader.checks import CheckInfo, list_checks
from tutor.grader.result import CheckResult, GradeResult

MEMORY_MB = 1024
OUTPUT_CAP = 64 * 1024  # characters the child forwards from print()
PIPE_CAP = 2 * OUTPUT_CAP  # bytes the parent keeps from the child's stdout/stderr
EVENTS_CAP = 4 * 1024 * 1024  # bytes of the results channel the parent reads
POLL_S = 0.02
STARTUP_TIMEOUT = 60.0  # Python + pytest + the check file, before any learner code runs
STOP_GRACE = 5.0  # how long the supervisor gets to sweep before the group is killed
FINISH_GRACE = 2.0  # how long a child that reported "finished" gets to exit

# Graders running now, so that quitting (the TUI, ctrl+c) can stop them all.
_running: set[subprocess.Popen[bytes]] = set()
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
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ENV_ALLOW}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # no third-party plugins in grading
    env["NO_COLOR"] = "1"
    return env


class _CappedReader(threading.Thread):
    """Drains a pipe so the child never blocks, keeping only the first bytes."""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        super().__init__(daemon=True)
        self._stream = stream
        self._cap = cap
        self.kept = bytearray()
        self.dropped = 0

    def run(self) -> None:
        try:
            while chunk := self._stream.read1(65536):  # type: ignore[attr-defined]
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


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


def _stop(proc: subprocess.Popen[bytes], supervised: bool) -> None:
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


class EventStream:
    """The plugin's JSON-lines channel, read as it grows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.events: list[dict[str, Any]] = []
        self._kinds: set[str] = set()  # polled every few ms: no rescan of a long list
        self._offset = 0
        self._partial = b""

    def poll(self) -> None:
        if self._offset >= EVENTS_CAP:
            return
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read(EVENTS_CAP - self._offset)
        except FileNotFoundError:
            return
        self._offset += len(data)
        *lines, self._partial = (self._partial + data).split(b"\n")
        for line in lines:  # a last line cut short by a kill stays partial: ignored
            try:
                event = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if isinstance(event, dict):
                self.events.append(event)
                self._kinds.add(str(event.get("event")))

    def seen(self, kind: str) -> bool:
        return kind in self._kinds


def _read_status(path: Path) -> dict[str, Any]:
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return status if isinstance(status, dict) else {}


def grade(
    course_checks: Path,
    exercise_id: str,
    target: Path,
    display: str,
    timeout: float,
    *,
    cancel: threading.Event | None = None,
    memory_mb: int = MEMORY_MB,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> GradeResult:
    """Grade ``target`` with ``course_checks/test_<exercise_id>.py``.

    ``display`` is how messages name the file (e.g. ``exercises/09_pii/luhn.py``).
    ``timeout`` counts from when the checks begin; start-up has ``startup_timeout``.
    Raises :class:`ContentError` only for a broken check file (a course problem).
    """
    check_file = course_checks / f"test_{exercise_id}.py"
    expected = list_checks(check_file)
    if not expected:
        raise ContentError(_no_checks(check_file))
    started = time.monotonic()
    if not target.is_file():
        return _not_run(exercise_id, expected, "error",
                        f"{display} is missing. Run 'aisec reset {exercise_id}' to get a fresh "
                        "copy of the starter file.")
    with tempfile.TemporaryDirectory(prefix="aisec-grade-") as tmp:
        workdir = Path(tmp)
        ini = workdir / "pytest.ini"
        ini.write_text("[pytest]\n", encoding="utf-8")
        results = workdir / "results.jsonl"
        status_file = workdir / "status.json"
        config = {
            "check_file": str(check_file.resolve()), "target": str(target.resolve()),
            "display": display, "results": str(results), "ini": str(ini),
            "rootdir": str(workdir), "memory_mb": memory_mb, "status": str(status_file),
            "cpu_seconds": int(timeout + startup_timeout) + 2, "output_cap": OUTPUT_CAP,
        }
        command = [sys.executable, "-I", "-B", "-c",
                   _BOOTSTRAP.format(root=_PACKAGE_PARENT), json.dumps(config)]
        extra: dict[str, Any] = (
            {"start_new_session": True} if os.name == "posix"
            else {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
        )
        events = EventStream(results)
        proc = subprocess.Popen(command, cwd=workdir, env=child_env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **extra)
        with _running_lock:
            _running.add(proc)
        assert proc.stdout is not None
        reader = _CappedReader(proc.stdout, PIPE_CAP)
        reader.start()
        supervised = Path(str(status_file) + ".supervised")
        stopped: str | None = "interrupted"
        try:
            stopped = _wait(proc, events, timeout, startup_timeout, cancel,
                            lambda: supervised.exists())
        finally:  # ctrl+c or any error here: nothing may keep running
            _stop(proc, supervised.exists())
            with _running_lock:
                _running.discard(proc)
        # Every writer of the pipe is gone now, except on a platform without a
        # supervisor; never block on a pipe that a survivor holds.
        reader.join(timeout=2)
        if not reader.is_alive():
            proc.stdout.close()
        events.poll()
        status = _read_status(status_file)
    duration = time.monotonic() - started
    returncode = status.get("returncode", proc.returncode)
    result = verdict(exercise_id, check_file, expected, events.events,
                     returncode if isinstance(returncode, int) else proc.returncode,
                     stopped, timeout)
    result.duration_s = duration
    result.output = reader.text()
    return result


def _wait(proc: subprocess.Popen[bytes], events: EventStream, timeout: float,
          startup_timeout: float, cancel: threading.Event | None,
          supervised: Callable[[], bool]) -> str | None:
    """Wait for the child, reading its events. Returns why it was stopped, if it was."""
    deadline = time.monotonic() + startup_timeout
    checks_began = finished_at = None
    while True:
        try:
            proc.wait(timeout=POLL_S)
            return None
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        events.poll()
        if checks_began is None and events.seen("collected"):
            checks_began, deadline = now, now + timeout  # the learner's clock starts here
        if finished_at is None and events.seen("finished"):
            finished_at = now
        if finished_at is not None:
            if now - finished_at > FINISH_GRACE:  # done, but lingering: the results stand
                _stop(proc, supervised())
                return None
            continue
        if cancel is not None and cancel.is_set():
            _stop(proc, supervised())
            return "cancelled"
        if now >= deadline:
            _stop(proc, supervised())
            return "timeout" if checks_began is not None else "startup"


def _no_checks(check_file: Path) -> list[Problem]:
    return [Problem(check_file, None, "no checks found",
                    "add top-level 'def test_...(exercise):' functions")]


def _not_run(exercise_id: str, expected: list[CheckInfo], status: str, message: str,
             check_message: str = "Not run.") -> GradeResult:
    checks = [CheckResult(c.id, c.title, "error", check_message, c.optional) for c in expected]
    return GradeResult(exercise=exercise_id, status=status, checks=checks,  # type: ignore[arg-type]
                       message=message)


def _combine(items: list[dict[str, Any]]) -> tuple[str, str]:
    """One outcome and message for a check from its (possibly parametrised) items."""
    for outcome in ("error", "failed", "skipped"):
        for item in items:
            if item.get("outcome") == outcome:
                message = str(item.get("message", ""))
                if outcome == "skipped":
                    message = ("This check was skipped, so it did not run; an exercise passes "
                               "only when every check runs and passes." +
                               (f" ({message})" if message else ""))
                return outcome, message
    return "passed", ""


def _crash_message(returncode: int | None, phase: str) -> str:
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        cause = {"SIGSEGV": " This usually means recursion far too deep, or a crash in a C "
                            "extension.",
                 "SIGXCPU": " It used more CPU time than allowed: look for a loop that never "
                            "ends.",
                 "SIGKILL": " It was killed, possibly for using too much memory."}.get(name, "")
        return f"Python stopped with {name} {phase}.{cause}"
    return (f"The checks stopped early {phase} (exit code {returncode}). Does your code call "
            "os._exit() or end the process some other way? Functions should return values.")


def verdict(exercise_id: str, check_file: Path, expected: list[CheckInfo],
            events: list[dict[str, Any]], returncode: int | None, stopped: str | None,
            timeout: float) -> GradeResult:
    """Build the verdict from the expected checks and the events the child wrote."""
    by_check: dict[str, list[dict[str, Any]]] = {}
    running: str | None = None
    load_error = collect_error = None
    finished = None
    importing = False
    threads_left: list[str] = []
    for event in events:
        kind = event.get("event")
        if kind == "start":
            running = str(event.get("check"))
        elif kind == "result":
            by_check.setdefault(str(event.get("check")), []).append(event)
            if event.get("when") != "setup":
                running = None
        elif kind == "load_start":
            importing = True
        elif kind in ("load_done", "load_error"):
            importing = False
            if kind == "load_error":
                load_error = str(event.get("message", ""))
        elif kind == "collect_error":
            collect_error = str(event.get("message", ""))
        elif kind == "finished":
            finished = event.get("exitstatus")
        elif kind == "threads_left" and isinstance(event.get("names"), list):
            threads_left = [str(name) for name in event["names"]][:5]

    titles = {c.id: c for c in expected}
    if collect_error is not None:
        raise ContentError(_collect_problem(check_file, collect_error))

    checks: list[CheckResult] = []
    for info in expected:
        items = by_check.get(info.id)
        if items:
            outcome, message = _combine(items)
        elif running == info.id:
            outcome, message = "error", "This check was running when the run was stopped."
        else:
            outcome, message = "error", "Not run."
        checks.append(CheckResult(info.id, info.title, outcome, message, info.optional))  # type: ignore[arg-type]
    for name, items in by_check.items():  # checks the static reading did not see
        if name not in titles:
            outcome, message = _combine(items)
            checks.append(CheckResult(name, name, outcome, message))  # type: ignore[arg-type]

    running_title = titles[running].title if running in titles else running
    phase = ("while your file was being imported" if importing
             else f"during the check '{running_title}'" if running else "")
    if stopped == "cancelled":
        return GradeResult(exercise_id, "error", checks,
                           message="Cancelled: a newer run replaced it.")
    if stopped == "interrupted":
        return GradeResult(exercise_id, "error", checks,
                           message="Interrupted: the checks were stopped before they finished.")
    if stopped == "startup":
        return GradeResult(exercise_id, "error", checks, message=(
            "The checks could not even start within the start-up limit, before any of your "
            "code ran: this machine is very busy, or the installation is broken. Close other "
            "programs and try again; 'aisec doctor' checks the setup."))
    if stopped == "timeout":
        where = f" {phase}" if phase else ""
        return GradeResult(exercise_id, "timeout", checks, message=(
            f"The checks did not finish within {timeout:g} s and were stopped{where}. Look for "
            "a loop that never ends (a 'while' whose condition never changes) or code that "
            "waits for input."))
    if load_error is not None:  # said once for the run, not once per check
        for check in checks:
            if check.message.startswith("Not run"):
                check.message = "Not run."
        return GradeResult(exercise_id, "error", checks, message=load_error)
    if finished is None:
        return GradeResult(exercise_id, "error", checks, message=_crash_message(returncode, phase))
    if finished not in (0, 1):
        return GradeResult(exercise_id, "error", checks, message=(
            f"The checks did not complete normally (pytest status {finished}); no result "
            "counts as a pass."))
    note = ""
    if threads_left:
        note = (f"Note: your code left a thread running after the checks "
                f"({', '.join(threads_left)}); the grader stopped it. In a real program a "
                "thread that never ends can keep the program from exiting: make it a daemon "
                "thread, or stop and join it.")
    required = [c for c in checks if not c.optional]
    if required and all(c.outcome == "passed" for c in required):
        return GradeResult(exercise_id, "passed", checks, message=note)
    return GradeResult(exercise_id, "failed", checks, message=note)


def _collect_problem(check_file: Path, text: str) -> list[Problem]:
    last = text.strip().splitlines()[-1] if text.strip() else "it could not be imported"
    return [Problem(check_file, None, f"could not be loaded: {last}",
                    "this is a problem in the course, not in your code; run "
                    "'aisec verify-course' and report it")]
