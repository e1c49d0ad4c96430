r"""Validate a safetensors file before anything reads a tensor from it.

The scenario
------------

After `scan_pickle`, your team switches to safetensors: a format made to hold tensors
and nothing else, so loading one cannot run code. That removes the worst problem, not
every problem. The header is JSON written by whoever made the file, and it tells the
loader where each tensor's bytes are. A header that lies can point two tensors at the
same bytes, point past the end of the file, leave bytes that no tensor owns (room for a
second file hidden inside the first), or make a parser chew through gigabytes of JSON.
Your validator checks every claim in the header against the bytes, and refuses the
file at the first lie.

The format (safetensors README and docs/safetensors.schema.json)
---------------------------------------------------------------

    8 bytes   N, the header length: an UNSIGNED 64-bit little-endian integer
    N bytes   the header: UTF-8 JSON text that starts with "{" (it may end in spaces)
    the rest  the data buffer: every tensor's raw bytes

The header is an object. Each key is a tensor name mapped to exactly three fields:

    {"embed.weight": {"dtype": "F32", "shape": [4, 3], "data_offsets": [0, 48]}, ...}

`data_offsets` are [begin, end) positions in the DATA BUFFER (not in the file). One key
is special: "__metadata__", an optional object whose values are all strings.

What to implement
-----------------

    validate_safetensors(data: bytes) -> dict

Return the parsed header (the whole JSON object, "__metadata__" included) when the file
is valid. Otherwise raise InvalidSafetensors (defined below) with a message that says
what is wrong, and ONLY InvalidSafetensors: whatever the bytes are, a caller must be able
to catch one exception for "bad file". Check, in this order:

1. At least 8 bytes. Read N unsigned (`int.from_bytes(data[:8], "little")`). Refuse N
   greater than MAX_HEADER_SIZE (read the module constant when the function runs), and
   N greater than the bytes that follow, BEFORE you slice or parse anything.
2. The header starts with "{", decodes as strict UTF-8 (decode it yourself:
   `json.loads` given bytes would also accept UTF-16 and UTF-32), and is valid JSON
   that is an object. Parse it with the two hooks given below:

       json.loads(text, object_pairs_hook=strict_object, parse_int=parse_uint64)

   `strict_object` refuses a duplicate key at any level (`json.loads` alone keeps the
   last duplicate silently) and text that is not valid Unicode; `parse_uint64` refuses
   any integer outside 0 .. 2**64 - 1, before Python converts it. Both raise
   InvalidSafetensors. `json.loads` itself raises other errors on bad input: a
   JSONDecodeError (a ValueError) for broken JSON, a RecursionError for JSON nested
   thousands of levels deep. Turn those into InvalidSafetensors too.
3. "__metadata__", if present, is an object whose values are all strings.
4. Every other entry is an object with exactly the keys dtype, shape and data_offsets:
   dtype is a key of DTYPE_BITS; shape is a list of integers >= 0 (an empty list is a
   scalar with one element; a 0 makes an empty tensor); data_offsets is a list of two
   integers with 0 <= begin <= end <= the data buffer's length. `True` and `2.0` are
   not integers here, although `isinstance(True, int)` is True in Python.
5. The tensor's size in bits is `element_count(shape) * DTYPE_BITS[dtype]` (use the
   given `element_count`, not `math.prod`: it refuses a shape whose running product
   overflows 64 bits, as the reference reader does). It must be a multiple of 8 (F4 and
   F6 tensors must fill whole bytes), and end - begin must equal it divided by 8.
6. Sorted by (begin, end), the tensors tile the buffer exactly: the first begins at 0,
   each begins where the previous one ended, and the last ends at the end of the file.
   That rules out overlaps (two names for the same bytes) and holes (hidden bytes). Empty
   tensors take no bytes, so several may share an offset. A file with no tensors must
   have an empty buffer.

Where this exercise is stricter than the reference reader
---------------------------------------------------------

The `safetensors` library (0.8) accepts four things that the format's README or its
JSON schema forbid, and this validator refuses them on purpose: a header that starts
with whitespace (the README: it MUST start with "{"), duplicate keys (the README:
disallowed, "not all parsers may respect this"), a tensor entry with extra keys (the
schema allows no other properties), and `"__metadata__": null` (the schema wants an
object). On every other file the two agree.

Examples
--------

>>> import json, struct
>>> header = {"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}
>>> raw = json.dumps(header).encode()
>>> validate_safetensors(struct.pack("<Q", len(raw)) + raw + bytes(8))
{'w': {'dtype': 'F32', 'shape': [2], 'data_offsets': [0, 8]}}
>>> validate_safetensors(struct.pack("<Q", len(raw)) + raw + bytes(12))
Traceback (most recent call last):
    ...
InvalidSafetensors: 4 bytes after the last tensor
>>> validate_safetensors(b"\xff" * 8 + b"{}")
Traceback (most recent call last):
    ...
InvalidSafetensors: header of 18446744073709551615 bytes is over the limit

(Your messages can differ; the checks look only at the exception's type.)

Why it matters
--------------

OWASP LLM03:2025 Supply Chain asks you to use models only from verifiable sources and
to check their integrity; the format you accept is part of that. safetensors was made
so that "a file randomly downloaded" cannot run code, and its README lists the other
promises: a header limit of 100 MB against denial of service, no overlapping tensors,
no holes in the buffer (against polyglot files). Those promises hold only if the reader
checks them. Where two parsers read the same file differently (duplicate keys, UTF-16
headers, signed lengths), an attacker can show a reviewer one model and ship another.
"""

from __future__ import annotations

import json  # noqa: F401  (json.loads with the two hooks below)
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


# --- Helpers, complete: use them, no need to change them -------------------------------


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


# --- Your part ---------------------------------------------------------------------------


def validate_safetensors(data: bytes) -> dict:
    """The parsed header of a valid safetensors file; InvalidSafetensors otherwise."""
    # TODO: the 8-byte unsigned length: enough bytes, not over MAX_HEADER_SIZE.
    # TODO: the header: starts with "{", strict UTF-8, json.loads with both hooks, an object;
    # TODO: every error of json.loads (ValueError, RecursionError) becomes InvalidSafetensors.
    # TODO: __metadata__ holds strings only; each tensor has a valid dtype, shape, offsets.
    # TODO: sizes in bits match (element_count), and the sorted tensors tile the data buffer.
    raise NotImplementedError("TODO: implement validate_safetensors")
