"""The words the grader's parts use to tell each other what happened to a run.

The pytest plugin, inside the child process, writes one JSON object per line to
a results file; the runner reads them back. Both sides name those events with
:class:`Event`, so a name is spelled once. :class:`Stop` says why the runner
stopped a child before it ended on its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

KEY = "event"  # the field of every results line that names its event


class Event(str, Enum):
    """One line of the results channel, in the order a run writes them."""

    COLLECT_ERROR = "collect_error"  # the check file did not import: a course problem
    COLLECTED = "collected"  # the checks begin; the exercise's clock starts here
    LOAD_START = "load_start"  # the module under test is being imported
    LOAD_DONE = "load_done"
    LOAD_ERROR = "load_error"  # it did not import; no check can run
    START = "start"  # a check's setup passed and its body runs now
    RESULT = "result"  # one phase of one check ended: passed, failed, error or skipped
    THREADS_LEFT = "threads_left"  # learner threads still alive after the last check
    FINISHED = "finished"  # pytest's session ended, with its exit status

    @classmethod
    def of(cls, line: Mapping[str, Any]) -> Event | None:
        """The event a decoded results line names; None for anything else."""
        try:
            return cls(line.get(KEY))
        except ValueError:
            return None

    def line(self, **fields: Any) -> str:
        """This event as one results line (without its newline)."""
        return json.dumps({KEY: self.value, **fields})


class Stop(str, Enum):
    """Why the runner stopped the child before it ended on its own."""

    CANCELLED = "cancelled"  # a newer run replaced this one
    INTERRUPTED = "interrupted"  # ctrl+c, quitting, or an error in the parent
    STARTUP = "startup"  # Python, pytest and the check file did not start in time
    TIMEOUT = "timeout"  # the checks ran past the exercise's timeout
