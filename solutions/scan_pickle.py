"""Reference solution for `scan_pickle`: what a pickle would import and call, without loading it."""

from __future__ import annotations

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


# --- The stack machine model (given in the starter) ---------------------------------


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


# --- The scanner ----------------------------------------------------------------------


def scan_pickle(data: bytes, allow: set[tuple[str, str]]) -> list[Finding]:
    """Every import and call in `data` that `allow` does not cover; never unpickles."""
    findings: list[Finding] = []
    stack: list[object] = []
    memo: dict[int, object] = {}

    def imported(module: str, name: str, opcode: str) -> Global:
        if (module, name) not in allow:
            findings.append(Finding("import", module, name, f"{opcode} imports it"))
        return Global(module, name)

    def called(callee: object, opcode: str) -> None:
        if isinstance(callee, Global):
            if (callee.module, callee.name) not in allow:
                findings.append(Finding("call", callee.module, callee.name, f"{opcode} calls it"))
        else:
            # Not a global we know (the result of an earlier call, say): fail closed.
            findings.append(Finding("call", UNKNOWN, UNKNOWN, f"{opcode} calls an unknown value"))

    try:
        for op, arg, _pos in pickletools.genops(data):
            name = op.name
            if name in STRING_OPCODES:
                stack.append(arg)
            elif follow_memo(name, arg, stack, memo):
                pass
            elif name == "GLOBAL":
                # pickletools gives "module name" (two lines of the pickle, joined by a space).
                module, _, attr = str(arg).partition(" ")
                stack.append(imported(module, attr, name))
            elif name == "STACK_GLOBAL":
                module, attr = pop(stack, 2)
                if isinstance(module, str) and isinstance(attr, str):
                    stack.append(imported(module, attr, name))
                else:
                    # Built at run time or hidden some other way: we cannot name it.
                    findings.append(Finding("import", UNKNOWN, UNKNOWN, "unresolved STACK_GLOBAL"))
                    stack.append(UNKNOWN_VALUE)
            elif name in EXT_OPCODES:
                # An import by number from copyreg's extension registry: no name to check.
                findings.append(Finding("import", UNKNOWN, UNKNOWN, f"{name} code {arg}"))
                stack.append(UNKNOWN_VALUE)
            elif name == "INST":
                # Imports a class by name and calls it with the items above the mark.
                module, _, attr = str(arg).partition(" ")
                callee = imported(module, attr, name)
                pop_to_mark(stack)
                called(callee, name)
                stack.append(UNKNOWN_VALUE)
            elif name == "OBJ":
                items = pop_to_mark(stack)  # the class, then its arguments
                if not items:
                    raise Malformed("OBJ without a class above the mark")
                called(items[0], name)
                stack.append(UNKNOWN_VALUE)
            elif name in ("REDUCE", "NEWOBJ", "NEWOBJ_EX"):
                # REDUCE: callable, args. NEWOBJ: cls, args. NEWOBJ_EX: cls, args, kwargs.
                items = pop(stack, 3 if name == "NEWOBJ_EX" else 2)
                called(items[0], name)
                stack.append(UNKNOWN_VALUE)
            else:
                apply_stack_effect(op, stack)
    except Malformed as exc:
        findings.append(Finding("malformed", "", "", str(exc)))
    except Exception as exc:  # genops raises ValueError (and subclasses) on bad input
        # Keep what was found so far: the unpickler runs REDUCE as it reads, so code
        # before the broken part would already have run (this is how nullifAI worked).
        findings.append(Finding("malformed", "", "", f"cannot parse: {exc}"))
    return findings
