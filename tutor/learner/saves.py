"""Noticing that a learner saved a file: the one save watcher of ``aisec watch`` and the TUI.

Changes are found by polling each file's modification time, size and inode.
Polling is what keeps working where native file events do not (WSL, network
drives, containers, some editors' atomic saves), and at a few stat calls per
second it costs nothing. A change counts once the file has stopped changing for
``DEBOUNCE_S``, so an editor writing in several steps triggers one grading.

:class:`SaveDetector` does the deciding and never sleeps: the TUI calls
:meth:`SaveDetector.poll` from a timer, and :func:`wait_for_save` (for the
terminal) calls it in a loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

DEBOUNCE_S = 0.2
Signature = tuple[int, int, int] | None


def signature(path: Path) -> Signature:
    """What changes when the file is written or replaced; None while it is missing."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class SaveDetector:
    """Call :meth:`poll` regularly; it reports each settled save once (and calls ``on_save``)."""

    def __init__(self, path: Path, on_save: Callable[[], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self._on_save = on_save
        self._clock = clock
        self._seen: Signature = signature(path)
        # The change waiting to settle, and since when; a list so that "missing"
        # (signature None) can itself be pending.
        self._pending: list[Signature] = []
        self._pending_since = 0.0

    def acknowledge(self) -> None:
        """The file was written by us (the in-app editor, a reset): not a save to react to."""
        self._seen = signature(self.path)
        self._pending = []

    def poll(self) -> bool:
        """Whether a save has settled since the last one reported."""
        current = signature(self.path)
        if current == self._seen:
            self._pending = []
            return False
        if self._pending != [current]:  # new, or still changing: restart the quiet period
            self._pending, self._pending_since = [current], self._clock()
            return False
        if self._clock() - self._pending_since < DEBOUNCE_S:
            return False
        self._seen, self._pending = current, []
        if self._on_save is not None:
            self._on_save()
        return True


def wait_for_save(detector: SaveDetector, interval: float,
                  sleep: Callable[[float], None] = time.sleep) -> None:
    """Block until ``detector`` sees a settled save, polling every ``interval`` seconds."""
    while not detector.poll():
        sleep(interval)
