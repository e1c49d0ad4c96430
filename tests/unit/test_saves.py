"""The one save watcher, polling: a settled save is reported once; our own writes are not saves.

The OS-events backend is tested in test_saves_events.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from tutor.learner.saves import DEBOUNCE_S, SaveDetector, wait_for_save


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def touch(path: Path, text: str, step: int) -> None:
    """Write and give the file a distinct modification time (filesystems may be coarse)."""
    path.write_text(text)
    os.utime(path, ns=(step * 1_000_000_000, step * 1_000_000_000))


def test_a_save_is_reported_once_it_holds_still(tmp_path):
    path, clock, saves = tmp_path / "ex.py", Clock(), []
    touch(path, "a", 1)
    detector = SaveDetector(path, lambda: saves.append(1), clock=clock, polling=True)
    assert not detector.poll()
    touch(path, "ab", 2)
    assert not detector.poll(), "the editor may still be writing"
    clock.now += DEBOUNCE_S / 2
    assert not detector.poll()
    clock.now += DEBOUNCE_S
    assert detector.poll() and saves == [1]
    clock.now += 10
    assert not detector.poll() and saves == [1], "reported once"


def test_a_file_still_changing_restarts_the_quiet_period(tmp_path):
    path, clock = tmp_path / "ex.py", Clock()
    touch(path, "a", 1)
    detector = SaveDetector(path, clock=clock, polling=True)
    touch(path, "ab", 2)
    detector.poll()
    clock.now += DEBOUNCE_S
    touch(path, "abc", 3)
    assert not detector.poll()
    clock.now += DEBOUNCE_S
    assert detector.poll()


def test_our_own_write_is_not_a_save(tmp_path):
    path, clock = tmp_path / "ex.py", Clock()
    touch(path, "a", 1)
    detector = SaveDetector(path, clock=clock, polling=True)
    touch(path, "written by the in-app editor", 2)
    detector.acknowledge()
    clock.now += 10
    assert not detector.poll() and not detector.poll()


def test_a_deleted_and_restored_file_counts_as_a_save(tmp_path):
    path, clock = tmp_path / "ex.py", Clock()
    touch(path, "a", 1)
    detector = SaveDetector(path, clock=clock, polling=True)
    path.unlink()
    detector.poll()
    clock.now += DEBOUNCE_S
    assert detector.poll(), "gone is a change too (the grader then says how to restore it)"


def test_wait_for_save_polls_until_a_save_settles(tmp_path):
    path = tmp_path / "ex.py"
    touch(path, "a", 1)
    clock = Clock()
    detector = SaveDetector(path, clock=clock, polling=True)
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        clock.now += seconds
        if len(naps) == 3:
            touch(path, "saved", 2)

    wait_for_save(detector, 0.3, sleep=sleep)
    assert naps == [0.3] * 4  # three quiet polls, the save seen, then seen again 0.3 s later
