"""scan_pickle against Python's own unpickler, made harmless.

pickletools can list opcodes but cannot say what a pickle would import and call; the
unpickler can. Here ``pickle.Unpickler`` runs each generated pickle with a ``find_class``
that imports nothing: every global becomes a stand-in class that records when it is
looked up and when it is called (through REDUCE, NEWOBJ, NEWOBJ_EX, OBJ or INST), and
whatever a call returns records being called in turn. Nothing real is imported, and no
real function runs.

The scanner (with an empty allow-list) must be sound against that oracle: every global
the unpickler looked up is an "import" finding, every call it made is a "call" finding
(named, or "?" for a value that is not a global), in the same order; and a pickle the
unpickler read to the end without error is not "malformed". The scanner may report more
than the unpickler did (it reads on past a failing call, and it is stricter about
broken streams), never less.
"""

from __future__ import annotations

import io
import pickle
import struct
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from reference import load_solution

solution = load_solution("scan_pickle")

# Told to learners in the starter too ("may report more than a real load would run").
DIFFERENCES = {
    "more findings": "The scanner keeps reading after an opcode the unpickler would fail on "
    "(a call whose stand-in raised, say), so it may report imports and calls the unpickler "
    "never reached. Over-reporting is safe; the test only requires the unpickler's events "
    "to appear, in order, among the findings.",
}


# --------------------------------------------------------------------------- the oracle


class _Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []


def _opaque(recorder: _Recorder) -> object:
    class Opaque:
        """A value returned by a call: calling it is a call of something unnamed."""

        def __call__(self, *args: Any, **kwargs: Any) -> object:
            recorder.events.append(("call", "?", "?"))
            return _opaque(recorder)

    return Opaque()


def _stand_in(recorder: _Recorder, module: str, name: str) -> type:
    """A class that records calls to it, whichever way the unpickler makes them."""

    class Meta(type):
        def __call__(cls, *args: Any, **kwargs: Any) -> object:  # REDUCE, OBJ, INST
            recorder.events.append(("call", module, name))
            return _opaque(recorder)

    def new(cls: type, *args: Any, **kwargs: Any) -> object:  # NEWOBJ, NEWOBJ_EX, OBJ
        recorder.events.append(("call", module, name))
        return _opaque(recorder)

    return Meta("StandIn", (), {"__new__": new})


class _HarmlessUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, recorder: _Recorder) -> None:
        super().__init__(io.BytesIO(data))
        self.recorder = recorder

    def find_class(self, module: str, name: str) -> Any:
        self.recorder.events.append(("import", module, name))
        return _stand_in(self.recorder, module, name)


def oracle(data: bytes) -> tuple[list[tuple[str, str, str]], bool]:
    """(what the unpickler imported and called, whether it read the whole pickle)."""
    recorder = _Recorder()
    try:
        _HarmlessUnpickler(data, recorder).load()
    except Exception:
        return recorder.events, False
    return recorder.events, True


def compare(data: bytes) -> None:
    events, completed = oracle(data)
    findings = [(f.kind, f.module, f.name) for f in solution.scan_pickle(data, set())]
    remaining = iter(findings)
    for event in events:
        assert any(finding == event for finding in remaining), (
            f"the unpickler did {event} but the scanner's findings {findings} miss it "
            f"(or give it out of order), for {data!r}"
        )
    if completed:
        assert ("malformed", "", "") not in findings, (
            f"the unpickler read {data!r} to the end, the scanner says malformed: {findings}"
        )


# --------------------------------------------------------------------------- generated pickles


def _s(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"\x8c" + bytes([len(raw)]) + raw  # SHORT_BINUNICODE


NAMES = ["os", "system", "builtins", "eval", "collections", "OrderedDict", "x", ""]
FRAGMENTS = st.one_of(
    st.sampled_from(NAMES).map(_s),
    st.sampled_from(NAMES).map(lambda n: b"X" + struct.pack("<I", len(n)) + n.encode()),
    st.sampled_from(NAMES).map(lambda n: b"V" + n.encode() + b"\n"),  # UNICODE
    st.sampled_from(NAMES).map(lambda n: b"U" + bytes([len(n)]) + n.encode()),  # SHORT_BINSTRING
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)).map(
        lambda mn: b"c" + mn[0].encode() + b"\n" + mn[1].encode() + b"\n"),  # GLOBAL
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)).map(
        lambda mn: b"i" + mn[0].encode() + b"\n" + mn[1].encode() + b"\n"),  # INST
    st.integers(0, 6).map(lambda i: b"q" + bytes([i])),  # BINPUT
    st.integers(0, 6).map(lambda i: b"h" + bytes([i])),  # BINGET
    st.integers(0, 6).map(lambda i: b"p" + str(i).encode() + b"\n"),  # PUT
    st.integers(0, 6).map(lambda i: b"g" + str(i).encode() + b"\n"),  # GET
    st.integers(0, 300).map(lambda i: b"r" + struct.pack("<I", i)),  # LONG_BINPUT (small)
    st.integers(0, 300).map(lambda i: b"j" + struct.pack("<I", i)),  # LONG_BINGET
    st.integers(0, 255).map(lambda i: b"K" + bytes([i])),  # BININT1
    st.integers(1, 3).map(lambda i: b"\x82" + bytes([i])),  # EXT1 (nothing registered)
    st.sampled_from([
        b"\x94",  # MEMOIZE
        b"\x93",  # STACK_GLOBAL
        b"R",  # REDUCE
        b"\x81",  # NEWOBJ
        b"\x92",  # NEWOBJ_EX
        b"o",  # OBJ
        b"(",  # MARK
        b"t", b")", b"\x85", b"\x86", b"\x87",  # TUPLE, EMPTY_TUPLE, TUPLE1-3
        b"]", b"a", b"e", b"l",  # EMPTY_LIST, APPEND, APPENDS, LIST
        b"}", b"s", b"u", b"d",  # EMPTY_DICT, SETITEM, SETITEMS, DICT
        b"0", b"1", b"2",  # POP, POP_MARK, DUP
        b"N", b"\x88", b"\x89",  # NONE, NEWTRUE, NEWFALSE
        b"b",  # BUILD
    ]),
)


# Whole gadgets, so that many generated pickles really import and call something.
IMPORTS = st.one_of(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)).map(
        lambda mn: b"c" + mn[0].encode() + b"\n" + mn[1].encode() + b"\n"),  # GLOBAL
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from([b"", b"\x94"])).map(
        lambda mnm: _s(mnm[0]) + mnm[2] + _s(mnm[1]) + mnm[2] + b"\x93"),  # STACK_GLOBAL
)
CALLS = st.sampled_from([b")R", b"K\x01\x85R", b")\x81", b")}\x92", b"N\x85\x81", b")R)R"])
GADGETS = st.one_of(
    st.tuples(IMPORTS, CALLS).map(b"".join),
    IMPORTS.map(lambda imported: b"(" + imported + b"K\x01o"),  # OBJ
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)).map(
        lambda mn: b"(K\x01i" + mn[0].encode() + b"\n" + mn[1].encode() + b"\n"),  # INST
)


@st.composite
def opcode_soup(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from([b"", b"\x80\x02", b"\x80\x04", b"\x80\x05"]))
    body = b"".join(draw(st.lists(FRAGMENTS | GADGETS, max_size=16)))
    return header + body + draw(st.sampled_from([b".", b"", b".junk"]))


@settings(max_examples=300)
@given(opcode_soup())
def test_sound_on_generated_opcode_sequences(data: bytes) -> None:
    compare(data)


# Valid pickles of objects that import and call, through every protocol.
class _Payload:
    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Any, ...]:
        return (print, (self.target,))


PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5)
    | st.builds(_Payload, st.text(max_size=3)),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=3), children, max_size=3)
    | st.tuples(children, children),
    max_leaves=8,
)


@settings(max_examples=150)
@given(PLAIN, st.integers(0, 5), st.integers(0, 40), st.data())
def test_sound_on_real_pickles_and_their_prefixes(value: object, protocol: int, cut: int,
                                                  data: st.DataObject) -> None:
    pickled = pickle.dumps(value, protocol=protocol)
    compare(pickled)
    compare(pickled[: max(0, len(pickled) - cut)])
    index = data.draw(st.integers(0, len(pickled) - 1))
    compare(pickled[:index] + b"\xff" + pickled[index + 1 :])
