"""Run an exercise's hidden checks against a file and return a trustworthy verdict.

The checks run in a child Python process (see :mod:`tutor.grader.child`) with a
wall-clock timeout that kills its whole process group, capped output and memory,
stdin closed, a private working directory and a scrubbed environment. Results
come back through a JSON-lines file written by the pytest plugin, and the
verdict is built against the list of checks read statically from the check
file: an exercise passes only when every expected check ran and passed.
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
from pathlib import Path
from typing import IO, Any

from tutor.errors import ContentError, Problem
from tutor.grader.checks import CheckInfo, list_checks
from tutor.grader.result import CheckResult, GradeResult

MEMORY_MB = 1024
OUTPUT_CAP = 64 * 1024  # characters the child forwards from print()
PIPE_CAP = 2 * OUTPUT_CAP  # bytes the parent keeps from the child's stdout/stderr
POLL_S = 0.05

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
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _read_events(path: Path) -> list[dict[str, Any]]:
    events = []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a kill
        if isinstance(event, dict):
            events.append(event)
    return events


def grade(
    course_checks: Path,
    exercise_id: str,
    target: Path,
    display: str,
    timeout: float,
    *,
    cancel: threading.Event | None = None,
    memory_mb: int = MEMORY_MB,
) -> GradeResult:
    """Grade ``target`` with ``course_checks/test_<exercise_id>.py``.

    ``display`` is how messages name the file (e.g. ``exercises/09_pii/luhn.py``).
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
        config = {
            "check_file": str(check_file.resolve()), "target": str(target.resolve()),
            "display": display, "results": str(results), "ini": str(ini),
            "rootdir": str(workdir), "memory_mb": memory_mb,
            "cpu_seconds": int(timeout) + 2, "output_cap": OUTPUT_CAP,
        }
        command = [sys.executable, "-I", "-B", "-c",
                   _BOOTSTRAP.format(root=_PACKAGE_PARENT), json.dumps(config)]
        extra: dict[str, Any] = (
            {"start_new_session": True} if os.name == "posix"
            else {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
        )
        proc = subprocess.Popen(command, cwd=workdir, env=child_env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **extra)
        assert proc.stdout is not None
        reader = _CappedReader(proc.stdout, PIPE_CAP)
        reader.start()
        stopped = _wait(proc, started + timeout, cancel)
        reader.join(timeout=2)
        proc.stdout.close()
        events = _read_events(results)
    duration = time.monotonic() - started
    result = verdict(exercise_id, check_file, expected, events, proc.returncode, stopped, timeout)
    result.duration_s = duration
    result.output = reader.text()
    return result


def _wait(proc: subprocess.Popen[bytes], deadline: float,
          cancel: threading.Event | None) -> str | None:
    """Wait for the child; kill its group on timeout or cancel. Returns why it was stopped."""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _kill_group(proc)
            return "timeout"
        if cancel is not None and cancel.is_set():
            _kill_group(proc)
            return "cancelled"
        try:
            proc.wait(timeout=min(POLL_S, remaining) if cancel is not None else remaining)
            return None
        except subprocess.TimeoutExpired:
            continue


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
    required = [c for c in checks if not c.optional]
    if required and all(c.outcome == "passed" for c in required):
        return GradeResult(exercise_id, "passed", checks)
    return GradeResult(exercise_id, "failed", checks)


def _collect_problem(check_file: Path, text: str) -> list[Problem]:
    last = text.strip().splitlines()[-1] if text.strip() else "it could not be imported"
    return [Problem(check_file, None, f"could not be loaded: {last}",
                    "this is a problem in the course, not in your code; run "
                    "'aisec verify-course' and report it")]
