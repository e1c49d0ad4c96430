"""Noticing that a learner saved a file: the one save watcher of ``aisec watch`` and the TUI.

Two ways to notice, because neither works everywhere:

* The OS's file events (watchfiles, :mod:`tutor.learner.file_events`): a save is
  seen as it happens, with nothing to do in between. Used where watchfiles can
  be imported and its watcher starts.
* Polling each file's modification time, size and inode: what keeps working
  where events are not delivered or cannot be had (WSL on Windows drives,
  network drives, some containers' bind mounts, an exhausted inotify watch
  limit). It is the fallback when watchfiles is missing, fails to start or
  fails later, and ``AISEC_POLL_SAVES=1`` (or ``polling=True``) forces it.

While events are used, a look every ``LOOK_S`` at the file's signature still
catches a save whose events never came (a watcher that started but hears
nothing), so the learner never loses save detection.

Each way debounces once: events are grouped until the file has had none for
``file_events.QUIET_S``; a polled change counts once the file has held still for
``DEBOUNCE_S``. Either way a burst of writes is one save. Whether an event is a
save is decided by the file's signature, so our own writes (:meth:`acknowledge`)
are not saves.

:class:`SaveDetector` never sleeps: the TUI calls :meth:`SaveDetector.poll` from
a timer and when woken by the watcher thread, and :func:`wait_for_save` (for the
terminal) calls it in a loop. Close a detector (or use it as a context manager)
to stop its watcher thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from tutor.learner.file_events import EventWatcher

DEBOUNCE_S = 0.2  # polling: how long a changed file must hold still
LOOK_S = 1.0  # events: how often to look anyway, for events that never come
POLLING_ENV = "AISEC_POLL_SAVES"
Signature = tuple[int, int, int] | None


def signature(path: Path) -> Signature:
    """What changes when the file is written or replaced; None while it is missing."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def polling_forced() -> bool:
    return os.environ.get(POLLING_ENV, "").strip().lower() not in ("", "0", "no", "false")


class SaveDetector:
    """Call :meth:`poll` regularly; it reports each settled save once (and calls ``on_save``).

    ``wake`` is called from the watcher thread when :meth:`poll` has something to
    look at (the TUI posts itself a message); ``polling`` forces (True) or
    forbids (False) polling only, and None follows ``AISEC_POLL_SAVES``.
    """

    def __init__(self, path: Path, on_save: Callable[[], None] | None = None,
                 clock: Callable[[], float] = time.monotonic, *,
                 polling: bool | None = None, wake: Callable[[], object] | None = None) -> None:
        self.path = path
        self._on_save = on_save
        self._clock = clock
        self._wake = wake
        self._seen: Signature = signature(path)  # before watching: a save from now on counts
        # The change waiting to settle, and since when; a list so that "missing"
        # (signature None) can itself be pending.
        self._pending: list[Signature] = []
        self._pending_since = 0.0
        self._woken = threading.Event()  # set by the watcher thread: look at the file now
        self._next_look = clock() + LOOK_S
        self._events: EventWatcher | None = None
        if not (polling_forced() if polling is None else polling):
            self._events = _start_events(path, self._on_event)

    @property
    def backend(self) -> str:
        """"events" while the OS's file events are used, else "polling" (a failed
        watcher is given up at the next :meth:`poll`)."""
        return "polling" if self._events is None else "events"

    def watching(self, timeout: float) -> bool:
        """Wait until the OS watch is in place; False when polling (or it failed)."""
        if self._events is None:
            return False
        return self._events.started.wait(timeout) and not self._events.failed

    def acknowledge(self) -> None:
        """The file was written by us (the in-app editor, a reset): not a save to react to."""
        self._seen = signature(self.path)
        self._pending = []

    def poll(self) -> bool:
        """Whether a save has settled since the last one reported."""
        events = self._events
        if events is not None and events.failed:
            events.close()  # the watcher gave up: poll from now on
            self._events = events = None
        if events is None:
            return self._settled(signature(self.path))
        if self._woken.is_set():
            self._woken.clear()  # before looking: an event from now on wakes us again
            current = signature(self.path)
            self._pending = []
            # Events are already debounced by the watcher; only our own writes are left out.
            return current != self._seen and self._report(current)
        if self._clock() >= self._next_look:  # events that never came (see the docstring)
            self._next_look = self._clock() + LOOK_S
            return self._settled(signature(self.path))
        return False

    def _settled(self, current: Signature) -> bool:
        """Polling: report ``current`` once it has held still for DEBOUNCE_S."""
        if current == self._seen:
            self._pending = []
            return False
        if self._pending != [current]:  # new, or still changing: restart the quiet period
            self._pending, self._pending_since = [current], self._clock()
            return False
        if self._clock() - self._pending_since < DEBOUNCE_S:
            return False
        return self._report(current)

    def _report(self, current: Signature) -> bool:
        self._seen, self._pending = current, []
        if self._on_save is not None:
            self._on_save()
        return True

    def pause(self, interval: float, sleep: Callable[[float], None] = time.sleep) -> None:
        """Wait until the watcher has news, or ``interval`` seconds (the time between polls)."""
        if self._events is not None and not self._events.failed:
            self._woken.wait(interval)  # with a timeout: ctrl+c and the look stay prompt
        else:
            sleep(interval)

    def _on_event(self) -> None:  # on the watcher thread
        self._woken.set()
        if self._wake is not None:
            self._wake()

    def close(self) -> None:
        """Stop the watcher thread, if any (polling from then on). Safe to call twice."""
        if self._events is not None:
            self._events.close()
            self._events = None

    def __enter__(self) -> SaveDetector:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _start_events(path: Path, on_change: Callable[[], None]) -> EventWatcher | None:
    """The OS's file events for ``path``, or None (then polling) when they cannot be had."""
    try:
        return EventWatcher(path, on_change)
    except Exception:  # watchfiles missing or broken, no thread to spare: poll instead
        return None


def wait_for_save(detector: SaveDetector, interval: float,
                  sleep: Callable[[float], None] = time.sleep) -> None:
    """Block until ``detector`` sees a settled save, polling every ``interval`` seconds
    (or sooner, when the OS's file events say so)."""
    while not detector.poll():
        detector.pause(interval, sleep)
