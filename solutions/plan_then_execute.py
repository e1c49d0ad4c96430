"""Reference solution for `plan_then_execute`: the approved plan is the only way forward."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    """One planned tool call."""

    tool: str
    args: Mapping[str, object] = field(default_factory=dict)
    filled_later: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Planned:
    """Our own copy of a step: nobody else holds a reference to its dict."""

    tool: str
    fixed: dict[str, object]
    filled_later: frozenset[str]


class PlanGuard:
    """Allows exactly the planned tool calls, in order, once each; locks on any deviation."""

    def __init__(self, plan: Sequence[Step]) -> None:
        if not isinstance(plan, (list, tuple)) or not plan:
            raise ValueError("plan must be a non-empty list or tuple of Step")
        steps = []
        for step in plan:
            if not isinstance(step, Step):
                raise ValueError(f"every step must be a Step, not {type(step).__name__}")
            if not isinstance(step.filled_later, (set, frozenset)) or not all(
                isinstance(name, str) for name in step.filled_later
            ):
                # frozenset("body") would be {"b", "o", "d", "y"}: insist on a real set.
                raise ValueError(f"{step.tool}: filled_later must be a frozenset of str")
            # A deep copy, not the caller's dict: Step is frozen, its args dict is not,
            # and a fixed value can itself be a list (say, of recipients). What the user
            # approved is what we enforce, whoever holds the original.
            fixed, later = copy.deepcopy(dict(step.args)), frozenset(step.filled_later)
            if set(fixed) & later:
                raise ValueError(f"{step.tool}: an argument cannot be both fixed and filled later")
            steps.append(_Planned(step.tool, fixed, later))
        self._steps: tuple[_Planned, ...] = tuple(steps)
        self._position = 0
        self._locked = False

    @property
    def done(self) -> bool:
        """True once every step of the plan has been checked successfully."""
        return not self._locked and self._position == len(self._steps)

    @property
    def locked(self) -> bool:
        """True once any check has failed."""
        return self._locked

    def check(self, call: Any) -> bool:
        """True only for exactly the next planned call; any deviation locks the guard."""
        if self._locked:
            return False
        if self._matches_next_step(call):
            self._position += 1
            return True
        # Fail closed and stay closed: an agent that left its plan has probably read an
        # injection, so nothing it asks for afterwards is trusted either.
        self._locked = True
        return False

    def _matches_next_step(self, call: Any) -> bool:
        if self._position >= len(self._steps):
            return False  # the plan is finished: any further call is a deviation
        step = self._steps[self._position]
        if not isinstance(call, dict):
            return False
        name, arguments = call.get("name"), call.get("arguments")
        if not isinstance(name, str) or not isinstance(arguments, dict):
            return False
        if name != step.tool:
            return False
        if set(arguments) != set(step.fixed) | step.filled_later:
            return False
        for key, planned in step.fixed.items():
            got = arguments[key]
            # Exact type as well as value: True == 1 and 1 == 1.0 in Python.
            if type(got) is not type(planned) or got != planned:
                return False
        # The only free part: data the agent found at run time. An injection can shape
        # it, which is why recipients and other targets belong in the fixed arguments.
        return all(isinstance(arguments[key], str) for key in step.filled_later)
