"""Reference solution for `validate_safetensors`: check a safetensors file before trusting it."""

from __future__ import annotations

import json
import math
from typing import Any


class InvalidSafetensors(ValueError):
    """The bytes are not a valid safetensors file; the message says why."""


# The reference implementation refuses headers over 100 MB (100_000_000 bytes).
MAX_HEADER_SIZE = 100_000_000

# Bytes per element of each dtype in the safetensors reference implementation. Newer
# versions also define sub-byte types (F4, F6_E2M3, F6_E3M2); this exercise does not.
DTYPE_SIZES: dict[str, int] = {
    "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
    "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
    "I32": 4, "U32": 4, "F32": 4,
    "I64": 8, "U64": 8, "F64": 8,
}

METADATA_KEY = "__metadata__"
TENSOR_KEYS = frozenset({"dtype", "shape", "data_offsets"})


def _is_int(value: Any) -> bool:
    # bool is a subclass of int in Python, but `true` is not a number in the format.
    return isinstance(value, int) and not isinstance(value, bool)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json object hook: json.loads silently keeps the LAST duplicate; refuse instead."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidSafetensors(f"duplicate key {key!r} in the header")
        result[key] = value
    return result


def _parse_header(raw: bytes) -> dict[str, Any]:
    if not raw.startswith(b"{"):
        raise InvalidSafetensors("the header must start with '{'")
    try:
        # Decode first, strictly: json.loads(bytes) would also accept UTF-16 and UTF-32.
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidSafetensors(f"the header is not valid UTF-8: {exc}") from None
    try:
        header = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InvalidSafetensors(f"the header is not valid JSON: {exc}") from None
    if not isinstance(header, dict):
        raise InvalidSafetensors("the header must be a JSON object")
    return header


def _check_metadata(metadata: Any) -> None:
    if not isinstance(metadata, dict):
        raise InvalidSafetensors("__metadata__ must be an object")
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise InvalidSafetensors(f"__metadata__[{key!r}] must be a string")


def _check_tensor(name: str, info: Any, buffer_size: int) -> tuple[int, int]:
    """Validate one tensor entry; return its (begin, end) in the data buffer."""
    if not isinstance(info, dict) or set(info) != TENSOR_KEYS:
        raise InvalidSafetensors(
            f"tensor {name!r} must be an object with exactly dtype, shape and data_offsets"
        )
    dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
    if not isinstance(dtype, str) or dtype not in DTYPE_SIZES:
        raise InvalidSafetensors(f"tensor {name!r} has an unknown dtype {dtype!r}")
    if not isinstance(shape, list) or not all(_is_int(d) and d >= 0 for d in shape):
        raise InvalidSafetensors(f"tensor {name!r}: shape must be a list of integers >= 0")
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(_is_int(o) for o in offsets)
        or not 0 <= offsets[0] <= offsets[1]
    ):
        raise InvalidSafetensors(
            f"tensor {name!r}: data_offsets must be [begin, end] with 0 <= begin <= end"
        )
    begin, end = offsets
    if end > buffer_size:
        raise InvalidSafetensors(f"tensor {name!r} ends at {end}, past the {buffer_size}-byte data")
    # Python integers do not overflow; in C or Rust, check this multiplication.
    expected = math.prod(shape) * DTYPE_SIZES[dtype]
    if end - begin != expected:
        raise InvalidSafetensors(
            f"tensor {name!r}: {dtype} {shape} needs {expected} bytes, not {end - begin}"
        )
    return begin, end


def validate_safetensors(data: bytes) -> dict:
    """The parsed header of a valid safetensors file; InvalidSafetensors otherwise."""
    if len(data) < 8:
        raise InvalidSafetensors("shorter than the 8-byte header length")
    header_size = int.from_bytes(data[:8], "little")  # unsigned, like the format's u64
    # Check the size BEFORE reading: a hostile length must not make us allocate or parse.
    if header_size > MAX_HEADER_SIZE:
        raise InvalidSafetensors(f"header of {header_size} bytes is over the limit")
    if header_size > len(data) - 8:
        raise InvalidSafetensors(f"header of {header_size} bytes is longer than the file")
    header = _parse_header(bytes(data[8 : 8 + header_size]))
    buffer_size = len(data) - 8 - header_size

    ranges = []
    for name, info in header.items():
        if name == METADATA_KEY:
            _check_metadata(info)
        else:
            ranges.append((*_check_tensor(name, info, buffer_size), name))

    # Sorted by offsets, each tensor must start exactly where the previous one ended, and
    # the last must end at the end of the file: no overlaps (two names for the same bytes)
    # and no holes (hidden bytes that make a polyglot file). Empty tensors take no bytes.
    position = 0
    for begin, end, name in sorted(ranges):
        if begin != position:
            problem = "overlaps the previous tensor" if begin < position else "leaves a gap"
            raise InvalidSafetensors(f"tensor {name!r} starts at {begin} and {problem}")
        position = end
    if position != buffer_size:
        raise InvalidSafetensors(f"{buffer_size - position} bytes after the last tensor")
    return header
