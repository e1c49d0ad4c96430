"""course.yaml's parsed tree, kept as JSON so that start-up need not import PyYAML.

Every command and the TUI read the manifest first, and importing PyYAML and parsing
the file is a large share of a quick command's time (``aisec list``: about a
seventh). A workspace keeps the tree in ``.aisec/cache/course-manifest.json``, keyed
by a SHA-256 of the manifest's bytes: any edit changes the key, and a stale tree is
never used. The tree keeps each mapping's line and the line of each of its keys, so
a problem found later still names its line. It is validated exactly as a freshly
parsed one (:func:`tutor.course.loader.load_course`).

A file that cannot be read, is damaged, or holds anything but the tree of this key is
ignored, and the manifest is parsed again. Only trees of JSON's own kinds of value
(text, whole numbers, finite numbers, true, false, null, lists, and mappings with
text keys) are kept; a manifest with anything else (a date, say) is parsed each time.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

from tutor.course.yamlfile import LineDict
from tutor.text.atomic_write import write_bytes_atomic
from tutor.text.untrusted_json import read_keyed

FORMAT = 1  # bump when what the file holds, or how the tree is encoded, changes
FILE_NAME = "course-manifest.json"
MAX_BYTES = 4 * 1024 * 1024


class _NotKept(Exception):
    """A value JSON cannot hold as it is: the tree is not kept."""


class ManifestCache:
    """The manifest's tree kept in a workspace's cache folder (see the module docstring)."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / FILE_NAME

    def get(self, manifest: bytes) -> Any | None:
        """The tree kept for these manifest bytes, or None (none, another, or damaged)."""
        data = read_keyed(self.path, _key_of(manifest), MAX_BYTES)
        if data is None:
            return None
        try:
            return _decode(data.get("tree"))
        except (_NotKept, RecursionError):
            return None

    def put(self, manifest: bytes, tree: Any) -> None:
        """Keep ``tree`` for these bytes; a tree JSON cannot hold, or a failed write,
        keeps nothing."""
        try:
            encoded = json.dumps({"key": _key_of(manifest), "tree": _encode(tree)},
                                 ensure_ascii=False, allow_nan=False)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(self.path, encoded.encode("utf-8"))
        except (_NotKept, OSError, ValueError, RecursionError):
            pass


def _key_of(manifest: bytes) -> str:
    return hashlib.sha256(f"aisec course manifest {FORMAT}\n".encode() + manifest).hexdigest()


# A mapping is {"line": N, "keys": {key: line}, "items": {key: value}} (JSON keeps the
# order of an object's keys); a list is a list; anything else is the value itself.

def _encode(value: Any) -> Any:
    if isinstance(value, LineDict):
        if not all(isinstance(k, str) for k in value):
            raise _NotKept
        return {"line": value.line, "keys": {k: value.line_of(k) for k in value},
                "items": {k: _encode(v) for k, v in value.items()}}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return _scalar(value)


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        line: Any = value.get("line")
        keys, items = value.get("keys"), value.get("items")
        if (len(value) != 3 or not _is_line(line) or not isinstance(keys, dict)
                or not isinstance(items, dict) or list(keys) != list(items)
                or not all(_is_line(n) for n in keys.values())):
            raise _NotKept
        result = LineDict((k, _decode(v)) for k, v in items.items())
        result.line, result.key_lines = line, dict(keys)
        return result
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    """A value JSON holds as it is: text, a whole or finite number, true, false, null."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise _NotKept  # a date, a plain dict, a set, infinity...


def _is_line(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
