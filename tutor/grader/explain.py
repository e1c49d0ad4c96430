"""Exceptions from learner code, turned into messages that teach.

A learner sees what went wrong, where in *their* file (``file:line in
function()``), and what to do next; never a traceback from the engine.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from types import TracebackType

import pytest
from _pytest.outcomes import Exit, Failed, Skipped

from tutor.grader.calls import call_of

NO_KEYBOARD = ("input() was called, but checks run without a keyboard: take the value as a "
               "function argument instead")


def frame_in(tb: TracebackType | None, path: Path) -> tuple[str, int] | None:
    """(function, line) of the deepest frame of ``path`` in a traceback, if any."""
    found = None
    for frame, lineno in traceback.walk_tb(tb):
        if Path(frame.f_code.co_filename) == path:
            found = (frame.f_code.co_name, lineno)
    return found


def _syntax_error(exc: SyntaxError, display: str) -> str:
    where = f"{display}:{exc.lineno}" if exc.lineno else display
    detail = exc.msg or "invalid syntax"
    if "codec can't decode" in detail or "encoding" in detail:
        return (
            f"{where}: Python could not read the file's text ({detail}). "
            "Save it as UTF-8 and run the checks again."
        )
    return (
        f"{where}: {type(exc).__name__}: {detail}. Python could not read your file, "
        "so no check could run. Fix that line (the mistake is sometimes on the line "
        "just before it) and save again."
    )


def describe_load_error(exc: BaseException, path: Path, display: str) -> str:
    """Turn an exception raised while importing a learner file into advice."""
    if isinstance(exc, SyntaxError):
        return _syntax_error(exc, display)
    frame = frame_in(exc.__traceback__, path)
    where = f"{display}:{frame[1]}" if frame else display
    if isinstance(exc, SystemExit):
        return (
            f"{where}: your file called exit()/sys.exit() while it was being imported. "
            "The checks import your file and call its functions; remove the exit call."
        )
    if isinstance(exc, KeyboardInterrupt):
        return (
            f"{where}: your file raised KeyboardInterrupt while it was being imported. "
            "Remove it so the checks can import your functions."
        )
    if isinstance(exc, (Skipped, Exit)):
        return (
            f"{where}: your file tries to skip or stop pytest while it is being imported. "
            "Skipped checks never count as passed; remove that call."
        )
    if isinstance(exc, EOFError):
        return (
            f"{where}: {NO_KEYBOARD}. Code at the top level of the file runs when the checks "
            "import it; to try your function by hand, call input() only under "
            "`if __name__ == \"__main__\":`."
        )
    return (
        f"{where}: importing your file raised {type(exc).__name__}: {exc}. "
        "Code at the top level of the file runs on import; fix it so the file imports cleanly."
    )


def describe_failure(excinfo: pytest.ExceptionInfo[BaseException], target: Path | None,
                     display: str | None) -> str:
    """The teaching message for a failed check, from its exception.

    ``target`` is the learner's file when grading (None for a reference solution),
    so that an unexpected exception can point at the learner's line. When the
    exception came out of a call the check made to the learner's code, the
    message names that call and its arguments.
    """
    exc = excinfo.value
    if isinstance(exc, (Failed, Skipped)):
        return str(exc.msg) if exc.msg else ""
    where = frame_in(excinfo.tb, target) if target else None
    if isinstance(exc, AssertionError) and not _raised_by_learner(excinfo, target, where):
        return str(exc) or ("This check failed without a message (please report it to the "
                            "course author).")
    location = f" at {display or 'your file'}:{where[1]} in {where[0]}()" if where else ""
    return _unexpected(exc, location, call_of(exc))


def _raised_by_learner(excinfo: pytest.ExceptionInfo[BaseException], target: Path | None,
                       where: tuple[str, int] | None) -> bool:
    """An assert in the learner's own code failed (not a check's assert)."""
    if target is None or where is None or call_of(excinfo.value) is None:
        return False
    last = excinfo.tb
    while last.tb_next is not None:
        last = last.tb_next
    return Path(last.tb_frame.f_code.co_filename) == target


def _unexpected(exc: BaseException, location: str, call: str | None) -> str:
    tried = f" when the check called {call}" if call else ""
    if isinstance(exc, NotImplementedError):
        detail = f": {exc}" if str(exc) else ""
        return f"Not implemented yet{location}{detail}. Replace the TODO with your code."
    if isinstance(exc, RecursionError):
        return (
            f"Your code recursed without end{tried}{location} (RecursionError). Check the "
            "base case of your recursion, or use a loop."
        )
    if isinstance(exc, MemoryError):
        return (f"Your code ran out of memory{tried}{location} (MemoryError): it uses too "
                "much memory.")
    if isinstance(exc, EOFError):
        return f"{NO_KEYBOARD} (EOFError{tried}{location})."
    if call:
        return f"{call} raised {type(exc).__name__}{location}: {exc}"
    return f"Your code raised {type(exc).__name__}{location}: {exc}"


def process_exit_in_check(exc: BaseException) -> str:
    """Why a check may not end the process (exit, ctrl+c, pytest.exit) it runs in."""
    call = call_of(exc)
    during = f"when the check called {call}" if call else "during this check"
    if isinstance(exc, KeyboardInterrupt):
        return (f"Your code raised KeyboardInterrupt {during}. Functions should return "
                "a value (or raise an ordinary exception), not interrupt the program.")
    if isinstance(exc, SystemExit):
        return (f"Your code called exit()/sys.exit({exc.code!r}) {during}. Functions "
                "should return a value, not end the program.")
    return f"Your code called pytest.exit() {during}; that never counts as a pass."
