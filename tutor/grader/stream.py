"""Reading the plugin's results channel, a JSON-lines file, while the child writes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tutor.grader.events import Event

EVENTS_CAP = 4 * 1024 * 1024  # bytes of the results channel the parent reads


class EventStream:
    """The plugin's JSON-lines channel, read as it grows.

    Lines that are not JSON objects are skipped, and a last line cut short by a
    kill stays unread: the verdict is built only from whole events.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.events: list[dict[str, Any]] = []
        self._kinds: set[Event] = set()  # polled every few ms: no rescan of a long list
        self._offset = 0
        self._partial = b""

    def poll(self) -> None:
        if self._offset >= EVENTS_CAP:
            return
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read(EVENTS_CAP - self._offset)
        except FileNotFoundError:
            return
        self._offset += len(data)
        *lines, self._partial = (self._partial + data).split(b"\n")
        for line in lines:
            self._add(line)

    def _add(self, line: bytes) -> None:
        try:
            event = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return
        if isinstance(event, dict):
            self.events.append(event)
            kind = Event.of(event)
            if kind is not None:
                self._kinds.add(kind)

    def seen(self, kind: Event) -> bool:
        return kind in self._kinds
