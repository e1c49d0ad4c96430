"""Reference solution for `scan_pickle`: what a pickle would import and call, without loading it."""

from __future__ import annotations

import pickletools
from typing import NamedTuple


class Finding(NamedTuple):
    """One thing the scanner reports. `kind` is "import", "call" or "malformed"."""

    kind: str
    module: str
    name: str
    detail: str = ""


UNKNOWN = "?"

# Opcodes that push a text string. STRING, BINSTRING and SHORT_BINSTRING are the
# protocol 0-2 forms; the unpickler turns them into str by default, so a STACK_GLOBAL
# can take its module name from them as well.
_STRING_OPS = frozenset({
    "UNICODE", "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8",
    "STRING", "BINSTRING", "SHORT_BINSTRING",
})
_PUT_OPS = frozenset({"PUT", "BINPUT", "LONG_BINPUT"})
_GET_OPS = frozenset({"GET", "BINGET", "LONG_BINGET"})
_EXT_OPS = frozenset({"EXT1", "EXT2", "EXT4"})
# Where each calling opcode finds its callable: that many items below the top of the stack.
_CALL_DEPTH = {"REDUCE": 2, "NEWOBJ": 2, "NEWOBJ_EX": 3}


class _Global(NamedTuple):
    """A stack value we know to be the global `module.name`."""

    module: str
    name: str


class _Unknown:
    """A stack value we do not track (a number, a list, the result of a call...)."""


class _Mark:
    """The marker MARK pushes; TUPLE, LIST, DICT, OBJ... pop down to it."""


_UNKNOWN_VALUE = _Unknown()
_MARK = _Mark()


class _Malformed(Exception):
    """The opcode stream does not make sense; the unpickler would fail here."""


def _pop(stack: list[object], count: int) -> None:
    if count > len(stack):
        raise _Malformed(f"pops {count} item(s) from a stack of {len(stack)}")
    del stack[len(stack) - count :]


def _top_mark(stack: list[object]) -> int:
    """Index of the topmost MARK on the stack."""
    for index in range(len(stack) - 1, -1, -1):
        if stack[index] is _MARK:
            return index
    raise _Malformed("no MARK on the stack")


def _apply_stack_effect(op: pickletools.OpcodeInfo, stack: list[object]) -> None:
    """Pop what `op` consumes and push an unknown value for each thing it produces.

    pickletools describes every opcode's effect (stack_before / stack_after), so one
    generic rule covers the 60-odd opcodes we do not need to understand in detail.
    """
    before = op.stack_before
    if pickletools.markobject in before:
        below_mark = before.index(pickletools.markobject)
        del stack[_top_mark(stack) :]  # the mark and everything above it
        _pop(stack, below_mark)
    else:
        _pop(stack, len(before))
    for produced in op.stack_after:
        stack.append(_MARK if produced is pickletools.markobject else _UNKNOWN_VALUE)


def _callable_finding(callee: object, allow: set[tuple[str, str]], opcode: str) -> Finding | None:
    """A "call" finding unless `callee` is an allow-listed global."""
    if isinstance(callee, _Global):
        if (callee.module, callee.name) in allow:
            return None
        return Finding("call", callee.module, callee.name, f"{opcode} calls it")
    # We cannot tell what is being called: fail closed.
    return Finding("call", UNKNOWN, UNKNOWN, f"{opcode} calls something that is not a known global")


def scan_pickle(data: bytes, allow: set[tuple[str, str]]) -> list[Finding]:
    """Every import and call in `data` that `allow` does not cover; never unpickles."""
    findings: list[Finding] = []
    stack: list[object] = []
    memo: dict[int, object] = {}

    def report_import(module: str, name: str, opcode: str) -> _Global:
        if (module, name) not in allow:
            findings.append(Finding("import", module, name, f"{opcode} imports it"))
        return _Global(module, name)

    try:
        for op, arg, _pos in pickletools.genops(data):
            name = op.name
            if name in _STRING_OPS:
                stack.append(arg)
            elif name == "GLOBAL":
                # pickletools gives "module name" (two lines of the pickle, joined by a space).
                module, _, attr = arg.partition(" ")
                stack.append(report_import(module, attr, name))
            elif name == "STACK_GLOBAL":
                if len(stack) < 2:
                    raise _Malformed("STACK_GLOBAL needs a module and a name on the stack")
                module, attr = stack[-2], stack[-1]
                del stack[-2:]
                if isinstance(module, str) and isinstance(attr, str):
                    stack.append(report_import(module, attr, name))
                else:
                    # Built at run time or hidden some other way: we cannot name it.
                    findings.append(Finding("import", UNKNOWN, UNKNOWN,
                                            "STACK_GLOBAL with names the scanner cannot resolve"))
                    stack.append(_UNKNOWN_VALUE)
            elif name in _EXT_OPS:
                # An import by number from copyreg's extension registry: no name to check.
                findings.append(Finding("import", UNKNOWN, UNKNOWN, f"{name} extension code {arg}"))
                stack.append(_UNKNOWN_VALUE)
            elif name == "INST":
                # Imports a class by name and calls it with the items above the mark.
                module, _, attr = arg.partition(" ")
                callee = report_import(module, attr, name)
                del stack[_top_mark(stack) :]
                if (found := _callable_finding(callee, allow, name)) is not None:
                    findings.append(found)
                stack.append(_UNKNOWN_VALUE)
            elif name == "OBJ":
                mark = _top_mark(stack)
                if mark + 1 >= len(stack):
                    raise _Malformed("OBJ without a class above the mark")
                if (found := _callable_finding(stack[mark + 1], allow, name)) is not None:
                    findings.append(found)
                del stack[mark:]
                stack.append(_UNKNOWN_VALUE)
            elif name in _CALL_DEPTH:
                depth = _CALL_DEPTH[name]
                if len(stack) < depth:
                    raise _Malformed(f"{name} with only {len(stack)} item(s) on the stack")
                if (found := _callable_finding(stack[-depth], allow, name)) is not None:
                    findings.append(found)
                _pop(stack, depth)
                stack.append(_UNKNOWN_VALUE)
            elif name in _PUT_OPS or name == "MEMOIZE":
                # The memo is how pickles refer back to earlier values. Track it, or a
                # name stored early and fetched later with BINGET slips past the scanner.
                if not stack or stack[-1] is _MARK:
                    raise _Malformed(f"{name} with nothing to store")
                memo[len(memo) if name == "MEMOIZE" else int(arg)] = stack[-1]
            elif name in _GET_OPS:
                if int(arg) not in memo:
                    raise _Malformed(f"{name} {arg} reads a memo slot never written")
                stack.append(memo[int(arg)])
            elif name == "DUP":
                if not stack or stack[-1] is _MARK:
                    raise _Malformed("DUP with nothing to copy")
                stack.append(stack[-1])
            else:
                _apply_stack_effect(op, stack)
    except _Malformed as exc:
        findings.append(Finding("malformed", "", "", str(exc)))
    except Exception as exc:  # genops raises ValueError (and subclasses) on bad input
        # Keep what was found so far: the unpickler runs REDUCE as it reads, so code
        # before the broken part would already have run (this is how nullifAI worked).
        findings.append(Finding("malformed", "", "", f"cannot parse: {exc}"))
    return findings
