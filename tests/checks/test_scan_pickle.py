"""Hidden checks for `scan_pickle`.

No check ever unpickles anything. The "malicious" pickles are made in two harmless ways:

- `pickle.dumps` of an object whose `__reduce__` returns a stand-in for `os.system`: the
  function `system` of a throw-away module named `aisec_fake_os`, registered in
  `sys.modules` only while the pickle is written. Loading such a pickle would merely fail
  to import `aisec_fake_os`.
- opcodes written by hand with the helpers below, to reach the tricks the standard pickler
  never produces (memo indirection, OBJ, INST, extension codes, broken streams).
"""

from __future__ import annotations

import collections
import pickle
import random
import struct
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

FAKE = ("aisec_fake_os", "system")
ORDERED_DICT = ("collections", "OrderedDict")
ALLOW = {ORDERED_DICT}
DANGER = "Loading this pickle would run that code before your program sees a single tensor."


# --------------------------------------------------------------------------
# Building test pickles
# --------------------------------------------------------------------------


@contextmanager
def _fake_os() -> Iterator[types.ModuleType]:
    """A throw-away module `aisec_fake_os` with a harmless `system` and a class `Payload`."""
    module = types.ModuleType("aisec_fake_os")

    def system(command: str) -> str:
        return command

    class Payload:
        def __init__(self) -> None:
            self.cmd = "echo hello"

    system.__module__ = Payload.__module__ = "aisec_fake_os"
    system.__qualname__ = "system"
    Payload.__qualname__ = "Payload"
    module.system = system
    module.Payload = Payload
    sys.modules["aisec_fake_os"] = module
    try:
        yield module
    finally:
        del sys.modules["aisec_fake_os"]


class _RunsCommand:
    """Pickles as a call to aisec_fake_os.system("echo pwned"), like a real payload."""

    def __reduce__(self):
        return (sys.modules["aisec_fake_os"].system, ("echo pwned",))


def _s(text: str) -> bytes:
    """SHORT_BINUNICODE: push a str (protocol 4+)."""
    raw = text.encode("utf-8")
    return b"\x8c" + bytes([len(raw)]) + raw


P4 = b"\x80\x04"  # PROTO 4
MEMOIZE, POP, STACK_GLOBAL, REDUCE, STOP = b"\x94", b"0", b"\x93", b"R", b"."
CALL_WITH_X = _s("x") + b"\x85" + REDUCE  # push ("x",) and REDUCE


def _binget(index: int) -> bytes:
    return b"h" + bytes([index])


def _long_binget(index: int) -> bytes:
    return b"j" + struct.pack("<I", index)


def _stack_global(module: str, name: str) -> bytes:
    return P4 + _s(module) + _s(name) + STACK_GLOBAL + CALL_WITH_X + STOP


# --------------------------------------------------------------------------
# Reading the learner's answer
# --------------------------------------------------------------------------


def _scan(exercise, data: bytes, allow: set[tuple[str, str]], label: str) -> list[tuple]:
    """scan_pickle's findings as (kind, module, name) tuples, after checking their type."""
    got = exercise.scan_pickle(data, allow)
    assert isinstance(got, list), (
        f"scan_pickle(<{label}>) returned a {type(got).__name__}, expected a list of Finding."
    )
    for item in got:
        assert isinstance(item, exercise.Finding), (
            f"scan_pickle(<{label}>) returned {item!r} in its list, expected Finding(kind, "
            "module, name, detail) objects (the NamedTuple defined in the starter)."
        )
    return [(f.kind, f.module, f.name) for f in got]


def _expect(exercise, data: bytes, allow, label: str, expected: list[tuple], why: str) -> None:
    got = _scan(exercise, data, allow, label)
    assert got == expected, (
        f"scan_pickle(<{label}>, allow={sorted(allow)!r}) gave (kind, module, name) "
        f"{got!r}, expected {expected!r}. {why}"
    )


# --------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------


def test_plain_data_has_no_findings(exercise):
    """Reports nothing for plain data in every protocol from 0 to 5"""
    data = {"weights": [0.5, -1.25, 3.0], "name": "tiny", "layers": (1, 2, 3),
            "ok": True, "missing": None, "nested": {"a": [{"b": "c"}] * 2}}
    for protocol in range(6):
        pickled = pickle.dumps(data, protocol=protocol)
        for allow in (set(), ALLOW):
            _expect(
                exercise, pickled, allow, f"a dict of numbers and strings, protocol {protocol}",
                [],
                "Dicts, lists, tuples, strings, numbers, True and None are built by opcodes "
                "that import nothing and call nothing. A scanner that cries wolf on plain data "
                "gets switched off.",
            )


def test_reduce_payload_in_every_protocol(exercise):
    """Finds a __reduce__ payload's import and call in protocols 0, 2, 4 and 5"""
    with _fake_os():
        for protocol in (0, 2, 4, 5):
            pickled = pickle.dumps(_RunsCommand(), protocol=protocol)
            opcode = "GLOBAL" if protocol < 4 else "two strings and STACK_GLOBAL"
            _expect(
                exercise, pickled, ALLOW,
                f"pickle.dumps of an object whose __reduce__ returns aisec_fake_os.system, "
                f"protocol {protocol}",
                [("import", *FAKE), ("call", *FAKE)],
                f"Protocol {protocol} imports the function with {opcode}, then REDUCE calls it "
                "with ('echo pwned',); aisec_fake_os.system stands in for os.system. Report the "
                "import, then the call. (pickle.dumps stores strings and globals in the memo as "
                "it goes, with MEMOIZE or PUT: follow_memo must see those opcodes, or the "
                f"values on your stack become UNKNOWN_VALUE.) {DANGER}",
            )


def test_allow_listed_globals_pass(exercise):
    """Lets allow-listed globals through, and reports them when the allow-list is empty"""
    value = collections.OrderedDict(w=[1.0, 2.0])
    for protocol in range(6):
        pickled = pickle.dumps(value, protocol=protocol)
        label = f"pickle.dumps(OrderedDict(w=[1.0, 2.0]), protocol={protocol})"
        _expect(
            exercise, pickled, ALLOW, label, [],
            "collections.OrderedDict is on the allow-list, so neither its import nor the "
            "REDUCE that calls it is a finding. PyTorch state dicts are OrderedDicts; an "
            "allow-list of the few globals real checkpoints need is how a scanner stays quiet "
            "on good files.",
        )
        _expect(
            exercise, pickled, set(), label, [("import", *ORDERED_DICT), ("call", *ORDERED_DICT)],
            "With an empty allow-list, every import and every call of an imported global is a "
            "finding: the scanner denies by default.",
        )


def test_allow_list_matches_exact_pairs(exercise):
    """Compares (module, name) pairs exactly: no prefixes, no look-alikes"""
    allow = {ORDERED_DICT, ("builtins", "print")}
    for module, name, what in (
        ("builtins", "getattr", "another name in an allowed module"),
        ("collections", "OrderedDict.fromkeys", "a dotted name below an allowed class"),
        ("collections.abc", "OrderedDict", "a module that starts with an allowed module"),
        ("Collections", "OrderedDict", "a capital C"),
        ("collections", "OrderedDict ", "a trailing space"),
        ("aisec_fake_os", "print", "an allowed name in another module"),
    ):
        _expect(
            exercise, _stack_global(module, name), allow,
            f"a protocol-4 pickle that imports and calls {module}.{name}",
            [("import", module, name), ("call", module, name)],
            f"That is {what}. Only the exact (module, name) pairs in the allow-list pass: "
            "protocol 4 resolves dotted names attribute by attribute, and one allowed name "
            "says nothing about its neighbours. " + DANGER,
        )


def test_follows_the_memo(exercise):
    """Follows values stored in the memo and fetched again with GET, BINGET or LONG_BINGET"""
    decoys = _s("collections") + _s("OrderedDict") + POP + POP
    cases = [
        (
            P4 + _s(FAKE[0]) + MEMOIZE + _s(FAKE[1]) + MEMOIZE + POP + POP + decoys
            + _binget(0) + _binget(1) + STACK_GLOBAL + CALL_WITH_X + STOP,
            "the strings 'aisec_fake_os' and 'system' are memoized, popped, and fetched back "
            "with BINGET just before STACK_GLOBAL; the last strings pushed in the stream are "
            "the decoys 'collections' and 'OrderedDict'",
        ),
        (
            P4 + _s(FAKE[0]) + b"r\x10\x27\x00\x00" + _s(FAKE[1]) + b"r\x11\x27\x00\x00"
            + POP + POP + decoys + _long_binget(10000) + _long_binget(10001)
            + STACK_GLOBAL + CALL_WITH_X + STOP,
            "the two strings are stored with LONG_BINPUT in slots 10000 and 10001 and fetched "
            "with LONG_BINGET",
        ),
        (
            b"caisec_fake_os\nsystem\np7\n0ccollections\nOrderedDict\n0g7\n(Vx\ntR.",
            "protocol 0: the global is stored with PUT 7, the decoy OrderedDict is imported "
            "last, and GET 7 fetches the payload back for REDUCE",
        ),
    ]
    for pickled, how in cases:
        _expect(
            exercise, pickled, ALLOW, f"the hand-made pickle {pickled!r}",
            [("import", *FAKE), ("call", *FAKE)],
            f"Here {how}. Pickles refer back to earlier values through the memo, and the "
            "standard pickler does it all the time. Pass each opcode to "
            "follow_memo(opcode.name, arg, stack, memo) before the import and call branches "
            "(it stores the top of the stack on PUT/BINPUT/LONG_BINPUT/MEMOIZE and pushes it "
            "again on GET/BINGET/LONG_BINGET), "
            "and keep one memo dict for the whole scan. " + DANGER,
        )

    with _fake_os():
        pickled = pickle.dumps([_RunsCommand(), collections.OrderedDict(), _RunsCommand()], 4)
    _expect(
        exercise, pickled, ALLOW,
        "pickle.dumps([payload, OrderedDict(), payload], protocol=4)",
        [("import", *FAKE), ("call", *FAKE), ("call", *FAKE)],
        "The pickler imports aisec_fake_os.system once, then OrderedDict, and for the second "
        "payload fetches the memoized system function with BINGET before REDUCE. The last "
        "global imported is OrderedDict, but the second REDUCE calls system again: work out "
        "each call's callable from the stack, not from the latest import.",
    )


def test_reports_every_kind_of_call(exercise):
    """Reports the calls made by INST, OBJ, NEWOBJ and NEWOBJ_EX, not only REDUCE"""
    cases = [
        (b"(Vecho pwned\niaisec_fake_os\nsystem\n.",
         "INST (protocol 0) names a class on its own line and calls it with the items above MARK"),
        (b"(caisec_fake_os\nsystem\nVecho pwned\no.",
         "OBJ (protocol 1) calls the first item above MARK with the rest"),
        (b"\x80\x02caisec_fake_os\nsystem\n)\x81.",
         "NEWOBJ (protocol 2) calls cls.__new__(cls, *args) on the item below the arguments"),
        (P4 + _s(FAKE[0]) + _s(FAKE[1]) + STACK_GLOBAL + b")}\x92.",
         "NEWOBJ_EX (protocol 4) does the same with keyword arguments"),
    ]
    for pickled, how in cases:
        _expect(
            exercise, pickled, ALLOW, f"the hand-made pickle {pickled!r}",
            [("import", *FAKE), ("call", *FAKE)],
            f"{how}; the callable is aisec_fake_os.system. Every opcode that calls something "
            "is a way to run code. " + DANGER,
        )
    with _fake_os() as module:
        for protocol in (2, 4):
            pickled = pickle.dumps(module.Payload(), protocol=protocol)
            _expect(
                exercise, pickled, ALLOW,
                f"pickle.dumps of an instance of aisec_fake_os.Payload, protocol {protocol}",
                [("import", "aisec_fake_os", "Payload"), ("call", "aisec_fake_os", "Payload")],
                "The standard pickler rebuilds an instance with NEWOBJ on its class, then BUILD "
                "with its __dict__. The class is imported and called: both are findings.",
            )


def test_fails_closed_on_what_it_cannot_name(exercise):
    """Reports "?" for imports and calls it cannot name, instead of ignoring them"""
    cases = [
        (P4 + b"K\x01K\x02" + STACK_GLOBAL + CALL_WITH_X + STOP,
         [("import", "?", "?"), ("call", "?", "?")],
         "STACK_GLOBAL takes two integers instead of two strings, so the scanner cannot name "
         "the import (here the real unpickler would fail, but a module name built by an "
         "earlier call would work just as well and be just as hard to read)"),
        (b"\x80\x02\x82\x01)R.",
         [("import", "?", "?"), ("call", "?", "?")],
         "EXT1 imports whatever global has number 1 in copyreg's extension registry: an "
         "import without a name"),
        (P4 + _s(ORDERED_DICT[0]) + _s(ORDERED_DICT[1]) + STACK_GLOBAL + b")R)R.",
         [("call", "?", "?")],
         "an allowed OrderedDict is called, and then its RESULT is called: that second callable "
         "is not a global at all"),
    ]
    for pickled, expected, how in cases:
        _expect(
            exercise, pickled, ALLOW, f"the hand-made pickle {pickled!r}", expected,
            f"Here {how}. An allow-list scanner must fail closed: report module '?' and name "
            "'?' when it cannot tell what is imported or called. Treating 'unknown' as 'fine' "
            "is exactly the gap attackers look for.",
        )


def test_malformed_input_never_raises(exercise):
    """Reports a "malformed" finding for empty, truncated or garbage data instead of raising"""
    with _fake_os():
        payload = pickle.dumps(_RunsCommand(), protocol=4)
    plain = pickle.dumps({"w": [1.5, 2.5], "name": "x" * 40}, protocol=4)
    rng = random.Random(20250206)
    cases = [(b"", "empty input"), (b"hello world", "text"), (b"\x80\x04", "just PROTO 4")]
    cases += [(plain[:cut], f"a valid pickle cut after {cut} bytes") for cut in (1, 5, 12, 20)]
    cases += [(plain[:-1], "a valid pickle without its final STOP")]
    cases += [(bytes(rng.randrange(256) for _ in range(40)), f"random bytes #{i}")
              for i in range(5)]
    cases += [
        (b"\x80\x04R.", "REDUCE on an empty stack"),
        (b"\x80\x04h\x05.", "BINGET of a memo slot that was never written"),
        (b"\x80\x04t.", "TUPLE without a MARK"),
    ]
    for data, what in cases:
        got = _scan(exercise, data, ALLOW, what)
        assert got and got[-1][0] == "malformed", (
            f"scan_pickle({data!r:.80}, ...) gave {got!r}, expected the list to end with a "
            f"('malformed', '', '') finding: {what} is not a complete, consistent pickle. "
            "Catch the ValueError that pickletools.genops raises and the Malformed that the "
            "given helpers raise (a pop from an empty stack, a missing MARK, a memo slot never "
            "written), and add one malformed finding for either. A scanner "
            "that crashes on bad input stops the pipeline, or worse, gets wrapped in a "
            "try/except that waves the file through."
        )
        assert all(kind != "malformed" for kind, _, _ in got[:-1]), (
            f"scan_pickle({data!r:.80}, ...) gave {got!r}: report one 'malformed' finding, "
            "at the end, and stop scanning there."
        )

    broken = payload[:-1] + b"\xff\xff\xff"
    _expect(
        exercise, broken, ALLOW,
        "the aisec_fake_os.system payload with its STOP replaced by garbage",
        [("import", *FAKE), ("call", *FAKE), ("malformed", "", "")],
        "The unpickler executes REDUCE as soon as it reads it, long before it notices the "
        "broken end, so the payload runs anyway. This is the 'nullifAI' trick ReversingLabs "
        "found on Hugging Face in 2025: a broken pickle with the payload at the start. Keep "
        "every finding made before the damage, then add the malformed one.",
    )
