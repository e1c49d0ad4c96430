"""Reference solution for `validate_safetensors`: check a safetensors file before trusting it."""

from __future__ import annotations

import json
from typing import Any


class InvalidSafetensors(ValueError):
    """The bytes are not a valid safetensors file; the message says why."""


# The reference implementation refuses headers over 100 MB (100_000_000 bytes).
MAX_HEADER_SIZE = 100_000_000

# Every integer in the format is an unsigned 64-bit number (a u64, or usize on 64-bit
# machines, in the reference implementation).
UINT64_MAX = 2**64 - 1

# Bits per element of every dtype of the reference implementation (the Dtype enum and
# Dtype::bitsize() in safetensors/src/tensor.rs). F4 and the two F6 types take less than
# a byte per element, so a tensor's size is computed in bits first.
DTYPE_BITS: dict[str, int] = {
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6,
    "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8,
    "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8,
    "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
    "I32": 32, "U32": 32, "F32": 32,
    "I64": 64, "U64": 64, "F64": 64, "C64": 64,
}

METADATA_KEY = "__metadata__"
TENSOR_KEYS = frozenset({"dtype", "shape", "data_offsets"})


# --- Helpers (given in the starter) ----------------------------------------------------


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # json accepts an escaped lone surrogate such as "\ud800"; the reference parser
        # refuses it. Two readers must not disagree about which names a file holds.
        raise InvalidSafetensors(f"the string {text!r} is not valid Unicode") from None


def strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads object_pairs_hook: build the object; refuse duplicate keys and broken text."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        _check_text(key)
        if isinstance(value, str):
            _check_text(value)
        if key in result:
            # json.loads alone keeps the LAST duplicate; another parser may keep the first.
            raise InvalidSafetensors(f"duplicate key {key!r} in the header")
        result[key] = value
    return result


def parse_uint64(digits: str) -> int:
    """json.loads parse_int hook: only integers from 0 to UINT64_MAX.

    json hands over the digits as text. Refusing a minus sign (even "-0") and more than
    20 digits before converting means a 5,000-digit number costs nothing and cannot hit
    Python's limit on int() of long strings (a ValueError that is not InvalidSafetensors).
    """
    if digits.startswith("-") or len(digits) > 20 or int(digits) > UINT64_MAX:
        raise InvalidSafetensors(f"the number {digits[:30]} is not an unsigned 64-bit integer")
    return int(digits)


def element_count(shape: list[int]) -> int:
    """The number of elements of a shape of integers >= 0, multiplied as the reference does.

    The reference implementation multiplies dimension by dimension in 64 bits and refuses
    the file on overflow, even if a later dimension is 0. Doing the same keeps both readers
    in agreement, and keeps the numbers small however many dimensions a header lists.
    """
    count = 1
    for dim in shape:
        count *= dim
        if count > UINT64_MAX:
            raise InvalidSafetensors(f"the shape {shape[:8]}... overflows 64 bits")
    return count


# --- The validator ----------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    # bool is a subclass of int in Python, but `true` is not a number in the format.
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_header(raw: bytes) -> dict[str, Any]:
    if not raw.startswith(b"{"):
        raise InvalidSafetensors("the header must start with '{'")
    try:
        # Decode first, strictly: json.loads(bytes) would also accept UTF-16 and UTF-32.
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidSafetensors(f"the header is not valid UTF-8: {exc}") from None
    try:
        header = json.loads(text, object_pairs_hook=strict_object, parse_int=parse_uint64)
    except InvalidSafetensors:
        raise
    except (ValueError, RecursionError) as exc:
        # JSONDecodeError is a ValueError; deep nesting raises RecursionError. Every bad
        # file must end in the one exception callers catch.
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
    if not isinstance(dtype, str) or dtype not in DTYPE_BITS:
        raise InvalidSafetensors(f"tensor {name!r} has an unknown dtype {dtype!r}")
    if not isinstance(shape, list) or not all(_is_int(d) and 0 <= d <= UINT64_MAX for d in shape):
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
    bits = element_count(shape) * DTYPE_BITS[dtype]
    if bits % 8:
        # F4 and F6 tensors must fill whole bytes: nothing may hide in the spare bits.
        raise InvalidSafetensors(f"tensor {name!r}: {dtype} {shape} does not end on a byte")
    if end - begin != bits // 8:
        raise InvalidSafetensors(
            f"tensor {name!r}: {dtype} {shape} needs {bits // 8} bytes, not {end - begin}"
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
