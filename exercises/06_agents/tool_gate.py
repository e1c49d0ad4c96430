"""Gate every tool call an agent makes: allow-list, schema, approval, per-turn cap.

The scenario
------------

Your assistant is an agent: a loop in which a model reads the conversation, answers
with a tool call such as

    {"id": "call_1", "name": "read_file", "arguments": {"path": "notes.txt"}}

and your code runs the tool and feeds the result back. The model decides WHICH tool
to call and WITH WHAT, and the model can be wrong or manipulated: a web page or an
email it reads may contain instructions (prompt injection, OWASP LLM01), and a model
can simply invent a tool name. So the model's call is a request, never a command.
Every request goes through one gate, written in ordinary code, before anything runs.

What to implement
-----------------

    ToolGate(tools: dict[str, ToolSpec], max_calls_per_turn: int)
    ToolGate.authorize(call: dict, ctx: dict) -> Decision

`ToolSpec` and `Decision` are written for you, below.

The constructor checks its configuration and raises ValueError if:

- a key of `tools` is not exactly the `name` of its ToolSpec;
- a tool name is not a plain ASCII name: it must match `TOOL_NAME_RE` in full
  (`TOOL_NAME_RE.fullmatch(name)`, not `match`: `$` in a pattern lets "name\\n" through);
- `max_calls_per_turn` is not an int, is a bool (`True` is an int in Python), or is
  below 0.

Keep your own copy of the dict AND of each spec's `params`: code that later adds a
tool to the caller's dict, or a parameter to one of its specs, must not widen your
allow-list. ToolSpec is frozen, but the dict inside it is not; and tool servers can
change their tools while the agent runs (MCP servers announce it with a
`notifications/tools/list_changed` message). This makes the copy (`replace` is
imported for you from dataclasses):

    {name: replace(spec, params=dict(spec.params)) for name, spec in tools.items()}

`authorize(call, ctx)` returns a Decision and never raises, whatever it is given. It
applies these rules in this order and stops at the first one that fails (the
`reason` is yours to word; make it say what was wrong):

1. Shape. `call` is a dict with exactly the keys "id", "name" and "arguments"; "id"
   is a non-empty str, "name" a str and "arguments" a dict. Anything else: denied.
2. Allow-list. `call["name"]` must be a key of the tools, character for character.
   No lower-casing, no stripping, no Unicode normalisation, no removing of invisible
   characters: "Read_File", " read_file", "read\\u200b_file" (a zero-width space),
   "ｒead_file" (a fullwidth r) and "rеad_file" (a Cyrillic е) are all denied. Every
   "helpful" clean-up you add is a way for a look-alike to pass as a trusted name,
   and the name you check must be exactly the name you run and show to the user.
3. Arguments. The argument names must be exactly the tool's parameter names (none
   missing, none extra), and each value's type must be exactly the declared type:
   `type(value) is expected`. So `True` is not an int (bool is a subclass of int,
   and `True == 1`), `1` is not a bool, `3` is not a float and `None` is nothing.
4. Per-turn cap. `ctx["turn_calls"]` is how many tool calls your agent loop has
   already allowed in this turn (the loop counts them and resets the count when the
   user sends a new message). It must be an int (not a bool) of 0 or more, otherwise
   the call is denied. If `turn_calls >= max_calls_per_turn`, the call is denied.
   The gate itself keeps NO count: one gate object serves many turns (and many
   users), so a counter inside it would carry calls from one turn into the next.
5. Approval. If the tool's spec has `requires_approval=True`, the call is allowed
   only if `ctx["approved"]` is a set, frozenset, list or tuple that contains
   `call["id"]`. Otherwise the decision is `Decision(False, reason,
   needs_approval=True)`: the loop then shows the call to a person and asks. A str
   is not a collection of ids: `"call_1" in "call_12, call_13"` is True in Python.
6. Everything passed: `Decision(True, reason)`.

`needs_approval` is True only in rule 5: a call that is denied for any other reason
must not be put in front of a person (they would approve it, or learn to click "OK"
without reading), and an allowed call needs no approval.

`ctx` is built by your agent loop, never by the model; the call ids are assigned by
your loop too, one per call, never reused.

Examples
--------

>>> gate = ToolGate(
...     {
...         "read_file": ToolSpec("read_file", {"path": str}),
...         "delete_file": ToolSpec("delete_file", {"path": str}, requires_approval=True),
...     },
...     max_calls_per_turn=3,
... )
>>> call = {"id": "call_1", "name": "read_file", "arguments": {"path": "notes.txt"}}
>>> gate.authorize(call, {"turn_calls": 0}).allowed
True
>>> gate.authorize(call, {"turn_calls": 3}).allowed       # the cap is reached
False
>>> delete = {"id": "call_2", "name": "delete_file", "arguments": {"path": "notes.txt"}}
>>> decision = gate.authorize(delete, {"turn_calls": 1})
>>> decision.allowed, decision.needs_approval
(False, True)
>>> gate.authorize(delete, {"turn_calls": 1, "approved": {"call_2"}}).allowed
True
>>> lookalike = {"id": "call_3", "name": "dеlete_file", "arguments": {"path": "x"}}
>>> gate.authorize(lookalike, {"turn_calls": 0}).allowed   # a Cyrillic е
False

What the gate does not check
----------------------------

Values. {"path": "../../.ssh/id_rsa"} is a well-formed call to read_file. Deciding
which values are acceptable (a path inside one folder, a recipient on a list) is the
job of the tool itself or of a policy for that tool, and high-impact calls still go
to a person, who must see the exact arguments. Going further (no check requires it):
give ToolSpec one validator function per parameter and call it in rule 3.

Why it matters
--------------

OWASP LLM06:2025 Excessive Agency: damage happens when a model's output can trigger
actions it should not, through too many tools (excessive functionality), too much
access (excessive permissions) or too little human oversight (excessive autonomy).
Its mitigations are this class: offer only the tools the task needs, validate every
request against a policy in code ("complete mediation", not the model deciding what
is allowed), require a person's approval for high-impact actions, and limit how many
actions can happen before someone notices. Whatever the model was told, the gate
decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace  # noqa: F401  (replace: for your copy)
from typing import Any

# A tool name: a lowercase ASCII letter, then up to 63 lowercase letters, digits or
# underscores. Use TOOL_NAME_RE.fullmatch(name).
TOOL_NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True)
class ToolSpec:
    """One tool the agent may call.

    name: the exact name the model must use.
    params: parameter name -> its type (str, int, float or bool), e.g. {"path": str}.
    requires_approval: True for high-impact tools (delete, send, pay): a person must
        approve each call.
    description: what the tool does, for the model's tool list.
    """

    name: str
    params: dict[str, type] = field(default_factory=dict)
    requires_approval: bool = False
    description: str = ""


@dataclass(frozen=True)
class Decision:
    """The gate's answer for one call.

    allowed: run the tool (True) or not (False).
    reason: why, in words for logs and for the model ("unknown tool 'shell'").
    needs_approval: True only when the call is valid but waits for a person's approval.
    """

    allowed: bool
    reason: str
    needs_approval: bool = False


class ToolGate:
    """Decides, in code, whether the agent may run one tool call."""

    def __init__(self, tools: dict[str, ToolSpec], max_calls_per_turn: int) -> None:
        # TODO: check max_calls_per_turn (an int, not a bool, 0 or more) and every
        #       (key, spec) pair: key == spec.name and TOOL_NAME_RE.fullmatch(key).
        #       Raise ValueError for anything wrong; keep a copy of the dict and of
        #       each spec's params (see the docstring).
        raise NotImplementedError("TODO: implement ToolGate.__init__(tools, max_calls_per_turn)")

    def authorize(self, call: Any, ctx: Any) -> Decision:
        """Allow or deny one tool call; never raises. Rules 1-6 of the module docstring."""
        # TODO 1: the shape of `call` (exactly "id", "name", "arguments"; right types).
        # TODO 2: the exact name, looked up in your copy of the tools.
        # TODO 3: exactly the declared parameters, each with type(value) is the declared type.
        # TODO 4: ctx["turn_calls"]: an int (not a bool) >= 0, and below the cap.
        # TODO 5: requires_approval: call["id"] in ctx["approved"] (a set/frozenset/list/tuple),
        #         else Decision(False, ..., needs_approval=True).
        # TODO 6: Decision(True, ...).
        raise NotImplementedError("TODO: implement ToolGate.authorize(call, ctx)")
