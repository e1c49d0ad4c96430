"""What a warm grader's fork server imports ahead, worked out from the course's check files.

Every fork server imports the modules the check files import, so that no grading
has to: the standard library's, the course's known packages (:data:`THIRD_PARTY`)
and this package's own, never anything that could be found in a learner's folder.
Working that out parses every check file (a few tenths of a second), before the
servers can start; a caller with a cache folder (a workspace's) keeps the answer
there, keyed by a SHA-256 of the check files, and a kept answer is filtered again
as if freshly worked out, so a damaged or forged file can add nothing.

A package too heavy for every server (:data:`ON_DEMAND`) is imported by a server
only when a grading's check file needs it (:func:`on_demand_names`).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import sys
from pathlib import Path
from typing import Any

from tutor.text.atomic_write import write_json_atomic
from tutor.text.untrusted_json import read_keyed

# Installed modules the course's checks use, imported ahead when a check file does.
THIRD_PARTY = frozenset({"ollama", "httpx", "markdown_it", "yaml", "hypothesis"})
# Installed packages too heavy to import ahead in every fork server for one check file
# (the MCP SDK: 0.4-1.3 s and 30 MB, for the mcp_pinning lab only): a server imports
# one when it is first asked to grade a check file that uses it, and keeps it.
ON_DEMAND = frozenset({"mcp"})
CACHE_FILE = "warm-grader-preload.json"
FORMAT = 1  # bump when how the names are worked out changes
MAX_BYTES = 256 * 1024
OWN_PACKAGE = __name__.split(".")[0]


def preload_names(checks_dir: Path | None, cache_dir: Path | None = None) -> list[str]:
    """Modules the check files import that every fork server imports ahead: the standard
    library's and known packages (top-level names), and this package's own modules."""
    if checks_dir is None or not checks_dir.is_dir():
        return []
    sources = []
    for check_file in sorted(checks_dir.glob("test_*.py")):
        try:
            sources.append((check_file.name, check_file.read_bytes()))
        except OSError:
            continue
    key = _key(sources)
    kept = _read(cache_dir / CACHE_FILE, key) if cache_dir is not None else None
    if kept is not None:
        return kept
    names = _allowed({name for _file, source in sources for name in _imported_by(source)})
    if cache_dir is not None:
        _write(cache_dir / CACHE_FILE, key, names)
    return names


def on_demand_names(check_file: Path, allowed: frozenset[str] | None = None) -> list[str]:
    """The heavy packages of ``allowed`` (default :data:`ON_DEMAND`) that ``check_file``
    imports."""
    try:
        source = check_file.read_bytes()
    except OSError:
        return []
    wanted = ON_DEMAND if allowed is None else allowed
    if not any(name.encode() in source for name in wanted):
        return []  # a name that does not appear is not imported: no need to parse
    # By content: each grading reads a fresh private copy of the check file.
    return list(_on_demand_cached(source, wanted))


@functools.lru_cache(maxsize=64)
def _on_demand_cached(source: bytes, allowed: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted({n.split(".")[0] for n in _imported_by(source)} & allowed))


def _imported_by(source: bytes) -> set[str]:
    """The absolute module names a check file imports, anywhere in it."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()  # the grading reports a broken check file
    names: set[str] = set()
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _statements(body: list[ast.stmt]) -> Any:
    """Every statement, nested ones too (an import is a statement; expressions, the
    bulk of a tree, are not visited)."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody"):
            nested = getattr(node, field, None)
            if isinstance(nested, list):
                yield from _statements(nested)
        for part in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            yield from _statements(part.body)


def _allowed(names: set[str]) -> list[str]:
    """Never anything that could be found in a learner's folder: the standard library,
    the course's own dependencies (top-level names) and this package's modules."""
    kept: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not all(p.isidentifier() for p in name.split(".")):
            continue
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top in THIRD_PARTY:
            kept.add(top)
        elif top == OWN_PACKAGE:
            kept.add(name)
    return sorted(kept)


def _key(sources: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256(f"aisec preload {FORMAT} {sys.version}\n".encode())
    for name, source in sources:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(len(source).to_bytes(8, "big") + source)
    return digest.hexdigest()


def _read(path: Path, key: str) -> list[str] | None:
    data = read_keyed(path, key, MAX_BYTES)
    names = data.get("names") if data is not None else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return _allowed(set(names))  # filtered as if worked out: a forged file adds nothing


def _write(path: Path, key: str, names: list[str]) -> None:
    with contextlib.suppress(OSError):  # not kept: worked out again next time
        write_json_atomic(path, {"key": key, "names": names})
