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

The format (huggingface/safetensors README and docs/safetensors.schema.json)
---------------------------------------------------------------------------

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
what is wrong. Check, in this order:

1. At least 8 bytes. Read N unsigned (`int.from_bytes(data[:8], "little")`). Refuse N
   greater than MAX_HEADER_SIZE (read the module constant when the function runs), and
   N greater than the bytes that follow, BEFORE you slice or parse anything.
2. The header starts with "{", decodes as strict UTF-8 (decode it yourself:
   `json.loads` given bytes would also accept UTF-16 and UTF-32), is valid JSON, is an
   object, and has no duplicate key at any level (`json.loads` keeps the last duplicate
   silently; pass an `object_pairs_hook` that raises instead).
3. "__metadata__", if present, is an object whose values are all strings.
4. Every other entry is an object with exactly the keys dtype, shape and data_offsets:
   dtype is a key of DTYPE_SIZES; shape is a list of integers >= 0 (an empty list is a
   scalar with one element; a 0 makes an empty tensor); data_offsets is a list of two
   integers with 0 <= begin <= end <= the data buffer's length. `True` and `2.0` are
   not integers here, although `isinstance(True, int)` is True in Python.
5. end - begin == product of the shape (`math.prod`) * DTYPE_SIZES[dtype].
6. Sorted by (begin, end), the tensors tile the buffer exactly: the first begins at 0,
   each begins where the previous one ended, and the last ends at the end of the file.
   That rules out overlaps (two names for the same bytes) and holes (hidden bytes). Empty
   tensors take no bytes, so several may share an offset. A file with no tensors must
   have an empty buffer.

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

import json  # noqa: F401  (json.loads with object_pairs_hook)
import math  # noqa: F401  (math.prod)


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


def validate_safetensors(data: bytes) -> dict:
    """The parsed header of a valid safetensors file; InvalidSafetensors otherwise."""
    # TODO: the 8-byte unsigned length: enough bytes, not over MAX_HEADER_SIZE.
    # TODO: the header: starts with "{", strict UTF-8, JSON object, no duplicate keys.
    # TODO: __metadata__ holds strings only; each tensor has a valid dtype, shape, offsets.
    # TODO: sizes match, and the sorted tensors tile the data buffer with no overlap or gap.
    raise NotImplementedError("TODO: implement validate_safetensors")
