"""Reference solution for `dual_llm`: handles cross the boundary, content never does."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

Model = Callable[[str], str]

PRIVILEGED_INSTRUCTIONS = (
    "You are the planner of an email assistant. You never see the content of emails "
    "or web pages. Refer to data only through the variable names listed below (such "
    "as $VAR1); the controller shows their content to the user for you."
)

# "$VAR" and a number without a leading zero. [0-9]* is greedy, so a handle takes every
# digit that follows: "$VAR12" is never read as "$VAR1" + "2". [0-9] rather than \d,
# which would also match fullwidth and other Unicode digits.
HANDLE_RE = re.compile(r"\$VAR[1-9][0-9]*")

_LABEL_COLLECTIONS = (list, tuple, set, frozenset)


def build_quarantined_prompt(task: str, text: str) -> str:
    """The prompt for the quarantined model: the task, then the untrusted text."""
    return f"{task}\n\n--- untrusted text ---\n{text}\n--- end of untrusted text ---"


def build_privileged_prompt(request: str, variables: str) -> str:
    """The prompt for the privileged model: instructions, variable names, the request."""
    return (
        f"{PRIVILEGED_INSTRUCTIONS}\n\n"
        f"Variables:\n{variables or '(none)'}\n\n"
        f"User request:\n{request}"
    )


def _require_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return value


class DualLLMController:
    """Plain code between a privileged model (tools, trusted input) and a quarantined one."""

    def __init__(self, privileged: Model, quarantined: Model) -> None:
        self._privileged = privileged
        self._quarantined = quarantined
        # Per instance, never in the class body: a class-level dict would be shared by
        # every controller, so one user's email could be rendered into another's answer.
        self._values: dict[str, str] = {}  # handle -> the quarantined model's reply
        self._tasks: dict[str, str] = {}  # handle -> the (trusted) task behind it

    def quarantine(self, text: str, task: str) -> str:
        """Run the quarantined model on untrusted text; store its reply; return a handle."""
        _require_str(text, "text")
        _require_str(task, "task")
        reply = self._quarantined(build_quarantined_prompt(task, text))
        _require_str(reply, "the quarantined model's reply")
        # The controller picks the name. Nothing in `text` or `reply` influences it, so
        # no content can claim to be, or overwrite, another variable.
        handle = f"$VAR{len(self._values) + 1}"
        self._values[handle] = reply
        self._tasks[handle] = task
        return handle

    def classify(self, text: str, task: str, labels: Collection[str]) -> str:
        """Ask the quarantined model for one of `labels`; return it only if it is exact."""
        _require_str(text, "text")
        _require_str(task, "task")
        if not isinstance(labels, _LABEL_COLLECTIONS) or not all(
            isinstance(label, str) for label in labels
        ):
            raise TypeError("labels must be a list, tuple, set or frozenset of str")
        reply = self._quarantined(build_quarantined_prompt(task, text))
        _require_str(reply, "the quarantined model's reply")
        answer = reply.strip()
        # Exact membership in a fixed set: the only quarantined output that may reach
        # the privileged side, because it cannot carry any words the attacker chose.
        if answer not in labels:
            raise ValueError(f"the quarantined model did not answer with one of {labels!r}")
        return answer

    def privileged_view(self) -> str:
        """One line per variable: its handle and the task that produced it. No content."""
        return "\n".join(f"{handle}: result of {self._tasks[handle]!r}"
                         for handle in self._values)

    def ask_privileged(self, request: str) -> str:
        """Send the trusted request and the variable names to the privileged model."""
        _require_str(request, "request")
        reply = self._privileged(build_privileged_prompt(request, self.privileged_view()))
        return _require_str(reply, "the privileged model's reply")

    def render(self, template: str) -> str:
        """Replace each handle in `template` with its value, in one pass, for display."""
        _require_str(template, "template")

        def value_of(match: re.Match[str]) -> str:
            handle = match.group()
            if handle not in self._values:
                raise KeyError(f"{handle} was never issued by this controller")
            return self._values[handle]

        # One re.sub call: text it puts in is never scanned again, and a function as the
        # replacement inserts values literally (a "\1" in an email stays "\1").
        return HANDLE_RE.sub(value_of, template)
