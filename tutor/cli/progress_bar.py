"""A one-line progress bar on a terminal, for commands that take a while.

It is drawn on stderr and only when stderr is a terminal (and TERM is not
dumb), so pipes, files and ``--json`` never see it. Rows printed on stdout go
through :meth:`ProgressBar.above`, which clears the bar first and draws it
again below the row.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

WIDTH = 24


class ProgressBar:
    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = max(total, 1)
        self.label = label
        self.done = 0
        self.enabled = self.stream.isatty() and os.environ.get("TERM") != "dumb"

    def line(self) -> str:
        filled = WIDTH * self.done // self.total
        ascii_only = "utf" not in (getattr(self.stream, "encoding", "") or "").lower()
        full, empty = ("#", "-") if ascii_only else ("█", "░")
        return f"{full * filled}{empty * (WIDTH - filled)} {self.done}/{self.total} {self.label}"

    def advance(self, done: int) -> None:
        self.done = done
        self._draw()

    def _draw(self) -> None:
        if self.enabled:
            self.stream.write(f"\r\033[K{self.line()}")
            self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def above(self, text: str, out: TextIO | None = None) -> None:
        """Print ``text`` (whole lines) with the bar kept below it."""
        self.clear()
        target = out if out is not None else sys.stdout
        target.write(text)
        target.flush()
        self._draw()
