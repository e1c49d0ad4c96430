"""The pytest plugin that hands hidden checks the module under test.

Every check file ``tests/checks/test_<id>.py`` asks for the ``exercise`` fixture,
which :class:`ChecksPlugin` provides. There are two ways in:

* The grader's child process passes an instance that points at the learner's
  file and at a JSON-lines results file: ``pytest.main(args, plugins=[plugin])``.
  Results travel through that structured channel, never through printed text or
  exit codes.
* ``-p tutor.grader.plugin`` (the course repo's pytest ``addopts``): this
  module's :func:`pytest_configure` registers an instance with no target, so the
  fixture is the reference solution ``solutions/<id>.py`` and a bare ``pytest``
  proves every check passes on it.

Either way the plugin declares the markers check files may use, so they are
known under ``--strict-markers``. This module is imported inside every pytest
run of the repo, so it stays light.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import pytest
from _pytest.outcomes import Exit

from tutor.course.layout import CoursePaths, exercise_id_of
from tutor.grader.checks import LIVE_MARKER
from tutor.grader.events import Event
from tutor.grader.explain import describe_failure, process_exit_in_check
from tutor.grader.loader import ExerciseModule, LoadFailure, NotRun, load_module

SCORE_PROPERTY = "aisec_score"  # a lab check's score, in its item's user_properties
# What the fixtures below import when a check asks for them (lazily, so that a bare
# pytest run stays light); the warm grader imports them once, ahead of every fork.
FIXTURE_MODULES = ("tutor.fake_ollama", "tutor.labs.session", "tutor.ollama.host",
                   "tutor.ollama.probe")
MARKERS = (
    f"{LIVE_MARKER}: needs a real local Ollama server; skipped when none is reachable",
)


class ChecksPlugin:
    """Hands each check its module under test, and reports what happens to each check.

    ``target`` is the file to grade (None: each check file's reference solution),
    ``display`` how messages name it, ``results`` the JSON-lines file events go to
    (None: no events, as under plain pytest).
    """

    def __init__(self, target: Path | None = None, display: str | None = None,
                 results: Path | None = None, lab: dict[str, Any] | None = None) -> None:
        self.target = target.resolve() if target else None
        self.lab_config = lab  # a defence lab's settings, from the grader
        self.display = display
        self.results = results
        self._channel: IO[str] | None = None
        self._loaded: dict[Path, ModuleType | LoadFailure] = {}
        self._live_server: bool | None = None  # asked once per run

    # -- set-up and the results channel ---------------------------------------------------

    def pytest_configure(self, config: pytest.Config) -> None:
        for marker in MARKERS:
            config.addinivalue_line("markers", marker)
        if self.results is not None:
            self._channel = open(self.results, "a", encoding="utf-8")  # noqa: SIM115

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None

    def emit(self, event: Event, **fields: Any) -> None:
        if self._channel is None:
            return
        self._channel.write(event.line(**fields) + "\n")
        self._channel.flush()

    # -- the module under test ------------------------------------------------------------

    @pytest.fixture(scope="module")
    def exercise(self, request: pytest.FixtureRequest) -> ExerciseModule:
        """The module under test: the learner's file when grading, else the solution."""
        check_file = Path(str(request.module.__file__))
        exercise_id = exercise_id_of(check_file)
        path, display = self._module_under_test(check_file, exercise_id)
        if path not in self._loaded:
            self._loaded[path] = self._load(path, exercise_id, display)
        loaded = self._loaded[path]
        if isinstance(loaded, LoadFailure):
            raise NotRun(loaded)
        return ExerciseModule(loaded, display)

    def _module_under_test(self, check_file: Path, exercise_id: str) -> tuple[Path, str]:
        if self.target is not None:
            return self.target, self.display or self.target.name
        course = CoursePaths.of_check_file(check_file)
        solution = course.solution(exercise_id)
        return solution, solution.relative_to(course.root).as_posix()

    def _load(self, path: Path, exercise_id: str, display: str) -> ModuleType | LoadFailure:
        self.emit(Event.LOAD_START, path=display)
        loaded = load_module(path, exercise_id, display)
        if isinstance(loaded, LoadFailure):
            self.emit(Event.LOAD_ERROR, message=loaded.message)
        else:
            self.emit(Event.LOAD_DONE)
        return loaded

    # -- optional checks that need a real local model -------------------------------------

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if item.get_closest_marker(LIVE_MARKER) and not self._real_ollama_reachable():
            pytest.skip("optional: needs a real local Ollama server, and none is reachable")

    def _real_ollama_reachable(self) -> bool:
        if self._live_server is None:
            from tutor.ollama.host import OllamaHostError, resolve_host
            from tutor.ollama.probe import get_json

            try:
                target = resolve_host()
            except OllamaHostError:
                self._live_server = False
            else:
                # Never a remote host: these checks exist to try a local model.
                self._live_server = target.loopback and get_json(target, "/api/version",
                                                                 1.0).ok
        return self._live_server

    @pytest.fixture
    def fake_ollama(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
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
        # Imported here, so that checks which do not ask for it stay light.
        from tutor.fake_ollama import FakeOllama

        with FakeOllama() as fake:
            monkeypatch.setenv("OLLAMA_HOST", fake.host)
            monkeypatch.delenv("OLLAMA_API_KEY", raising=False)
            default_client = getattr(sys.modules.get("ollama"), "_client", None)
            http = getattr(default_client, "_client", None)
            if http is not None and hasattr(http, "base_url"):
                monkeypatch.setattr(http, "base_url", fake.url)
            yield fake

    # -- defence labs ---------------------------------------------------------------------

    @pytest.fixture
    def lab(self, request: pytest.FixtureRequest) -> Iterator[Any]:
        """A defence lab's corpora, model and scoring checks (:mod:`tutor.labs.session`).

        Each score is reported with the check that made it (``aisec check --json``).
        """
        from tutor.labs.session import LabSettings, open_lab

        check_file = Path(str(request.module.__file__))
        settings = (LabSettings.from_config(self.lab_config) if self.lab_config is not None
                    else _lab_settings_of(check_file))
        node = request.node

        def record(score: Any) -> None:
            node.user_properties.append((SCORE_PROPERTY, score.as_data()))

        with open_lab(settings, record) as lab:
            yield lab

    # -- keeping learner code from ending or skipping the run -----------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> Any:
        """Turn process-level exits raised inside a check into plain failures."""
        try:
            return (yield)
        except (KeyboardInterrupt, SystemExit, Exit) as exc:
            pytest.fail(process_exit_in_check(exc), pytrace=False)

    # -- reporting: one event per check phase ---------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item,
                                  call: pytest.CallInfo[None]) -> Any:
        report = yield
        if self._channel is not None:
            self._report(item, call, report)
        return report

    def _report(self, item: pytest.Item, call: pytest.CallInfo[None],
                report: pytest.TestReport) -> None:
        check = _check_name(item)
        if call.when == "setup" and report.passed:
            self.emit(Event.START, nodeid=item.nodeid, check=check)
        if report.failed or report.skipped:
            exc = call.excinfo
            message = describe_failure(exc, self.target, self.display) if exc else ""
            outcome = "skipped" if report.skipped else ("failed" if call.when == "call"
                                                        else "error")
            ran = not (exc is not None and isinstance(exc.value, NotRun))
            self.emit(Event.RESULT, nodeid=item.nodeid, check=check, outcome=outcome,
                      message=message, when=call.when, ran=ran, **_score_of(item))
        elif call.when == "call":
            self.emit(Event.RESULT, nodeid=item.nodeid, check=check, outcome="passed",
                      message="", when="call", ran=True, **_score_of(item))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            # A check file that does not import is the course author's problem, not the
            # learner's; the grader turns this into a content error.
            self.emit(Event.COLLECT_ERROR, message=str(report.longrepr))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        # The checks begin: the grader starts the exercise's clock here, so start-up
        # time (Python, pytest, the check file) never counts against the learner.
        self.emit(Event.COLLECTED, count=len(session.items))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        left = [t.name for t in threading.enumerate()
                if t.is_alive() and not t.daemon and t is not threading.current_thread()]
        if left:  # the grader's child leaves at once (os._exit); the grader adds a note
            self.emit(Event.THREADS_LEFT, names=left)
        self.emit(Event.FINISHED, exitstatus=int(exitstatus))


def _score_of(item: pytest.Item) -> dict[str, Any]:
    """``{"score": ...}`` when a lab check scored, for its result event; else nothing."""
    scores = [value for name, value in item.user_properties if name == SCORE_PROPERTY]
    return {"score": scores[-1]} if scores else {}


def _lab_settings_of(check_file: Path) -> Any:
    """Under plain pytest in the course repo: the lab's settings from the manifest."""
    from tutor.course.loader import load_course
    from tutor.labs.session import LabSettings

    paths = CoursePaths.of_check_file(check_file)
    exercise = load_course(paths.root).exercise(exercise_id_of(check_file))
    if exercise.lab is None:
        raise pytest.UsageError(f"{check_file.name} asks for the lab fixture, but "
                                f"'{exercise.id}' has no 'lab:' block in course.yaml")
    return LabSettings(paths.lab_corpus(exercise.id), exercise.lab.blocked, exercise.lab.useful)


def _check_name(item: pytest.Item) -> str:
    """The check's function name; parametrised items share their function's name."""
    return getattr(item, "originalname", None) or item.name


def pytest_configure(config: pytest.Config) -> None:
    """``-p tutor.grader.plugin``: check every reference solution, unless a plugin is set."""
    if not any(isinstance(p, ChecksPlugin) for p in config.pluginmanager.get_plugins()):
        config.pluginmanager.register(ChecksPlugin(), "aisec-checks")
