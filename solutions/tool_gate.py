"""Reference solution for `tool_gate`: one gate, in code, in front of every tool call."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

TOOL_NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")

# The only containers that count as "the ids a person approved". A str is deliberately
# not one of them: `"call_1" in "call_12"` is a substring test and would be True.
_ID_COLLECTIONS = (set, frozenset, list, tuple)

_CALL_KEYS = frozenset({"id", "name", "arguments"})


@dataclass(frozen=True)
class ToolSpec:
    """One tool the agent may call."""

    name: str
    params: dict[str, type] = field(default_factory=dict)
    requires_approval: bool = False
    description: str = ""


@dataclass(frozen=True)
class Decision:
    """The gate's answer for one call."""

    allowed: bool
    reason: str
    needs_approval: bool = False


def _deny(reason: str) -> Decision:
    return Decision(allowed=False, reason=reason)


def _is_count(value: object) -> bool:
    """An int of 0 or more that is not a bool (True is an int and equals 1)."""
    return type(value) is int and value >= 0


class ToolGate:
    """Decides, in code, whether the agent may run one tool call."""

    def __init__(self, tools: dict[str, ToolSpec], max_calls_per_turn: int) -> None:
        if not _is_count(max_calls_per_turn):
            raise ValueError(
                f"max_calls_per_turn must be an int of 0 or more, not {max_calls_per_turn!r}"
            )
        if not isinstance(tools, dict):
            raise ValueError(f"tools must be a dict of name -> ToolSpec, not {type(tools)!r}")
        for key, spec in tools.items():
            if not isinstance(spec, ToolSpec) or key != spec.name:
                raise ValueError(f"tools[{key!r}] must be a ToolSpec named {key!r}")
            # fullmatch, not match: with match and "$", "read_file\n" would pass. ASCII
            # only, so that no registered tool can look like another one.
            if not isinstance(key, str) or not TOOL_NAME_RE.fullmatch(key):
                raise ValueError(f"tool name {key!r} is not a plain ASCII tool name")
        # A private copy, down to each params dict: ToolSpec is frozen, the dict inside it
        # is not. Code that later adds a tool to the caller's dict, or a parameter to a
        # spec (say, after a tool server announces changed tools), must not widen what
        # this gate allows.
        self._tools: dict[str, ToolSpec] = {
            name: replace(spec, params=dict(spec.params)) for name, spec in tools.items()
        }
        self._max_calls = max_calls_per_turn

    def authorize(self, call: Any, ctx: Any) -> Decision:
        """Allow or deny one tool call. Fails closed: anything unexpected is denied."""
        # 1. Shape. Check types before using values, so that nothing below can raise.
        if not isinstance(call, dict) or set(call) != _CALL_KEYS:
            return _deny("a call must be a dict with exactly the keys id, name and arguments")
        call_id, name, arguments = call["id"], call["name"], call["arguments"]
        if not isinstance(call_id, str) or not call_id:
            return _deny("the call id must be a non-empty str")
        if not isinstance(name, str):
            return _deny("the tool name must be a str")
        if not isinstance(arguments, dict):
            return _deny("the arguments must be a dict")

        # 2. Allow-list: an exact dict lookup. No casefold(), strip() or NFKC here: each
        #    of them maps some look-alike ("Read_File", "read_ﬁle", "ｒead_file") onto a
        #    trusted name. Unknown names are echoed with repr() so invisible characters
        #    show up in the log.
        spec = self._tools.get(name)
        if spec is None:
            return _deny(f"unknown tool {name!r}: it is not on the allow-list")

        # 3. Arguments: the declared names, no more, no fewer, each of the exact type.
        if set(arguments) != set(spec.params):
            missing = sorted(set(spec.params) - set(arguments))
            extra = sorted(map(repr, set(arguments) - set(spec.params)))
            return _deny(f"arguments for {name} do not match its schema "
                         f"(missing: {missing}, unexpected: {extra})")
        for param, expected in spec.params.items():
            value = arguments[param]
            # `type(...) is`, not isinstance(): isinstance(True, int) is True.
            if type(value) is not expected:
                return _deny(f"argument {param!r} of {name} must be {expected.__name__}, "
                             f"not {type(value).__name__}")

        # 4. Per-turn cap. The agent loop owns the count; the gate keeps no state, so
        #    one gate can serve every turn and every user without mixing them up.
        if not isinstance(ctx, dict) or not _is_count(ctx.get("turn_calls")):
            return _deny("ctx['turn_calls'] must be an int of 0 or more")
        if ctx["turn_calls"] >= self._max_calls:
            return _deny(f"the limit of {self._max_calls} tool calls per turn is reached")

        # 5. Human approval, only for valid calls that passed every other rule.
        if spec.requires_approval:
            approved = ctx.get("approved")
            if not (isinstance(approved, _ID_COLLECTIONS) and call_id in approved):
                return Decision(allowed=False, needs_approval=True,
                                reason=f"{name} needs a person's approval for call {call_id!r}")

        # 6. Every rule passed.
        return Decision(allowed=True, reason=f"{name} is allowed")
