"""The save watcher with the OS's file events, and its fall back to polling.

The same saves are tried on both backends (``polling=True`` forces polling, as
AISEC_POLL_SAVES=1 does), with real files and real threads: each test waits on a
condition with a generous deadline, never on a fixed sleep.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import watchfiles

from tutor.learner import file_events
from tutor.learner.saves import LOOK_S, SaveDetector, wait_for_save

LIMIT = 20.0  # seconds: generous, for a loaded CI machine
BACKENDS = ["events", "polling"]


class Saves:
    """A detector on ``path`` that records the file's text at each save it reports."""

    def __init__(self, path: Path, backend: str, wake: Callable[[], object] | None = None
                 ) -> None:
        self.path = path
        self.seen: list[str | None] = []
        polling = {"events": False, "polling": True, "auto": None}[backend]
        self.detector = SaveDetector(path, self._saved, polling=polling, wake=wake)
        if backend == "events":
            assert self.detector.watching(LIMIT), "the OS watch never started"

    def _saved(self) -> None:
        self.seen.append(self.path.read_text() if self.path.exists() else None)

    def until(self, condition: Callable[[], bool]) -> None:
        """Poll as `aisec watch` does until ``condition`` holds."""
        deadline = time.monotonic() + LIMIT
        while not condition():
            assert time.monotonic() < deadline, f"saves seen: {self.seen}"
            if not self.detector.poll():
                self.detector.pause(0.02)

    def until_saved(self, text: str | None) -> None:
        self.until(lambda: text in self.seen)


@pytest.fixture
def exercise(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "ex.py"
    path.write_text("start\n")
    yield path


@pytest.fixture
def make_saves() -> Iterator[Callable[..., Saves]]:
    made: list[Saves] = []

    def make(path: Path, backend: str, wake: Callable[[], object] | None = None) -> Saves:
        made.append(Saves(path, backend, wake))
        return made[-1]

    yield make
    for saves in made:
        saves.detector.close()


def watcher_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("aisec-saves")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_save_is_reported_once(exercise, make_saves, backend):
    saves = make_saves(exercise, backend)
    assert saves.detector.backend == backend
    exercise.write_text("saved\n")
    saves.until_saved("saved\n")
    exercise.write_text("again\n")  # a later save is a save of its own
    saves.until_saved("again\n")
    assert saves.seen == ["saved\n", "again\n"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_atomic_save_by_rename_counts(exercise, make_saves, backend):
    saves = make_saves(exercise, backend)
    temporary = exercise.with_name(".ex.py.tmp")  # how many editors save
    temporary.write_text("renamed into place\n")
    os.replace(temporary, exercise)
    saves.until_saved("renamed into place\n")
    assert saves.seen == ["renamed into place\n"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_our_own_write_is_not_a_save(exercise, make_saves, backend):
    woken = threading.Event()
    saves = make_saves(exercise, backend, wake=woken.set)
    exercise.write_text("written by the in-app editor\n")
    saves.detector.acknowledge()
    if backend == "events":
        assert woken.wait(LIMIT), "the write's events came"
        assert not saves.detector.poll(), "and they are not a save"
    exercise.write_text("then a save in another editor\n")  # the marker: polls ran meanwhile
    saves.until_saved("then a save in another editor\n")
    assert saves.seen == ["then a save in another editor\n"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_deleted_then_recreated_file_is_two_saves(exercise, make_saves, backend):
    saves = make_saves(exercise, backend)
    exercise.unlink()
    saves.until_saved(None)  # the grader then says how to get the file back
    exercise.write_text("recreated\n")
    saves.until_saved("recreated\n")
    assert saves.seen == [None, "recreated\n"]


def test_files_next_to_the_exercise_are_not_saves(exercise, make_saves):
    saves = make_saves(exercise, "events")
    exercise.with_name("notes.txt").write_text("not the exercise\n")
    exercise.write_text("the exercise\n")  # the marker
    saves.until_saved("the exercise\n")
    assert saves.seen == ["the exercise\n"]


def test_a_burst_of_writes_is_one_save(exercise, make_saves, monkeypatch):
    # A long quiet period, so that a slow machine cannot split the burst.
    monkeypatch.setattr(file_events, "QUIET_S", 0.5)
    told: list[str] = []
    watcher = file_events.EventWatcher(exercise, lambda: told.append(exercise.read_text()))
    try:
        assert watcher.started.wait(LIMIT) and not watcher.failed
        with exercise.open("w") as file:  # an editor writing in several steps
            for step, part in enumerate(("def add(a, b):\n", "    return ", "a + b\n"), 1):
                file.write(part)
                file.flush()
                # As from a slow editor: each step is a batch of events of its own, and
                # the watcher has had a step without events since.
                wait_for(lambda step=step: watcher.batches >= step)
                steps = watcher.steps
                wait_for(lambda steps=steps: watcher.steps >= steps + 2)
        wait_for(lambda: len(told) >= 1)
        exercise.write_text("the next save\n")
        wait_for(lambda: "the next save\n" in told)
        assert told == ["def add(a, b):\n    return a + b\n", "the next save\n"]
    finally:
        watcher.close()


def test_the_watcher_thread_wakes_the_owner_and_stops_on_close(exercise):
    woken = threading.Event()
    with SaveDetector(exercise, wake=woken.set) as detector:
        assert detector.watching(LIMIT)
        assert len(watcher_threads()) == 1
        exercise.write_text("saved\n")
        assert woken.wait(LIMIT), "the TUI is woken, not left to its timer"
        assert detector.poll()
    assert watcher_threads() == [], "closing stops the thread"


def test_polling_is_forced_by_the_environment(exercise, monkeypatch):
    monkeypatch.setenv("AISEC_POLL_SAVES", "1")
    with SaveDetector(exercise) as detector:
        assert detector.backend == "polling" and not detector.watching(0)
        assert watcher_threads() == []


# -- falling back to polling ----------------------------------------------------------


def failing_watch(after: int) -> Callable[..., Iterator[set[tuple[int, str]]]]:
    """A stand-in for watchfiles.watch that fails after ``after`` quiet steps."""

    def watch(*args: object, **kwargs: object) -> Iterator[set[tuple[int, str]]]:
        for _ in range(after):
            yield set()
        raise OSError(28, "inotify watch limit reached")

    return watch


@pytest.mark.parametrize("after", [0, 3], ids=["fails to start", "fails later"])
def test_a_failing_watcher_falls_back_to_polling(exercise, make_saves, monkeypatch, after):
    monkeypatch.setattr(watchfiles, "watch", failing_watch(after))
    uncaught: list[object] = []
    monkeypatch.setattr(threading, "excepthook", uncaught.append)
    woken = threading.Event()
    saves = make_saves(exercise, "auto", wake=woken.set)
    assert woken.wait(LIMIT), "a failure wakes the owner, to poll at once"
    saves.until(lambda: saves.detector.backend == "polling")
    assert watcher_threads() == []
    exercise.write_text("saved while polling\n")
    saves.until_saved("saved while polling\n")
    assert uncaught == [], "the learner never sees a traceback"


def test_without_watchfiles_it_polls(exercise, make_saves, monkeypatch):
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # import fails
    saves = make_saves(exercise, "auto")
    assert saves.detector.backend == "polling"
    exercise.write_text("saved\n")
    saves.until_saved("saved\n")


def test_a_save_whose_events_never_come_is_still_seen(exercise, monkeypatch):
    """A watcher that starts but hears nothing (WSL, network drives): the slow look finds it."""
    def deaf(*args: object, stop_event: threading.Event, **kwargs: object
             ) -> Iterator[set[tuple[int, str]]]:
        while not stop_event.wait(0.01):
            yield set()

    monkeypatch.setattr(watchfiles, "watch", deaf)
    now = [100.0]
    with SaveDetector(exercise, clock=lambda: now[0]) as detector:
        assert detector.watching(LIMIT) and detector.backend == "events"
        exercise.write_text("saved\n")
        assert not detector.poll(), "not looked at yet"
        now[0] += LOOK_S
        assert not detector.poll(), "seen, and must hold still"
        now[0] += LOOK_S
        assert detector.poll()


def test_wait_for_save_returns_on_an_event_without_waiting_out_the_interval(exercise):
    with SaveDetector(exercise) as detector:
        assert detector.watching(LIMIT)
        waited = threading.Thread(target=wait_for_save, args=(detector, 3600.0), daemon=True)
        waited.start()
        exercise.write_text("saved\n")
        waited.join(LIMIT)
        assert not waited.is_alive(), "an hour-long interval is no obstacle to an event"


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + LIMIT
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)
