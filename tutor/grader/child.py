"""The grader's child process: limits first, then pytest on one check file.

Started by :mod:`tutor.grader.runner` as ``python -I -B -c <bootstrap> CONFIG``
with a private working directory, a scrubbed environment and stdin closed.
``-I`` keeps the learner's folder (and any ``sitecustomize.py`` in it) off
``sys.path``; ``--noconftest`` and our own ``-c`` ini keep any ``conftest.py``
or ``pytest.ini`` the learner planted from being read.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any


class CappedWriter(io.TextIOBase):
    """A text stream that forwards the first ``cap`` characters and counts the rest.

    Learner code may print in a loop forever; keeping only a prefix keeps both
    memory and the parent's pipe bounded while the timeout runs out.
    """

    def __init__(self, target: Any, cap: int) -> None:
        self._target = target  # a binary stream
        self._left = cap
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._left > 0:
            kept = text[: self._left]
            self._left -= len(kept)
            self._target.write(kept.encode("utf-8", "replace"))
            self.dropped += len(text) - len(kept)
            if self.dropped:  # say so now: a timeout may kill us before the end
                self._target.write(b"\n[... output capped here; the rest is not shown]\n")
            self._target.flush()
        else:
            self.dropped += len(text)
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return False


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the wall-clock timeout still applies
        return
    for limit, value in ((resource.RLIMIT_AS, memory_mb * 1024 * 1024),
                         (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            _soft, hard = resource.getrlimit(limit)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            pass  # some platforms (macOS for RLIMIT_AS) refuse; timeouts still hold


def main(argv: list[str]) -> int:
    config = json.loads(argv[1])
    _limit_resources(config["memory_mb"], config["cpu_seconds"])
    out = CappedWriter(sys.stdout.buffer, config["output_cap"])
    sys.stdout = sys.stderr = out  # type: ignore[assignment]

    import pytest

    args = [
        config["check_file"],
        "-c", config["ini"], "--rootdir", config["rootdir"],
        "--noconftest", "--import-mode=importlib", "--assert=plain", "--capture=no",
        "-p", "tutor.grader.plugin", "-p", "no:terminal", "-p", "no:cacheprovider",
        "-p", "no:stepwise", "-p", "no:doctest",
        "--aisec-target", config["target"],
        "--aisec-display", config["display"],
        "--aisec-results", config["results"],
    ]
    return int(pytest.main(args))
