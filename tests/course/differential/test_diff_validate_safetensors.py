"""validate_safetensors against the safetensors library (its Rust reader, through Python).

Valid files are written by ``safetensors.serialize`` from generated tensors of every dtype
it can write (the two F6 types, which ``serialize`` cannot write, are laid out by hand),
then mutated: the length field, the JSON text, offsets, overlaps, gaps, dtypes, shapes,
huge numbers, deep nesting, duplicate keys, ``__metadata__``, stray bytes. On every input
the reference solution must accept exactly when ``safetensors.deserialize`` does, return
the header the library read, and raise nothing but InvalidSafetensors.

Found on the way: safetensors 0.8.0's ``serialize({}, metadata={})`` writes a header its own
reader refuses (``{},"__metadata__":{}}``; upstream PR safetensors/safetensors#761). Both
readers refuse that file, so it takes part in the comparison like any other.
"""

from __future__ import annotations

import ctypes
import json
import struct
from typing import Any

import pytest
import safetensors
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import load_solution, load_starter_docstring

solution = load_solution("validate_safetensors")

# Where the exercise is stricter than the library on purpose (told in the starter too).
DIFFERENCES = {
    "leading whitespace": "The README says the header MUST begin with '{'; the library's JSON "
    "parser skips leading whitespace. The exercise refuses it.",
    "duplicate keys": "The README disallows duplicate keys and warns that not all parsers "
    "respect this; the library keeps the last duplicate tensor or metadata key. The "
    "exercise refuses any duplicate, so that two readers cannot see different tensors.",
    "extra tensor keys": "The JSON schema (additionalProperties: false) allows only dtype, "
    "shape and data_offsets; the library ignores other keys. The exercise refuses them.",
    "null metadata": 'The schema wants __metadata__ to be an object; the library reads '
    '"__metadata__": null as no metadata. The exercise refuses it.',
}

# safetensors.serialize's dtype names (TensorSpec) and the header names they become.
WRITABLE = {
    "bool": ("BOOL", 8), "int8": ("I8", 8), "uint8": ("U8", 8), "int16": ("I16", 16),
    "uint16": ("U16", 16), "int32": ("I32", 32), "uint32": ("U32", 32), "int64": ("I64", 64),
    "uint64": ("U64", 64), "float16": ("F16", 16), "float32": ("F32", 32),
    "float64": ("F64", 64), "bfloat16": ("BF16", 16), "float8_e4m3fn": ("F8_E4M3", 8),
    "float8_e4m3fnuz": ("F8_E4M3FNUZ", 8), "float8_e5m2": ("F8_E5M2", 8),
    "float8_e5m2fnuz": ("F8_E5M2FNUZ", 8), "float8_e8m0fnu": ("F8_E8M0", 8),
    "float4_e2m1fn_x2": ("F4", 4), "complex64": ("C64", 64),
}
HAND_MADE = {"F6_E2M3": 6, "F6_E3M2": 6}  # in the format, but serialize cannot write them
ALL_BITS = {name: bits for name, bits in WRITABLE.values()} | HAND_MADE


# --------------------------------------------------------------------------- oracles


def library_header(data: bytes) -> dict[str, tuple[str, list[int], bytes]] | None:
    """What the library reads (name -> dtype, shape, data), or None when it refuses."""
    try:
        tensors = safetensors.deserialize(data)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # SafetensorError, and a Rust panic would surface here too
        return None
    return {name: (t["dtype"], list(t["shape"]), bytes(t["data"])) for name, t in tensors}


def solution_header(data: bytes) -> dict | None:
    """The solution's header, or None; any exception but InvalidSafetensors fails the test."""
    try:
        return solution.validate_safetensors(data)
    except solution.InvalidSafetensors:
        return None


def deliberate_difference(data: bytes) -> str | None:
    """The DIFFERENCES key this file falls under, if any (read leniently, never raises)."""
    if len(data) < 8:
        return None
    size = int.from_bytes(data[:8], "little")
    raw = data[8 : 8 + size]
    if size > len(data) - 8 or size > solution.MAX_HEADER_SIZE:
        return None
    if raw[:1] in (b" ", b"\t", b"\n", b"\r"):
        return "leading whitespace"
    duplicates: list[str] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        if len(set(keys)) != len(keys):
            duplicates.append("yes")
        return dict(pairs)

    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=hook)
    except (ValueError, RecursionError):
        return None
    if duplicates:
        return "duplicate keys"
    if not isinstance(header, dict):
        return None
    if "__metadata__" in header and header["__metadata__"] is None:
        return "null metadata"
    required = {"dtype", "shape", "data_offsets"}
    for name, info in header.items():
        if name != "__metadata__" and isinstance(info, dict) and required < set(info):
            return "extra tensor keys"
    return None


def compare(data: bytes) -> None:
    expected = library_header(data)
    got = solution_header(data)
    difference = deliberate_difference(data)
    if difference is not None:
        assert got is None, (
            f"{difference}: {DIFFERENCES[difference]} The solution accepted {data[:200]!r}"
        )
        return
    assert (got is None) == (expected is None), (
        f"the library {'refused' if expected is None else 'accepted'} and the solution "
        f"{'refused' if got is None else 'accepted'} {data[:300]!r}"
    )
    if got is None or expected is None:
        return
    size = int.from_bytes(data[:8], "little")
    buffer = data[8 + size :]
    tensors = {name: info for name, info in got.items() if name != "__metadata__"}
    assert set(tensors) == set(expected), f"tensor names differ: {sorted(tensors)} vs {expected}"
    for name, info in tensors.items():
        dtype, shape, payload = expected[name]
        begin, end = info["data_offsets"]
        assert (info["dtype"], info["shape"], buffer[begin:end]) == (dtype, shape, payload), (
            f"tensor {name!r}: solution {info!r}, library {(dtype, shape, payload)!r}"
        )


# --------------------------------------------------------------------------- valid files

names = st.text(st.characters(codec="utf-8"), max_size=12).filter(lambda s: s != "__metadata__")
shapes = st.lists(st.integers(0, 5), max_size=3)


@st.composite
def tensor_specs(draw: st.DrawFn) -> tuple[str, list[int]]:
    return draw(st.sampled_from(sorted(WRITABLE) + sorted(HAND_MADE))), draw(shapes)


def _write(tensors: dict[str, tuple[str, list[int]]], metadata: dict[str, str] | None,
           fill: int) -> bytes:
    """A file from the library's writer (or by hand when a dtype needs it)."""
    def by_hand(dtype: str, shape: list[int]) -> bool:
        # F4 is written packed, two values per byte: only a last dimension that is even fits.
        odd_f4 = dtype == "float4_e2m1fn_x2" and (not shape or shape[-1] % 2 == 1)
        return dtype in HAND_MADE or odd_f4

    if any(by_hand(dtype, shape) for dtype, shape in tensors.values()):
        return _write_by_hand(tensors, metadata, fill)
    keep_alive = []
    specs = {}
    for name, (dtype, shape) in tensors.items():
        header_name, bits = WRITABLE[dtype]
        storage = list(shape)
        if header_name == "F4":  # serialize takes the packed shape and doubles its last axis
            storage[-1] //= 2
            bits = 8
        count = 1
        for dim in storage:
            count *= dim
        payload = bytes((fill + i) % 256 for i in range(count * bits // 8))
        buffer = ctypes.create_string_buffer(payload, max(len(payload), 1))
        keep_alive.append(buffer)  # serialize reads through the raw pointer
        specs[name] = safetensors.TensorSpec(dtype=dtype, shape=storage,
                                             data_ptr=ctypes.addressof(buffer),
                                             data_len=len(payload))
    return safetensors.serialize(specs, metadata=metadata)


def _write_by_hand(tensors: dict[str, tuple[str, list[int]]], metadata: dict[str, str] | None,
                   fill: int) -> bytes:
    header: dict[str, Any] = {} if metadata is None else {"__metadata__": metadata}
    buffer = b""
    for name, (dtype, shape) in tensors.items():
        header_name = dtype if dtype in HAND_MADE else WRITABLE[dtype][0]
        count = 1
        for dim in shape:
            count *= dim
        bits = count * ALL_BITS[header_name]
        size = -(-bits // 8)  # rounded up: a sub-byte tensor may end mid-byte (both refuse)
        header[name] = {"dtype": header_name, "shape": shape,
                        "data_offsets": [len(buffer), len(buffer) + size]}
        buffer += bytes((fill + i) % 256 for i in range(size))
    raw = json.dumps(header).encode("utf-8")
    return struct.pack("<Q", len(raw)) + raw + buffer


files = st.builds(
    _write,
    st.dictionaries(names, tensor_specs(), max_size=5),
    st.none() | st.dictionaries(st.text(max_size=5), st.text(max_size=8), max_size=3),
    st.integers(0, 255),
)


@settings(max_examples=150)
@given(files)
def test_agrees_on_files_the_library_writes(data: bytes) -> None:
    compare(data)


# --------------------------------------------------------------------------- mutations


def _split(data: bytes) -> tuple[dict[str, Any], bytes] | None:
    size = int.from_bytes(data[:8], "little")
    try:
        return json.loads(data[8 : 8 + size]), data[8 + size :]
    except ValueError:
        return None  # safetensors 0.8.0 writes a broken header for serialize({}, metadata={})


def _join(header: Any, buffer: bytes) -> bytes:
    raw = json.dumps(header).encode("utf-8") if not isinstance(header, bytes) else header
    return struct.pack("<Q", len(raw)) + raw + buffer


ODD_VALUES = st.sampled_from([
    -1, 0, 1, 7, 2**63, 2**64 - 1, 2**64, 10**30, 1.0, 2.5, True, False, None, "8", [], {},
    [0], [0, 8, 8], float("nan"),
])
ODD_DTYPES = st.sampled_from(["f32", "F128", "F6", "F4 ", "", "U4", "Q8", *sorted(ALL_BITS)])


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(files)
    split = _split(data)
    if split is None:
        return data
    header, buffer = split
    tensors = [name for name in header if name != "__metadata__"]
    kind = draw(st.sampled_from([
        "length", "offset", "swap", "shape", "dtype", "odd value", "drop key", "extra key",
        "duplicate", "metadata", "buffer", "byte", "padding", "big number", "nesting",
    ]))
    if kind == "length":
        raw = data[8 : 8 + int.from_bytes(data[:8], "little")]
        length = draw(st.sampled_from([0, 1, len(raw) - 1, len(raw) + 1, 2**63, 2**64 - 1,
                                       len(data) - 8]))
        return struct.pack("<Q", max(length, 0)) + data[8:]
    if kind == "buffer":
        cut = draw(st.integers(0, max(len(buffer), 1)))
        extra = draw(st.binary(max_size=4))
        return _join(header, buffer[:cut] + extra + buffer[cut:])
    if kind == "byte":
        index = draw(st.integers(0, len(data) - 1))
        return data[:index] + bytes([draw(st.integers(0, 255))]) + data[index + 1 :]
    if kind == "padding":
        raw = json.dumps(header).encode()
        pad = draw(st.sampled_from([b" ", b"  \t", b"\n", b"\x00", b" " * 7]))
        where = draw(st.booleans())
        return _join(pad + raw if where else raw + pad, buffer)
    if kind == "nesting":
        depth = draw(st.sampled_from([3, 200, 5000, 100_000]))
        header["__metadata__"] = "PLACEHOLDER"
        raw = json.dumps(header).replace('"PLACEHOLDER"', "[" * depth + "]" * depth)
        return _join(raw.encode(), buffer)
    if kind == "big number":
        digits = draw(st.sampled_from(["9" * 25, "1" * 5000, "-0", "18446744073709551616",
                                       "18446744073709551615", "1e2", "-1"]))
        field = draw(st.sampled_from(["shape", "begin", "metadata"]))
        if field == "metadata" or not tensors:
            header["__metadata__"] = {"n": "PLACEHOLDER"}
        elif field == "shape":
            header[tensors[0]]["shape"] = [*header[tensors[0]]["shape"], "PLACEHOLDER"]
        else:
            header[tensors[0]]["data_offsets"][0] = "PLACEHOLDER"
        return _join(json.dumps(header).replace('"PLACEHOLDER"', digits).encode(), buffer)
    if kind == "duplicate":
        raw = json.dumps(header)
        if tensors:
            name = draw(st.sampled_from(tensors))
            entry = json.dumps({name: header[name]})[1:-1]
            raw = raw[:-1] + ", " + entry + "}"
        else:
            raw = '{"__metadata__": {"a": "b", "a": "c"}}'
        return _join(raw.encode(), buffer)
    if kind == "metadata":
        header["__metadata__"] = draw(st.sampled_from(
            [None, {}, {"a": 1}, {"a": None}, {"a": ["b"]}, "text", [], {"a": "b"}]))
        return _join(header, buffer)
    if not tensors:
        header[draw(names)] = {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}
        return _join(header, buffer)
    name = draw(st.sampled_from(tensors))
    info = header[name]
    if kind == "offset":
        which = draw(st.integers(0, 1))
        info["data_offsets"][which] += draw(st.sampled_from([-8, -2, -1, 1, 2, 4, 8]))
    elif kind == "swap":
        other = draw(st.sampled_from(tensors))
        info["data_offsets"], header[other]["data_offsets"] = (
            header[other]["data_offsets"], info["data_offsets"])
    elif kind == "shape":
        info["shape"] = draw(st.sampled_from([
            [], [0], [1], [2, 2], [3], [5, 0], [2**40, 2**40, 0], [2**64 - 1, 0],
            [*info["shape"], 1], [*info["shape"], 2], info["shape"][::-1],
        ]))
    elif kind == "dtype":
        info["dtype"] = draw(ODD_DTYPES)
    elif kind == "odd value":
        info[draw(st.sampled_from(["dtype", "shape", "data_offsets"]))] = draw(ODD_VALUES)
    elif kind == "drop key":
        del info[draw(st.sampled_from(sorted(info)))]
    elif kind == "extra key":
        info[draw(st.sampled_from(["offsets", "DTYPE", "x"]))] = draw(ODD_VALUES)
    return _join(header, buffer)


@settings(max_examples=200)
@given(mutated())
def test_agrees_on_mutated_files(data: bytes) -> None:
    compare(data)


@given(st.binary(max_size=64))
def test_agrees_on_random_bytes(data: bytes) -> None:
    compare(data)


EDGE_DIMS = [0, 1, 2, 3, 2**32, 2**40, 2**63, 2**64 - 1, 2**64, 2**65, 10**25]
# Lone surrogates become "\\udXXX" escapes in json.dumps; a valid pair of escapes is one emoji.
EDGE_NAMES = st.sampled_from(["", "a", "\ud800", "x\udfff", "\udc00\ud800", "\ud83d\ude00",
                              "\U0001f600", "é"]) | st.text(max_size=3)
# Running products that overflow 64 bits before a 0 makes the tensor empty.
EDGE_SHAPES = st.sampled_from([
    [2**40, 2**40, 0], [2**63, 2, 0], [0, 2**63, 2], [2**64 - 1, 0], [2**64 - 1, 1, 0],
    [2**32, 2**32, 0], [2**32, 2**31, 0],
]) | st.lists(st.sampled_from(EDGE_DIMS), max_size=4)
DTYPE_NAMES = st.sampled_from(sorted(ALL_BITS))


@st.composite
def edge_numbers(draw: st.DrawFn) -> bytes:
    """Shapes with huge dimensions (often next to a 0), '-0' offsets, escaped surrogates."""
    header: dict[str, Any] = {}
    buffer = b""
    for _ in range(draw(st.integers(1, 3))):
        name = draw(EDGE_NAMES)
        if name in header:
            continue
        dtype = draw(DTYPE_NAMES)
        shape = draw(EDGE_SHAPES)
        count = 1
        for dim in shape:
            count *= dim
        bits = count * ALL_BITS[dtype]
        size = bits // 8 if bits % 8 == 0 and bits // 8 <= 32 else 0
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(buffer), len(buffer) + size]}
        buffer += bytes(size)
    text = json.dumps(header)  # ensure_ascii: a lone surrogate becomes the escape \udXXX
    if draw(st.booleans()):
        text = text.replace('"data_offsets": [0,', '"data_offsets": [-0,')
    raw = text.encode("utf-8")
    return struct.pack("<Q", len(raw)) + raw + buffer


@given(edge_numbers())
def test_agrees_on_numbers_and_names_at_the_edges(data: bytes) -> None:
    compare(data)


@pytest.mark.parametrize("key", sorted(DIFFERENCES))
def test_differences_are_told_to_learners(key: str) -> None:
    docstring = load_starter_docstring("11_supply_chain/validate_safetensors.py")
    words = {
        "leading whitespace": "starts\nwith whitespace",
        "duplicate keys": "duplicate keys",
        "extra tensor keys": "extra keys",
        "null metadata": '"__metadata__": null',
    }[key]
    assert " ".join(words.split()) in " ".join(docstring.split()), (
        f"the starter docstring does not tell learners about: {DIFFERENCES[key]}"
    )
