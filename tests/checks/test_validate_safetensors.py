"""Hidden checks for `validate_safetensors`.

Every file is built here with struct and json, following the format described in the
safetensors README and its JSON schema (docs/safetensors.schema.json), and the dtypes of
safetensors/src/tensor.rs (https://github.com/safetensors/safetensors, formerly
huggingface/safetensors): an 8-byte little-endian unsigned header length, a UTF-8 JSON
header, then the data buffer.
"""

from __future__ import annotations

import json
import struct
import time
from typing import Any

import pytest

REJECT_WHY = (
    "A loader that trusts this header reads the wrong bytes, or bytes that are not there; "
    "a validator must refuse the file before any tensor is read."
)


def _file(header: Any, buffer: bytes = b"", *, length: int | None = None) -> bytes:
    """A safetensors file: header (a dict is JSON-encoded, bytes are used as they are)."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode("utf-8")
    size = len(raw) if length is None else length
    return struct.pack("<Q", size) + raw + buffer


def _tensors(*specs: tuple[str, str, list[int], int]) -> tuple[dict, bytes]:
    """Header entries and buffer for (name, dtype, shape, BITS per element), laid out in order."""
    header: dict[str, Any] = {}
    buffer = b""
    for name, dtype, shape, bits in specs:
        count = 1
        for dim in shape:
            count *= dim
        assert count * bits % 8 == 0, "a test tensor must fill whole bytes"
        payload = bytes((len(buffer) + i) % 251 for i in range(count * bits // 8))
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(buffer), len(buffer) + len(payload)]}
        buffer += payload
    return header, buffer


def _signed_trap() -> bytes:
    """A file whose length field means 2**64 - 12 unsigned, but -12 signed.

    A reader that takes it as signed slices data[8:8 - 12] == data[8:-4], which is a valid
    header (padded to 184 bytes) for a 200-byte tensor, and computes a 200-byte buffer.
    """
    raw = json.dumps({"w": {"dtype": "U8", "shape": [200], "data_offsets": [0, 200]}}).encode()
    return struct.pack("<q", -12) + raw.ljust(184) + bytes(4)


def _rejects(exercise, data: bytes, what: str, why: str = REJECT_WHY) -> None:
    try:
        got = exercise.validate_safetensors(data)
    except exercise.InvalidSafetensors:
        return
    except NotImplementedError:
        raise
    except Exception as exc:
        raise AssertionError(
            f"validate_safetensors(<{what}>) raised {type(exc).__name__}({exc}), expected "
            "InvalidSafetensors. Every problem with the file must raise InvalidSafetensors, so "
            f"that a caller can catch one exception for 'bad file'. {why}"
        ) from None
    raise AssertionError(
        f"validate_safetensors(<{what}>) returned {got!r:.200} instead of raising "
        f"InvalidSafetensors. {why}"
    )


def _accepts(exercise, data: bytes, what: str, expected: dict) -> None:
    try:
        got = exercise.validate_safetensors(data)
    except exercise.InvalidSafetensors as exc:
        raise AssertionError(
            f"validate_safetensors(<{what}>) raised InvalidSafetensors({exc}), expected it to "
            "accept the file: it follows the format. A validator that rejects good files gets "
            "bypassed by the people who need to load them."
        ) from None
    assert got == expected, (
        f"validate_safetensors(<{what}>) returned {got!r:.300}, expected the parsed header "
        f"{expected!r:.300}: return the whole JSON header as a dict, __metadata__ included."
    )


def test_accepts_valid_files(exercise):
    """Accepts well-formed files and returns their parsed header"""
    header, buffer = _tensors(("embed.weight", "F32", [4, 3], 32),
                              ("lm_head.bias", "BF16", [3], 16),
                              ("step", "I64", [], 64), ("mask", "BOOL", [2, 2], 8))
    header["__metadata__"] = {"format": "pt", "source": "checks"}
    _accepts(exercise, _file(header, buffer), "four tensors (F32, BF16, a scalar I64 with shape "
             "[], BOOL) and __metadata__", header)

    shuffled = dict(reversed(list(header.items())))
    _accepts(exercise, _file(shuffled, buffer), "the same tensors listed in reverse order in the "
             "header (order in the JSON does not matter, offsets do)", shuffled)

    _accepts(exercise, _file({}), "an empty header {} and no data", {})

    padded = json.dumps(header).encode("utf-8")
    padded += b" " * (-len(padded) % 8)
    _accepts(exercise, _file(padded + b" " * 8, buffer), "a header padded with trailing spaces, as "
             "the reference writer does to align the data to 8 bytes", header)

    header, buffer = _tensors(("a", "F16", [2, 0], 16), ("b", "U8", [3], 8), ("c", "I8", [0], 8),
                              ("d", "F64", [1], 64), ("e", "U16", [0, 5], 16))
    _accepts(exercise, _file(header, buffer), "empty tensors (a dimension of 0) between and next "
             "to others; two of them share the offset [3, 3]", header)


# Every dtype of the reference implementation (safetensors/src/tensor.rs), in bits per element.
ALL_DTYPES = {
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8,
    "F8_E4M3": 8, "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16,
    "F16": 16, "BF16": 16, "I32": 32, "U32": 32, "F32": 32, "I64": 64, "U64": 64, "F64": 64,
    "C64": 64,
}


def test_accepts_every_current_dtype(exercise):
    """Accepts every dtype the reference implementation defines, sub-byte ones included"""
    for dtype, bits in ALL_DTYPES.items():
        shape = [2, 4]  # 8 elements: whole bytes for 4-bit and 6-bit types too
        header, buffer = _tensors(("w", dtype, shape, bits))
        _accepts(exercise, _file(header, buffer),
                 f"one {dtype} tensor of shape {shape} in {len(buffer)} bytes ({bits} bits per "
                 "element)", header)
    specs = [(f"t{i}", dtype, [4], bits) for i, (dtype, bits) in enumerate(ALL_DTYPES.items())]
    header, buffer = _tensors(*specs)
    _accepts(exercise, _file(header, buffer),
             f"a file with one tensor of each of the {len(ALL_DTYPES)} dtypes, shape [4] each "
             "(F4 takes 2 bytes, F6 types 3)", header)


def test_rejects_short_or_lying_length(exercise):
    """Rejects files too short for their header, and reads the length as unsigned"""
    header, buffer = _tensors(("w", "F32", [2], 32))
    good = _file(header, buffer)
    raw = json.dumps(header).encode("utf-8")
    cases = [
        (b"", "empty input"),
        (b"\x02\x00\x00\x00\x00\x00\x00", "7 bytes, less than the 8-byte header length"),
        (_file(raw, length=len(raw) + len(buffer) + 1) + buffer,
         "a header length one byte longer than the rest of the file"),
        (b"\xff" * 8 + b"{}", "a header length of 2**64 - 1 bytes followed by 2 bytes"),
        (_signed_trap(), "a header length of 2**64 - 12, which is -12 if read as a signed "
         "integer: data[8:8 - 12] is then a valid-looking header claiming a 200-byte tensor, "
         "while the file holds 4 data bytes"),
        (good[:-1], "a valid file missing its last byte"),
    ]
    for data, what in cases:
        started = time.perf_counter()
        _rejects(exercise, data, what,
                 "The first 8 bytes are an unsigned little-endian length (struct format '<Q' "
                 "or int.from_bytes(data[:8], 'little')), and that many header bytes must "
                 "actually follow. " + REJECT_WHY)
        assert time.perf_counter() - started < 1.0, (
            f"validate_safetensors(<{what}>) took over a second: compare the length with "
            "the file size and the limit before reading or allocating anything."
        )


def test_header_size_limit(exercise):
    """Rejects a header over MAX_HEADER_SIZE, checked before the header is read"""
    header, buffer = _tensors(("w", "F32", [2], 32))
    raw = json.dumps(header).encode("utf-8")
    original = exercise.MAX_HEADER_SIZE
    assert original == 100_000_000, (
        f"MAX_HEADER_SIZE is {original!r}, expected 100_000_000: the reference implementation "
        "refuses headers over 100 MB. Keep the constant from the starter."
    )
    try:
        exercise.MAX_HEADER_SIZE = len(raw)
        _accepts(exercise, _file(raw, buffer), f"a {len(raw)}-byte header while MAX_HEADER_SIZE "
                 f"is {len(raw)} (a header exactly at the limit is allowed)", header)
        exercise.MAX_HEADER_SIZE = len(raw) - 1
        _rejects(exercise, _file(raw, buffer), f"a valid {len(raw)}-byte header while "
                 f"MAX_HEADER_SIZE is {len(raw) - 1}",
                 "Compare the 8-byte length with the module constant MAX_HEADER_SIZE (read it "
                 "when the function runs) and refuse anything larger, before parsing: the "
                 "limit exists so that a hostile file cannot make you parse gigabytes of JSON.")
    finally:
        exercise.MAX_HEADER_SIZE = original


def test_rejects_bad_header_text(exercise):
    """Rejects headers that are not a UTF-8 JSON object starting with '{'"""
    header, buffer = _tensors(("w", "F32", [2], 32))
    raw = json.dumps(header).encode("utf-8")
    entry = json.dumps(header["w"])
    cases = [
        (b" " + raw, "a header starting with a space: the format says it MUST start with '{'"),
        (b"\xef\xbb\xbf" + raw, "a UTF-8 byte order mark before the '{'"),
        (json.dumps(header).encode("utf-16-le"),
         "the header encoded as UTF-16: json.loads(bytes) would detect and accept it, the "
         "format requires UTF-8 (decode the bytes yourself, strictly)"),
        (raw.replace(b'"w"', b'"\xff"'), "a tensor name with the byte 0xff, invalid UTF-8"),
        (raw[:-1], "JSON with its closing brace missing"),
        (raw + b"x", "valid JSON followed by a stray character"),
        (b"[" + raw + b"]", "a JSON array"),
        (f'{{"w": {entry}, "w": {entry}}}'.encode(),
         "the same tensor name twice: json.loads keeps the last one silently, another parser "
         "may keep the first, and two tools then disagree about the same file"),
        (f'{{"w": {entry[:-1]}, "dtype": "U8"}}}}'.encode(),
         "a duplicate key inside a tensor entry"),
    ]
    for raw_header, what in cases:
        _rejects(exercise, _file(raw_header, buffer), what,
                 "The header must be a UTF-8 JSON object that starts with '{', with no duplicate "
                 "keys; use json.loads on the decoded text with object_pairs_hook=strict_object "
                 "(it refuses a key it has seen). " + REJECT_WHY)


def test_hostile_json_raises_only_invalid_safetensors(exercise):
    """Raises InvalidSafetensors, never another error, for hostile numbers, nesting and text"""
    entry = '"dtype": "F32", "shape": [2], "data_offsets": [0, 8]'
    cases = [
        (f'{{"__metadata__": {{"n": {"9" * 5000}}}, "w": {{{entry}}}}}', 8,
         "a 5,000-digit number in __metadata__: int() of that many digits raises ValueError "
         "(Python's limit on converting long strings); parse_int=parse_uint64 refuses it "
         "before any conversion"),
        (f'{{"w": {{"dtype": "F32", "shape": [{"1" * 5000}], "data_offsets": [0, 8]}}}}', 8,
         "a 5,000-digit dimension in a shape"),
        ('{"__metadata__": ' + "[" * 50_000 + "]" * 50_000 + f', "w": {{{entry}}}}}', 8,
         "arrays nested 50,000 levels deep: json.loads raises RecursionError"),
        ('{"w": ' + '{"a": ' * 20_000 + "1" + "}" * 20_000 + "}", 8,
         "objects nested 20,000 levels deep"),
        ('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [-0, 8]}}', 8,
         "the offset -0: Python reads it as 0, the reference parser refuses a minus sign"),
        ('{"w": {"dtype": "F32", "shape": [18446744073709551616, 0], "data_offsets": [0, 0]}}',
         0, "an empty tensor with a dimension of 2**64 next to a 0: the product is 0 in Python, "
         "but 2**64 is not an unsigned 64-bit integer and the reference reader refuses it"),
        ('{"w": {"dtype": "F32", "shape": [1099511627776, 1099511627776, 0], '
         '"data_offsets": [0, 0]}}', 0,
         "an empty tensor of shape [2**40, 2**40, 0]: multiplied in order, 2**80 overflows 64 "
         "bits before the 0 is reached and the reference reader refuses it; use "
         "element_count(), not math.prod"),
        ('{"\\ud800": {' + entry + "}}", 8,
         "a tensor name written as the escape \\ud800, half of a surrogate pair: json.loads "
         "accepts it, the reference parser refuses it"),
    ]
    for raw, size, what in cases:
        _rejects(exercise, _file(raw.encode("utf-8"), bytes(size)), what,
                 "Parse with json.loads(text, object_pairs_hook=strict_object, "
                 "parse_int=parse_uint64) and turn every ValueError and RecursionError it "
                 "raises into InvalidSafetensors. A validator that lets another exception out "
                 "crashes a caller that catches InvalidSafetensors, and one that accepts what "
                 "the reference reader refuses lets two tools disagree about one file.")


@pytest.mark.parametrize("field,value,what", [
    ("dtype", "f32", "a lowercase dtype"),
    ("dtype", "F128", "a dtype that does not exist"),
    ("dtype", 4, "a dtype that is a number"),
    ("shape", [-2, -1], "negative dimensions (their product, 2, still matches 8 bytes of F32)"),
    ("shape", [True, 2], "true as a dimension (bool is an int subclass in Python)"),
    ("shape", [2.0], "a float dimension"),
    ("shape", "2", "a shape that is a string"),
    ("data_offsets", [0], "data_offsets with one number"),
    ("data_offsets", [0, 8, 8], "data_offsets with three numbers"),
    ("data_offsets", [0, 8.0], "a float offset"),
    ("data_offsets", [False, 8], "false as an offset"),
    ("data_offsets", [8, 0], "begin after end"),
    ("data_offsets", [-8, 0], "a negative begin"),
    ("extra", "1", "an extra key (the schema allows no other properties)"),
    (None, None, "no data_offsets at all"),
])
def test_rejects_bad_tensor_entries(exercise, field, value, what):
    """Rejects tensor entries with a bad dtype, shape or data_offsets"""
    header = {"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}
    if field is None:
        del header["w"]["data_offsets"]
    else:
        header["w"][field] = value
    _rejects(exercise, _file(header, bytes(8)), f"{what}: {json.dumps(header)}",
             "Each tensor is an object with exactly dtype (a name from DTYPE_BITS), shape (a "
             "list of integers >= 0) and data_offsets ([begin, end], integers, 0 <= begin <= "
             "end). Check the types yourself: json gives you whatever the file contains. "
             + REJECT_WHY)
    header = {"w": [1, 2, 3]}
    _rejects(exercise, _file(header, bytes(8)), "a tensor entry that is a list, not an object")


def test_size_must_match_shape_and_dtype(exercise):
    """Rejects a tensor whose byte range does not match its shape and dtype, in bits"""
    cases = [
        ({"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 23]}, 23, "F32 [2, 3] in 23 bytes"),
        ({"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 25]}, 25, "F32 [2, 3] in 25 bytes"),
        ({"dtype": "BF16", "shape": [4], "data_offsets": [0, 16]}, 16,
         "BF16 [4] in 16 bytes (BF16 takes 2 bytes, not 4)"),
        ({"dtype": "F32", "shape": [], "data_offsets": [0, 0]}, 0,
         "a scalar F32 (shape []) in 0 bytes: a scalar holds one element, 4 bytes"),
        ({"dtype": "U8", "shape": [0], "data_offsets": [0, 1]}, 1,
         "an empty U8 tensor given 1 byte"),
        ({"dtype": "C64", "shape": [2], "data_offsets": [0, 8]}, 8,
         "C64 [2] in 8 bytes (a C64 element takes 64 bits, 8 bytes)"),
        ({"dtype": "F4", "shape": [4], "data_offsets": [0, 4]}, 4,
         "F4 [4] in 4 bytes (F4 takes 4 bits: 4 elements fill 2 bytes)"),
        ({"dtype": "F4", "shape": [3], "data_offsets": [0, 2]}, 2,
         "F4 [3] in 2 bytes: 12 bits do not fill whole bytes, and rounding up hides 4 bits"),
        ({"dtype": "F6_E3M2", "shape": [3], "data_offsets": [0, 2]}, 2,
         "F6_E3M2 [3] in 2 bytes: 18 bits do not fill whole bytes"),
    ]
    for info, size, what in cases:
        _rejects(exercise, _file({"w": info}, bytes(size)), what,
                 "The size in bits is element_count(shape) (1 for shape []) times DTYPE_BITS"
                 "[dtype]; it must be a multiple of 8, and end - begin must equal it divided by "
                 "8. A mismatch means a reader either runs past the tensor into its neighbour or "
                 "leaves bytes nobody accounts for. " + REJECT_WHY)


def test_tensors_tile_the_buffer(exercise):
    """Rejects overlapping tensors, holes, trailing bytes and ranges past the end"""
    f32 = {"dtype": "F32", "shape": [2]}
    cases = [
        ({"a": {**f32, "data_offsets": [0, 8]}, "b": {**f32, "data_offsets": [0, 8]}}, 8,
         "two tensors on the same 8 bytes (aliasing)"),
        ({"a": {**f32, "data_offsets": [0, 8]}, "b": {**f32, "data_offsets": [4, 12]}}, 12,
         "two tensors that overlap by 4 bytes"),
        ({"a": {**f32, "data_offsets": [0, 8]}, "b": {**f32, "data_offsets": [12, 20]}}, 20,
         "a 4-byte hole between two tensors"),
        ({"a": {**f32, "data_offsets": [4, 12]}}, 12, "4 unused bytes before the first tensor"),
        ({"a": {**f32, "data_offsets": [0, 8]}}, 12, "4 bytes after the last tensor"),
        ({}, 1, "an empty header followed by one byte"),
        ({"a": {**f32, "data_offsets": [0, 8]}}, 4, "a tensor that ends past the end of the file"),
    ]
    for header, size, what in cases:
        _rejects(exercise, _file(header, bytes(size)), f"{what}: {json.dumps(header)} with "
                 f"{size} data bytes",
                 "Sorted by offset, each tensor must start where the previous one ended, the "
                 "first at 0, and the last must end at the end of the file. The safetensors "
                 "README: the byte buffer needs to be entirely indexed and cannot contain "
                 "holes, which prevents polyglot files. Overlaps let one tensor rewrite "
                 "another; hidden bytes can carry a second file nobody reviewed.")


def test_metadata_is_strings_only(exercise):
    """Accepts __metadata__ of strings only, and rejects anything else in it"""
    header, buffer = _tensors(("w", "U8", [4], 8))
    ok = {**header, "__metadata__": {"format": "pt", "note": "", "ünïcode": "✓"}}
    _accepts(exercise, _file(ok, buffer), "__metadata__ with three string values", ok)
    for metadata, what in (
        ({"epochs": 3}, "a number as a value"),
        ({"nested": {"a": "b"}}, "an object as a value"),
        ({"tags": ["a", "b"]}, "a list as a value"),
        ({"flag": None}, "null as a value"),
        (["format", "pt"], "a list instead of an object"),
        ("format=pt", "a string instead of an object"),
    ):
        bad = {**header, "__metadata__": metadata}
        _rejects(exercise, _file(bad, buffer), f"__metadata__ = {json.dumps(metadata)} ({what})",
                 "__metadata__ is a map of strings to strings, nothing else: the format keeps "
                 "free-form data out of the header so that no tool is tempted to interpret it.")
