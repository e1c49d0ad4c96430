"""The verdict on one grading, from the checks expected and the events the child wrote.

The expected checks are read statically from the check file before anything
runs, so a run that stops early, skips, or reports fewer checks can never look
like a pass: an exercise passes only when every expected check ran and passed.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.errors import ContentError, Problem, Remedy
from tutor.grader.checks import CheckInfo
from tutor.grader.events import Event, Stop
from tutor.grader.result import CheckResult, GradeResult, LabScore, Outcome, Status

_WORST_FIRST: tuple[Outcome, ...] = ("error", "failed", "skipped")
_THREADS_SHOWN = 5

_STOPPED: dict[Stop, str] = {
    Stop.CANCELLED: "Cancelled: a newer run replaced it.",
    Stop.INTERRUPTED: "Interrupted: the checks were stopped before they finished.",
    Stop.STARTUP: (
        "The checks could not even start within the start-up limit, before any of your "
        "code ran: this machine is very busy, or the installation is broken. Close other "
        "programs and try again."),
}

_SIGNAL_CAUSES = {
    "SIGSEGV": " This usually means recursion far too deep, or a crash in a C extension.",
    "SIGXCPU": " It used more CPU time than allowed: look for a loop that never ends.",
    "SIGKILL": " It was killed, possibly for using too much memory.",
}


@dataclass
class RunLog:
    """What the plugin's events say happened during a run, read in order."""

    results: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by check
    running: str | None = None  # the check whose setup passed and that has not ended
    importing: bool = False  # the module under test was being imported
    load_error: str | None = None
    collect_error: str | None = None
    exitstatus: Any = None  # pytest's, once the session finished
    threads_left: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, events: Iterable[dict[str, Any]]) -> RunLog:
        log = cls()
        for event in events:
            kind = Event.of(event)
            handler = _HANDLERS.get(kind) if kind is not None else None
            if handler is not None:
                handler(log, event)
        return log

    def _start(self, event: dict[str, Any]) -> None:
        self.running = str(event.get("check"))

    def _result(self, event: dict[str, Any]) -> None:
        self.results.setdefault(str(event.get("check")), []).append(event)
        if event.get("when") != "setup":
            self.running = None

    def _load_start(self, event: dict[str, Any]) -> None:
        self.importing = True

    def _load_done(self, event: dict[str, Any]) -> None:
        self.importing = False

    def _load_error(self, event: dict[str, Any]) -> None:
        self.importing = False
        self.load_error = str(event.get("message", ""))

    def _collect_error(self, event: dict[str, Any]) -> None:
        self.collect_error = str(event.get("message", ""))

    def _finished(self, event: dict[str, Any]) -> None:
        self.exitstatus = event.get("exitstatus")

    def _threads_left(self, event: dict[str, Any]) -> None:
        names = event.get("names")
        if isinstance(names, list):
            self.threads_left = [str(name) for name in names][:_THREADS_SHOWN]


_HANDLERS: dict[Event, Callable[[RunLog, dict[str, Any]], None]] = {
    Event.START: RunLog._start,
    Event.RESULT: RunLog._result,
    Event.LOAD_START: RunLog._load_start,
    Event.LOAD_DONE: RunLog._load_done,
    Event.LOAD_ERROR: RunLog._load_error,
    Event.COLLECT_ERROR: RunLog._collect_error,
    Event.FINISHED: RunLog._finished,
    Event.THREADS_LEFT: RunLog._threads_left,
}


def verdict(exercise_id: str, check_file: Path, expected: list[CheckInfo],
            events: list[dict[str, Any]], returncode: int | None, stopped: Stop | None,
            timeout: float, *, printed_over: int = 0) -> GradeResult:
    """Build the verdict from the expected checks and the events the child wrote.

    ``printed_over``: the output cap (characters) the learner's code printed past, or 0.

    Raises :class:`ContentError` when the check file itself did not load.
    """
    log = RunLog.read(events)
    if log.collect_error is not None:
        raise ContentError(_collect_problem(check_file, log.collect_error))
    checks = _check_results(expected, log)
    phase = _phase(log, {c.id: c.title for c in expected})
    if stopped is not None:
        status, message = _stopped(stopped, timeout, phase, printed_over)
    else:
        status, message = _ended(log, checks, returncode, phase)
    remedy = Remedy.CHECK_SETUP if stopped is Stop.STARTUP else None
    return GradeResult(exercise_id, status, checks, message=message, remedy=remedy)


def _check_results(expected: list[CheckInfo], log: RunLog) -> list[CheckResult]:
    """One result per expected check, then any check the static reading did not see."""
    known = {info.id for info in expected}
    checks = [_expected_result(info, log) for info in expected]
    checks += [_combine(name, name, False, items)
               for name, items in log.results.items() if name not in known]
    return checks


def _expected_result(info: CheckInfo, log: RunLog) -> CheckResult:
    items = log.results.get(info.id)
    if items:
        return _combine(info.id, info.title, info.optional, items)
    if log.running == info.id:
        return CheckResult(info.id, info.title, "error",
                           "This check was running when the run was stopped.", info.optional)
    return CheckResult.not_run(info.id, info.title, info.optional)


def _combine(check_id: str, title: str, optional: bool,
             items: list[dict[str, Any]]) -> CheckResult:
    """One result for a check from its (possibly parametrised) items: the worst wins."""
    if any(item.get("ran") is False for item in items):
        return CheckResult.not_run(check_id, title, optional)
    scores = [LabScore.from_event(item.get("score")) for item in items]
    score = next((s for s in scores if s is not None), None)
    for outcome in _WORST_FIRST:
        for item in items:
            if item.get("outcome") == outcome:
                message = _item_message(outcome, str(item.get("message", "")))
                return CheckResult(check_id, title, outcome, message, optional, score=score)
    return CheckResult(check_id, title, "passed", "", optional, score=score)


def _item_message(outcome: Outcome, message: str) -> str:
    if outcome != "skipped":
        return message
    return ("This check was skipped, so it did not run; an exercise passes only when every "
            "check runs and passes." + (f" ({message})" if message else ""))


def _phase(log: RunLog, titles: dict[str, str]) -> str:
    """Where the run was when it ended, for messages: '' when between checks."""
    if log.importing:
        return "while your file was being imported"
    if log.running:
        return f"during the check '{titles.get(log.running, log.running)}'"
    return ""


def _stopped(stopped: Stop, timeout: float, phase: str,
             printed_over: int) -> tuple[Status, str]:
    """The parent stopped the run: nothing it reported counts as a pass."""
    if stopped is not Stop.TIMEOUT:
        return "error", _STOPPED[stopped]
    where = f" {phase}" if phase else ""
    if printed_over:  # the flood of output is what the learner sees and can fix first
        return "timeout", (
            f"The checks did not finish within {timeout:g} s and were stopped{where}. Your "
            f"code printed more than {printed_over:,} characters before the time limit (only "
            "the start is kept): remove or reduce the print() calls, then run the checks "
            "again.")
    return "timeout", (
        f"The checks did not finish within {timeout:g} s and were stopped{where}. Look for "
        "a loop that never ends (a 'while' whose condition never changes) or code that "
        "waits for input.")


def _ended(log: RunLog, checks: list[CheckResult], returncode: int | None,
           phase: str) -> tuple[Status, str]:
    """The run ended on its own: passed only if pytest finished and every needed check passed."""
    if log.load_error is not None:  # said once for the run, not once per check
        return "error", log.load_error
    if log.exitstatus is None:
        return "error", _crash_message(returncode, phase)
    if log.exitstatus not in (0, 1):
        return "error", (
            f"The checks did not complete normally (pytest status {log.exitstatus}); no "
            "result counts as a pass.")
    required = [c for c in checks if not c.optional]
    passed = bool(required) and all(c.outcome == "passed" for c in required)
    return ("passed" if passed else "failed"), _threads_note(log.threads_left)


def _threads_note(names: list[str]) -> str:
    if not names:
        return ""
    return (f"Note: your code left a thread running after the checks ({', '.join(names)}); "
            "the grader stopped it. In a real program a thread that never ends can keep the "
            "program from exiting: make it a daemon thread, or stop and join it.")


def _crash_message(returncode: int | None, phase: str) -> str:
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"Python stopped with {name} {phase}.{_SIGNAL_CAUSES.get(name, '')}"
    return (f"The checks stopped early {phase} (exit code {returncode}). Does your code call "
            "os._exit() or end the process some other way? Functions should return values.")


def _collect_problem(check_file: Path, text: str) -> list[Problem]:
    last = text.strip().splitlines()[-1] if text.strip() else "it could not be imported"
    return [Problem(check_file, None, f"could not be loaded: {last}",
                    "this is a problem in the course, not in your code; run "
                    "'aisec verify-course' and report it")]
