"""The pytest plugin that hands hidden checks the module under test.

Every check file ``tests/checks/test_<id>.py`` asks for the ``exercise`` fixture.
Under plain ``pytest`` in the course repo that fixture is the reference solution
``solutions/<id>.py``, so a bare test run proves every check passes on it. The
grader's child process adds ``--aisec-target`` (the learner's file) and
``--aisec-results`` (a JSON-lines file the parent reads): results travel through
that structured channel, never through printed text or exit codes.

This module is imported inside every pytest run of the repo, so it stays light.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import traceback
from pathlib import Path
from types import ModuleType, TracebackType
from typing import IO, Any

import pytest
from _pytest.outcomes import Exit, Failed, Skipped

CHECK_PREFIX = "test_"
MODULE_PREFIX = "aisec_exercise_"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("aisec", "aisec-tutor hidden checks")
    group.addoption("--aisec-target", help="grade this file instead of the reference solution")
    group.addoption("--aisec-display", help="how to name the graded file in messages")
    group.addoption("--aisec-results", help="write JSON-lines results to this file")


class _State:
    """Per-session plugin state, stored on the config object."""

    def __init__(self, config: pytest.Config) -> None:
        self.target: str | None = config.getoption("aisec_target")
        self.display: str | None = config.getoption("aisec_display")
        results = config.getoption("aisec_results")
        self.channel: IO[str] | None = (
            open(results, "a", encoding="utf-8") if results else None  # noqa: SIM115
        )
        self.loaded: dict[Path, ModuleType | LoadFailure] = {}

    def emit(self, event: str, **fields: Any) -> None:
        if self.channel is None:
            return
        self.channel.write(json.dumps({"event": event, **fields}) + "\n")
        self.channel.flush()


_KEY = pytest.StashKey[_State]()
# Collection reports carry no config; one pytest session runs per grader process.
_active: _State | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _active
    _active = config.stash[_KEY] = _State(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_KEY, None)
    if state and state.channel:
        state.channel.close()


def _state(config: pytest.Config) -> _State:
    return config.stash[_KEY]


# --------------------------------------------------------------------------
# Loading the module under test
# --------------------------------------------------------------------------


class LoadFailure:
    """Why the module under test could not be imported, in words for a learner."""

    def __init__(self, message: str) -> None:
        self.message = message


def frame_in(tb: TracebackType | None, path: Path) -> tuple[str, int] | None:
    """(function, line) of the deepest frame of ``path`` in a traceback, if any."""
    found = None
    for frame, lineno in traceback.walk_tb(tb):
        if Path(frame.f_code.co_filename) == path:
            found = (frame.f_code.co_name, lineno)
    return found


def describe_load_error(exc: BaseException, path: Path, display: str) -> str:
    """Turn an exception raised while importing a learner file into advice."""
    if isinstance(exc, SyntaxError):
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
    return (
        f"{where}: importing your file raised {type(exc).__name__}: {exc}. "
        "Code at the top level of the file runs on import; fix it so the file imports cleanly."
    )


def load_module(path: Path, name: str, display: str) -> ModuleType | LoadFailure:
    """Import ``path`` as a fresh module; never let its exceptions escape."""
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            return LoadFailure(f"{display}: this is not a Python file the checks can import.")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    except FileNotFoundError:
        return LoadFailure(f"{display}: the file does not exist.")
    except BaseException as exc:  # learner code may raise anything, even SystemExit
        sys.modules.pop(name, None)
        return LoadFailure(describe_load_error(exc, path, display))
    return module


class ExerciseModule:
    """The learner's module, with a friendly failure for a missing name."""

    def __init__(self, module: ModuleType, display: str) -> None:
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_display", display)

    def __getattr__(self, name: str) -> Any:
        missing = object()
        value = getattr(self._module, name, missing)
        if value is missing:  # fail outside an except block: no chained traceback
            pytest.fail(
                f"{self._display} does not define `{name}`. Keep the names from the "
                "starter file: the checks call them by name.",
                pytrace=False,
            )
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._module, name, value)


def exercise_id_of(check_file: Path) -> str:
    return check_file.stem.removeprefix(CHECK_PREFIX)


def course_root_of(check_file: Path) -> Path:
    # <course>/tests/checks/test_<id>.py
    return check_file.resolve().parents[2]


@pytest.fixture(scope="module")
def exercise(request: pytest.FixtureRequest) -> ExerciseModule:
    """The module under test: the learner's file when grading, else the solution."""
    state = _state(request.config)
    check_file = Path(str(request.module.__file__))
    ex_id = exercise_id_of(check_file)
    if state.target:
        path = Path(state.target).resolve()
        display = state.display or path.name
    else:
        path = course_root_of(check_file) / "solutions" / f"{ex_id}.py"
        display = f"solutions/{ex_id}.py"
    if path not in state.loaded:
        state.emit("load_start", path=display)
        state.loaded[path] = load_module(path, MODULE_PREFIX + ex_id, display)
        failure = state.loaded[path]
        if isinstance(failure, LoadFailure):
            state.emit("load_error", message=failure.message)
        else:
            state.emit("load_done")
    loaded = state.loaded[path]
    if isinstance(loaded, LoadFailure):
        pytest.fail(f"Not run: {loaded.message}", pytrace=False)
    return ExerciseModule(loaded, display)


# --------------------------------------------------------------------------
# Optional checks that need a real local model
# --------------------------------------------------------------------------

_live_server: bool | None = None


def _real_ollama_reachable() -> bool:
    """Whether a real Ollama server answers on this machine (asked once per run)."""
    global _live_server
    if _live_server is None:
        from tutor.ollama.host import OllamaHostError, resolve_host
        from tutor.ollama.probe import get_json

        try:
            target = resolve_host()
        except OllamaHostError:
            _live_server = False
        else:
            # Never a remote host: these checks exist to try a local model.
            _live_server = target.loopback and get_json(target, "/api/version", 1.0).ok
    return _live_server


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("ollama_live") and not _real_ollama_reachable():
        pytest.skip("optional: needs a real local Ollama server, and none is reachable")


# --------------------------------------------------------------------------
# Keeping learner code from ending or skipping the run
# --------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Any:
    """Turn process-level exits raised inside a check into plain failures."""
    try:
        return (yield)
    except KeyboardInterrupt:
        pytest.fail(
            "Your code raised KeyboardInterrupt during this check. Functions should return "
            "a value (or raise an ordinary exception), not interrupt the program.",
            pytrace=False,
        )
    except SystemExit as exc:
        pytest.fail(
            f"Your code called exit()/sys.exit({exc.code!r}) during this check. Functions "
            "should return a value, not end the program.",
            pytrace=False,
        )
    except Exit:
        pytest.fail(
            "Your code called pytest.exit() during this check; that never counts as a pass.",
            pytrace=False,
        )


# --------------------------------------------------------------------------
# Reporting: one event per check phase, written to the results channel
# --------------------------------------------------------------------------


def describe_failure(excinfo: pytest.ExceptionInfo[BaseException], state: _State) -> str:
    """The teaching message for a failed check, from its exception."""
    exc = excinfo.value
    if isinstance(exc, (Failed, Skipped)):
        return str(exc.msg) if exc.msg else ""
    if isinstance(exc, AssertionError):
        text = str(exc)
        return text or ("This check failed without a message (please report it to the "
                        "course author).")
    where = frame_in(excinfo.tb, Path(state.target).resolve()) if state.target else None
    display = state.display or "your file"
    location = f" at {display}:{where[1]} in {where[0]}()" if where else ""
    if isinstance(exc, NotImplementedError):
        detail = f": {exc}" if str(exc) else ""
        return f"Not implemented yet{location}{detail}. Replace the TODO with your code."
    if isinstance(exc, RecursionError):
        return (
            f"Your code recursed without end{location} (RecursionError). Check the base case "
            "of your recursion, or use a loop."
        )
    if isinstance(exc, MemoryError):
        return f"Your code ran out of memory{location} (MemoryError): it uses too much memory."
    return f"Your code raised {type(exc).__name__}{location}: {exc}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Any:
    report = yield
    state = _state(item.config)
    if state.channel is None:
        return report
    if call.when == "setup" and report.passed:
        state.emit("start", nodeid=item.nodeid, check=_check_name(item))
    if report.failed or report.skipped:
        message = describe_failure(call.excinfo, state) if call.excinfo else ""
        outcome = "skipped" if report.skipped else ("failed" if call.when == "call" else "error")
        state.emit("result", nodeid=item.nodeid, check=_check_name(item), outcome=outcome,
                   message=message, when=call.when)
    elif call.when == "call":
        state.emit("result", nodeid=item.nodeid, check=_check_name(item), outcome="passed",
                   message="", when="call")
    return report


def _check_name(item: pytest.Item) -> str:
    """The check's function name; parametrised items share their function's name."""
    return getattr(item, "originalname", None) or item.name


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed and _active is not None:
        # A check file that does not import is the course author's problem, not the
        # learner's; the grader turns this into a content error.
        _active.emit("collect_error", message=str(report.longrepr))


def pytest_collection_finish(session: pytest.Session) -> None:
    # The checks begin: the grader starts the exercise's clock here, so start-up
    # time (Python, pytest, the check file) never counts against the learner.
    _state(session.config).emit("collected", count=len(session.items))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    import threading

    state = _state(session.config)
    left = [t.name for t in threading.enumerate()
            if t.is_alive() and not t.daemon and t is not threading.current_thread()]
    if left:  # the grader's child leaves at once (os._exit); the grader adds a note
        state.emit("threads_left", names=left)
    state.emit("finished", exitstatus=int(exitstatus))


# ==========================================================================
# BEGIN fake_ollama fixture (issue 4)
# Checks that talk to a model get a scripted fake Ollama server over real HTTP
# (tutor.fake_ollama). It is imported inside the fixture so that checks which
# do not ask for it, and every plain pytest run of the repo, stay light.
# ==========================================================================


@pytest.fixture
def fake_ollama(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A running :class:`tutor.fake_ollama.FakeOllama` for one check, stopped afterwards.

    For the duration of the check ``OLLAMA_HOST`` points at it, ``OLLAMA_API_KEY``
    is unset, and if ``ollama`` is already imported (say by the learner's module)
    its module-level client (``ollama.chat`` and friends) talks to it as well.

        def test_sends_the_question(exercise, fake_ollama):
            fake_ollama.script(rules=[{"match": "France", "reply": "Paris."}])
            assert exercise.ask(fake_ollama.url, "Capital of France?") == "Paris."
            sent = fake_ollama.last_request("/api/chat").body
            assert sent["messages"][-1]["content"] == "Capital of France?", "..."
    """
    from tutor.fake_ollama import FakeOllama

    with FakeOllama() as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.host)
        monkeypatch.delenv("OLLAMA_API_KEY", raising=False)
        default_client = getattr(sys.modules.get("ollama"), "_client", None)
        http = getattr(default_client, "_client", None)
        if http is not None and hasattr(http, "base_url"):
            monkeypatch.setattr(http, "base_url", fake.url)
        yield fake


# END fake_ollama fixture
# ==========================================================================
