"""Read a JSON file that someone else wrote, without trusting it.

A learner's progress file and the reports a facilitator collects can be damaged
or hostile: a FIFO or a link to ``/dev/zero`` that would block or never end, a
huge file, nesting that exhausts the recursion limit, a number too long to
convert. Every such failure is a :class:`BadFile` whose text says why, in words
for the reader, never an exception from the engine.
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any

MAX_DEPTH = 32  # far deeper than anything aisec writes; keeps every re-save safe


class BadFile(Exception):
    """A file that cannot be used at all; ``str()`` says why, in words for the learner."""


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a *regular* file of at most ``limit`` bytes, else :class:`BadFile`.

    A FIFO would block a plain ``open()``, and a symbolic link to ``/dev/zero`` would
    never end, so the file is checked with ``stat`` before it is opened, opened
    non-blocking, checked again with ``fstat`` (it may have been swapped), and read
    no further than the limit. ``FileNotFoundError`` passes through.
    """
    info = os.stat(path)  # follows a symbolic link: its target is what would be read
    if not stat.S_ISREG(info.st_mode):
        raise BadFile("it is not a regular file (a folder, device, FIFO or socket)")
    if info.st_size > limit:
        raise BadFile(f"it is larger than {_size(limit)}")
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_BINARY", 0))
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BadFile("it is not a regular file (a folder, device, FIFO or socket)")
        chunks: list[bytes] = []
        size = 0
        # reads of the size stat gives, and a byte more (it may grow), not of 1 MB: a
        # read allocates what it asks for, and a class reads a thousand 20 KB reports
        expected = info.st_size + 1
        while size <= limit:
            chunk = os.read(fd, min(max(expected - size, 1 << 16), limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise BadFile(f"it is larger than {_size(limit)}")
    return b"".join(chunks)


TOO_BIG = float("inf")  # what a number too long to be real is read as; never valid


def bounded_int(text: str) -> int | float:
    """``parse_int`` for json.loads: Python refuses ints over 4,300 digits with a
    ValueError (and parses long ones slowly on older versions); anything that long is
    out of every range anyway, so it becomes :data:`TOO_BIG`, which no check accepts."""
    return int(text) if len(text) <= 30 else TOO_BIG


def loads_limited(raw: bytes) -> Any:
    """Parse JSON from an untrusted file; every failure is a :class:`BadFile`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(f"it is not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text, parse_int=bounded_int)
    except json.JSONDecodeError as exc:
        raise BadFile(f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise BadFile("it is nested too deeply to be read") from None
    except ValueError as exc:  # e.g. a number the parser will not convert
        raise BadFile(f"it is not valid JSON ({exc})") from None


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply ``value`` nests lists and mappings, counted without recursion (and
    only up to ``limit + 1``: deeper is just "too deep")."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > limit:
                return level
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def not_plain(value: Any) -> str | None:
    """Why a value aisec does not know cannot be kept as it is: too deep to save safely,
    or holding a number JSON cannot write (1e999 reads as infinity)."""
    if depth(value) > MAX_DEPTH:
        return "nested too deeply"
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return "a number too large to be real"
        if isinstance(item, (dict, list)):
            stack.extend(item.values() if isinstance(item, dict) else item)
    return None


def read_keyed(path: Path, key: str, limit: int) -> dict[str, Any] | None:
    """A cache file's JSON object, if it was written for ``key`` (a digest of what it was
    worked out from); None if it is missing, unreadable, damaged or for another key."""
    try:
        data = loads_limited(read_limited(path, limit))
    except (OSError, BadFile):
        return None
    return data if isinstance(data, dict) and data.get("key") == key else None
