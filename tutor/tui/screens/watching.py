"""A screen that reacts whenever the learner saves one file, in any editor.

The save detector (:mod:`tutor.learner.saves`) listens for the OS's file events
on a thread of its own and wakes the screen with a message, so that deciding
and reacting happen on the app's thread, after the in-app editor's own writes
were acknowledged. A timer polls as well: cheap while events come, and the
fallback where they do not. Leaving the screen, or quitting, stops the thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.message import Message

from tutor.learner.saves import SaveDetector
from tutor.tui.screens.base import AisecScreen


class SavesWoken(Message):
    """The watcher thread has news: poll the save detector now."""


class SaveWatchingScreen(AisecScreen[None]):
    _saves: SaveDetector | None = None

    def watch_saves(self, path: Path, on_save: Callable[[], None]) -> SaveDetector:
        """Call ``on_save`` on each save of ``path``; acknowledge our own writes on the
        detector returned."""
        if not self.app.watch_files:  # tests save explicitly: only our own writes are heard
            self._saves = SaveDetector(path, on_save, polling=True)
            return self._saves
        self._saves = SaveDetector(path, on_save, wake=lambda: self.post_message(SavesWoken()))
        self.set_interval(self.app.poll_interval, self._saves.poll)
        return self._saves

    @on(SavesWoken)
    def _saves_woken(self, event: SavesWoken) -> None:
        if self._saves is not None:
            self._saves.poll()

    def on_unmount(self) -> None:
        if self._saves is not None:
            self._saves.close()
