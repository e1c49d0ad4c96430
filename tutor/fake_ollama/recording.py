"""The record of what the fake server received, so a check can assert what code sent.

In process through :class:`RequestLog` (which :class:`~tutor.fake_ollama.FakeOllama`
exposes), and for another process as JSON lines appended to a file.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tutor.fake_ollama.replies import timestamp
from tutor.fake_ollama.script import prompt_of


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake server received, as the learner's code sent it."""

    index: int
    method: str
    path: str
    headers: dict[str, str]  # names lowercased
    body: Any  # the parsed JSON body, or None
    text: str  # the raw body
    received_at: str

    @property
    def prompt(self) -> str | None:
        """The last user message (chat) or the prompt (generate), if any."""
        return prompt_of(self.body) if isinstance(self.body, dict) else None

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "method": self.method, "path": self.path,
                "headers": self.headers, "body": self.body, "text": self.text,
                "received_at": self.received_at}


class RequestLog:
    """Requests in the order received, thread-safe, optionally copied to a JSON-lines file."""

    def __init__(self, record_file: Path | None = None) -> None:
        self._record_file = record_file
        self._record_io: IO[str] | None = None
        self._lock = threading.Lock()
        self._received = threading.Condition(self._lock)
        self._requests: list[RecordedRequest] = []

    def open_file(self) -> None:
        """Start appending to the record file, if there is one (OSError if it cannot be opened)."""
        if self._record_file is not None:
            record_io = open(self._record_file, "a", encoding="utf-8")  # noqa: SIM115
            with self._lock:
                self._record_io = record_io

    def close_file(self) -> None:
        with self._lock:
            if self._record_io is not None:
                self._record_io.close()
                self._record_io = None

    def record(self, method: str, path: str, headers: dict[str, str], body: Any,
               text: str) -> None:
        with self._received:
            recorded = RecordedRequest(len(self._requests), method, path,
                                       {k.lower(): v for k, v in headers.items()}, body, text,
                                       timestamp())
            self._requests.append(recorded)
            if self._record_io is not None:
                self._record_io.write(json.dumps(recorded.to_json(), ensure_ascii=False) + "\n")
                self._record_io.flush()
            self._received.notify_all()

    def all(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def clear(self) -> int:
        """Forget every request; returns how many there were."""
        with self._lock:
            count = len(self._requests)
            self._requests.clear()
            return count

    def wait_for(self, count: int, path: str | None, timeout: float) -> bool:
        """Block until ``count`` requests (to ``path``) have arrived; False on timeout."""
        def enough() -> bool:
            return sum(path is None or r.path == path for r in self._requests) >= count

        with self._received:
            return self._received.wait_for(enough, timeout=timeout)
