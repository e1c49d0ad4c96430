"""The OS's file events for :mod:`tutor.learner.saves`: one watcher thread per exercise file.

watchfiles (Rust's notify crate: inotify, FSEvents, ReadDirectoryChangesW) tells
us about a write as it happens, so a save is noticed within a tenth of a second
and nothing is stat'ed in between. Its iterator blocks, so it runs in a daemon
thread that stops within one step of :meth:`EventWatcher.close`.

The *directory* is watched, not the file: editors save atomically by writing a
new file and renaming it over the old one, and a watch on the old inode would
never hear of it. Events for the directory's other files are dropped.

The thread only says "the file was touched, and has been quiet since"; whether
that is a save (and not our own acknowledged write) is for the owner to decide
by comparing the file's signature, on its own thread.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

STEP_MS = 10  # how often watchfiles hands over what it gathered, and looks at the stop flag
QUIET_S = 0.01  # the one debounce: a burst of writes is over after this long without an event
_GROUP_MS = 1_000  # watchfiles' own grouping cap; our quiet period does the debouncing


class EventWatcher:
    """Calls ``on_change`` (from its thread) once a burst of events on ``path`` is over.

    Raises ImportError when watchfiles is not installed. If the watcher fails to
    start or fails later, ``failed`` becomes true and ``on_change`` is called, so
    that the owner falls back to polling at once.
    """

    def __init__(self, path: Path, on_change: Callable[[], None]) -> None:
        # Imported here, not at the top: most commands never watch, and it brings anyio.
        import watchfiles

        self.failed = False
        # What the thread has handed over so far, for tests to wait on: every step,
        # and the batches with events on the file.
        self.steps = self.batches = 0
        self.started = threading.Event()  # set once the OS watch is in place (or failed)
        self._name = path.name
        self._on_change = on_change
        self._stop = threading.Event()
        self._changes: Iterable[set[tuple[watchfiles.Change, str]]] = watchfiles.watch(
            path.parent, watch_filter=None, debounce=_GROUP_MS, step=STEP_MS,
            stop_event=self._stop, rust_timeout=STEP_MS, yield_on_timeout=True,
            raise_interrupt=False, recursive=False)
        # The thread runs in a copy of this context, so that ``on_change`` sees what its
        # creator saw (Textual finds its app through a context variable).
        self._thread = threading.Thread(target=contextvars.copy_context().run,
                                        args=(self._run,), name=f"aisec-saves {path.name}",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._watch()
        except Exception:  # any watcher error (inotify limit, gone directory): poll instead
            self.failed = True
        if not self._stop.is_set():
            self.failed = True  # the events ended without being asked to: poll instead
        self.started.set()
        if self.failed:
            self._tell()

    def _watch(self) -> None:
        last_event: float | None = None
        # An empty set comes every step or so (yield_on_timeout): the clock of the quiet period.
        for changes in self._changes:
            self.started.set()
            self.steps += 1
            now = time.monotonic()
            if any(Path(changed).name == self._name for _, changed in changes):
                self.batches += 1
                last_event = now
            elif last_event is not None and now - last_event >= QUIET_S:
                last_event = None
                self._tell()

    def _tell(self) -> None:
        # An error here means the owner is going away (a closed screen): no one to tell.
        with contextlib.suppress(Exception):
            self._on_change()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def close(self) -> None:
        """Stop the thread and wait for it (a step or two)."""
        self._stop.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=2)
