r"""Scan a pickle for imports and calls, without ever loading it.

The scenario
------------

Your team wants to try a fine-tuned model from a public model hub. It comes as
`pytorch_model.bin`: a ZIP archive whose `data.pkl` is a Python pickle. Loading a
pickle runs a small stack machine, and two of its instructions are "import this global"
and "call this with these arguments". Anyone who uploads a model can make those
instructions import `os.system` and call it. The Python documentation says it plainly:
never unpickle data from an untrusted or unauthenticated source.

So before anything loads the file, a scanner reads the instructions (the opcodes) and
reports every import and call that is not on an allow-list of harmless globals. It
reads; it never executes. That is what you build here, with `pickletools.genops`,
which walks the opcodes of a pickle without running any of them.

What is given
-------------

The model of the unpickler's stack is written for you, below the docstring; read it
first. `Global(module, name)` is a stack value known to be an imported global; `MARK`
is what the MARK opcode pushes; `UNKNOWN_VALUE` stands for anything else (a number, a
list, the result of a call). `pop(stack, n)` and `pop_to_mark(stack)` remove and return
items, and raise `Malformed` when the stack does not hold them. `apply_stack_effect(op,
stack)` applies any opcode you do not handle yourself (pickletools describes what each
one pops and pushes). `follow_memo(opcode, arg, stack, memo)` handles the memo opcodes
and DUP, and returns False for every other opcode: the memo is where pickles keep
values to fetch again later, and where an attacker hides a name ("os", "system")
behind harmless strings pushed last.

What to implement
-----------------

    scan_pickle(data: bytes, allow: set[tuple[str, str]]) -> list[Finding]

Keep a `stack` (a list) and a `memo` (a dict), and walk `pickletools.genops(data)`,
which yields `(opcode, arg, pos)`; `opcode.name` is a name such as "GLOBAL" and `arg`
the decoded argument. Never call `pickle.loads`, `pickle.load` or an `Unpickler` on
`data`. For each opcode, in this order:

- a name in STRING_OPCODES: push `arg` (a str).
- `follow_memo(...)` returns True: nothing else to do.
- GLOBAL: `arg` is "module name" (one space between). Push `Global(module, name)`, and
  report Finding("import", module, name) unless (module, name) is in `allow`.
- STACK_GLOBAL: pop the module and the name (`module, name = pop(stack, 2)`). If both
  are str, do as GLOBAL. Otherwise you cannot name the import: report
  ("import", "?", "?") and push UNKNOWN_VALUE.
- EXT1, EXT2, EXT4 (EXT_OPCODES) import a global by a registry number, with no name at
  all: report ("import", "?", "?") and push UNKNOWN_VALUE.
- Calls. REDUCE pops (callable, args) and NEWOBJ (class, args): the callable is the
  first of `pop(stack, 2)`. NEWOBJ_EX pops (class, args, kwargs): the first of
  `pop(stack, 3)`. OBJ: the first item of `pop_to_mark(stack)` (none there is
  Malformed). INST: imports the class its `arg` names (like GLOBAL), pops to the mark,
  and calls the class. Report Finding("call", module, name) unless the callable is an
  allow-listed Global, and ("call", "?", "?") when it is not a Global at all. Each
  call pushes UNKNOWN_VALUE (its result).
- anything else: `apply_stack_effect(opcode, stack)`.

Return the findings in the order of the opcodes that cause them (`detail` is free text
for humans; the checks ignore it). Data that is not a complete, consistent pickle gets
one Finding("malformed", "", "") at the end: genops raises ValueError on empty,
truncated or garbage input, and the helpers raise Malformed for a pop from an empty
stack, a missing MARK or a memo slot never written. Catch both, keep every finding made
so far, add the malformed one, and stop. Never let an exception escape.

The scanner may report more than a real load would run, and that is on purpose: it
does not know that a call would fail (a missing module, wrong arguments), so it reads
on and reports what comes after. It must never report less.

Allow-list entries are exact (module, name) pairs: ("collections", "OrderedDict") does
not allow ("collections", "OrderedDict.fromkeys") or ("collections.abc", ...). Names
are compared as written in the pickle: protocols 0-2 write some Python 2 names (the
builtins module as "__builtin__"); a name that is not on the allow-list is reported.

Examples
--------

>>> scan_pickle(pickle.dumps({"w": [1.0, 2.0]}), set())
[]
>>> class Evil:
...     def __reduce__(self):
...         return (print, ("this runs when the pickle is loaded",))
>>> [(f.kind, f.module, f.name) for f in scan_pickle(pickle.dumps(Evil(), protocol=4), set())]
[('import', 'builtins', 'print'), ('call', 'builtins', 'print')]
>>> state_dict = pickle.dumps(collections.OrderedDict(w=[1.0]), protocol=4)
>>> scan_pickle(state_dict, {("collections", "OrderedDict")})
[]
>>> [f.kind for f in scan_pickle(b"\x80\x04\x8c\x08builtins", set())]
['malformed']

To see what the scanner sees: `pickletools.dis(pickle.dumps(obj, protocol=4))`.

Going further (no check needs these)
------------------------------------

- Read a real PyTorch checkpoint: open the ZIP with `zipfile`, find the member whose
  name ends in "data.pkl", and scan its bytes. Report a file that is not a ZIP instead
  of skipping it: the nullifAI models were packed with 7z instead of ZIP.
- PyTorch checkpoints use PERSID/BINPERSID to refer to tensor storages. They call the
  loader's persistent_load, not a global from the file; note them in `detail`.
- Map the Python 2 names the unpickler maps (`__builtin__` to `builtins`, see
  `_compat_pickle`) before checking the allow-list, so one entry covers both spellings.

Why it matters
--------------

OWASP LLM03:2025 (Supply Chain) and LLM04:2025 (Data and Model Poisoning) both name
malicious pickled models; MITRE ATLAS lists the technique as AML.T0010, AI Supply Chain
Compromise. In 2024 JFrog reported about a hundred models on Hugging Face with
malicious payloads, and in 2025 ReversingLabs found two that slipped past the hub's
scanner (they called the trick nullifAI): the payload sat at the start of a pickle
that was broken right after it. The unpickler had already run the payload by the time
it hit the damage. So: deny by default, fail closed on anything you cannot name, and
keep the findings you made before the data went bad.

A scanner is one layer. Prefer formats that cannot carry code (safetensors, the next
exercise), load pickles only with a restricted unpickler such as PyTorch's
`weights_only=True`, and check signatures before you load anything.
"""

from __future__ import annotations

import collections  # noqa: F401  (used in the examples)
import pickle  # noqa: F401  (used in the examples; never call pickle.loads on `data`)
import pickletools
from typing import Any, NamedTuple


class Finding(NamedTuple):
    """One thing the scanner reports. `kind` is "import", "call" or "malformed"."""

    kind: str
    module: str
    name: str
    detail: str = ""


UNKNOWN = "?"  # module and name of an import or call the scanner cannot name

# Opcodes whose `arg` is a string they push. The protocol 0-2 ones (STRING, BINSTRING,
# SHORT_BINSTRING) become str in the unpickler too, so STACK_GLOBAL accepts them.
STRING_OPCODES = frozenset({
    "UNICODE", "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8",
    "STRING", "BINSTRING", "SHORT_BINSTRING",
})
EXT_OPCODES = frozenset({"EXT1", "EXT2", "EXT4"})


# --- The stack machine model: given, complete; use it --------------------------------


class Global(NamedTuple):
    """A stack value known to be the global `module.name` (pushed by an import)."""

    module: str
    name: str


class _Marker:
    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return self.label


MARK = _Marker("MARK")  # what the MARK opcode pushes
UNKNOWN_VALUE = _Marker("UNKNOWN_VALUE")  # any value the scanner does not track


class Malformed(Exception):
    """The opcodes do not make sense: the unpickler would fail here."""


def pop(stack: list[object], count: int) -> list[object]:
    """Remove and return the top `count` items (bottom first); Malformed if too few."""
    if count > len(stack) or MARK in stack[len(stack) - count :]:
        raise Malformed(f"pops {count} item(s) from a stack of {len(stack)} above its mark")
    items = stack[len(stack) - count :]
    del stack[len(stack) - count :]
    return items


def pop_to_mark(stack: list[object]) -> list[object]:
    """Remove the topmost MARK and everything above it; return what was above it."""
    for index in range(len(stack) - 1, -1, -1):
        if stack[index] is MARK:
            items = stack[index + 1 :]
            del stack[index:]
            return items
    raise Malformed("no MARK on the stack")


def apply_stack_effect(op: pickletools.OpcodeInfo, stack: list[object]) -> None:
    """The generic effect of `op`: pop what it consumes, push UNKNOWN_VALUE for each result.

    pickletools describes every opcode (op.stack_before, op.stack_after), so this one
    rule covers the 60-odd opcodes that neither import nor call anything.
    """
    before = op.stack_before
    if pickletools.markobject in before:
        pop_to_mark(stack)
        pop(stack, before.index(pickletools.markobject))
    else:
        pop(stack, len(before))
    for produced in op.stack_after:
        stack.append(MARK if produced is pickletools.markobject else UNKNOWN_VALUE)


def follow_memo(opcode: str, arg: Any, stack: list[object], memo: dict[int, object]) -> bool:
    """Apply a memo opcode (or DUP) to the stack; False if `opcode` is not one of them.

    The memo is the unpickler's scratch storage, and the standard pickler uses it all the
    time. An attacker can use it to hide a name: store "os" and "system" early, push
    harmless strings, and fetch the stored ones again just before STACK_GLOBAL.
    """
    if opcode in {"PUT", "BINPUT", "LONG_BINPUT", "MEMOIZE"}:
        if not stack or stack[-1] is MARK:
            raise Malformed(f"{opcode} with nothing to store")
        memo[len(memo) if opcode == "MEMOIZE" else int(arg)] = stack[-1]
    elif opcode in {"GET", "BINGET", "LONG_BINGET"}:
        if int(arg) not in memo:
            raise Malformed(f"{opcode} {arg} reads a memo slot never written")
        stack.append(memo[int(arg)])
    elif opcode == "DUP":
        if not stack or stack[-1] is MARK:
            raise Malformed("DUP with nothing to copy")
        stack.append(stack[-1])
    else:
        return False
    return True


# --- Your part ------------------------------------------------------------------------


def scan_pickle(data: bytes, allow: set[tuple[str, str]]) -> list[Finding]:
    """Every import and call in `data` that `allow` does not cover; never unpickles."""
    # TODO: findings, stack and memo; walk pickletools.genops(data) inside try/except.
    # TODO: strings, memo (follow_memo), imports (GLOBAL, STACK_GLOBAL, EXT*, INST).
    # TODO: calls (REDUCE, NEWOBJ, NEWOBJ_EX, OBJ, INST); everything else: apply_stack_effect.
    # TODO: on Malformed or any parse error, add Finding("malformed", "", "") and stop.
    raise NotImplementedError("TODO: implement scan_pickle")
