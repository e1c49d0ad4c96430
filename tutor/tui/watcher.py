"""Notice saves of one file by polling, with a debounce (see tutor.learner.watch for why)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from tutor.learner.watch import DEBOUNCE_S, Signature, signature


class SaveDetector:
    """Call :meth:`poll` on a timer; it calls ``on_change`` once per settled save."""

    def __init__(self, path: Path, on_change: Callable[[], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self._on_change = on_change
        self._clock = clock
        self._seen: Signature = signature(path)
        self._pending: Signature = None
        self._pending_since = 0.0

    def acknowledge(self) -> None:
        """The file was written by us (in-place editor): don't report it as a change."""
        self._seen = signature(self.path)
        self._pending = None

    def poll(self) -> None:
        current = signature(self.path)
        if current == self._seen:
            self._pending = None
            return
        if current != self._pending:  # still changing: restart the quiet period
            self._pending, self._pending_since = current, self._clock()
            return
        if self._clock() - self._pending_since >= DEBOUNCE_S:
            self._seen, self._pending = current, None
            self._on_change()
