"""What the warm grader imports ahead: worked out once per set of check files and kept,
and a kept list can only ever name what a fresh one could."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tutor.grader import preload
from tutor.grader.preload import on_demand_names, preload_names


@pytest.fixture
def checks(tmp_path: Path) -> Path:
    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "test_a.py").write_text(
        "import json\n\ndef test_x(exercise):\n    if True:\n        try:\n"
        "            from urllib.parse import urlsplit\n        except ImportError:\n"
        "            import evil_module\n")
    (folder / "test_b.py").write_text("from tutor.labs.judge import Outcome\n")
    return folder


def parses(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = preload._imported_by
    monkeypatch.setattr(preload, "_imported_by",
                        lambda source: calls.append(1) or real(source))
    return calls


def test_nested_imports_are_found_and_only_allowed_ones_kept(checks):
    """The standard library, the course's known packages and this package's modules;
    never a name that could be a learner's file."""
    (checks / "test_c.py").write_text(
        "import os.path\nimport hypothesis\nimport exercises\nfrom adder import add\n"
        "from . import sibling\nimport tutorial\nimport mcp\n")
    (checks / "test_broken.py").write_text("def (:\n")
    assert preload_names(checks) == ["hypothesis", "json", "os", "tutor.labs.judge", "urllib"]
    assert preload_names(None) == []
    assert on_demand_names(checks / "test_c.py") == ["mcp"]
    assert on_demand_names(checks / "test_broken.py") == []
    assert on_demand_names(checks / "test_missing.py") == []


def test_the_names_are_kept_and_an_edit_to_a_check_file_is_seen(checks, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = preload_names(checks, cache)
    calls = parses(monkeypatch)
    assert preload_names(checks, cache) == first and calls == []
    check = checks / "test_b.py"
    stat = check.stat()
    check.write_text("import hashlib, evil\n")  # same size and time as before? the bytes differ
    os.utime(check, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert preload_names(checks, cache) == ["hashlib", "json", "urllib"]
    assert calls == [1, 1]


@pytest.mark.parametrize("forged", [
    {"names": ["json", "evil_module", "os; import x", "tutorial", "tutor.ok", 7]},
    {"names": "json"},
    {"names": ["x" * 10]},
])
def test_a_forged_list_names_nothing_a_fresh_one_could_not(checks, tmp_path, forged):
    cache = tmp_path / "cache"
    preload_names(checks, cache)
    kept = json.loads((cache / preload.CACHE_FILE).read_text())
    (cache / preload.CACHE_FILE).write_text(json.dumps({**kept, **forged}))
    names = preload_names(checks, cache)
    assert set(names) <= {"json", "urllib", "tutor.labs.judge", "tutor.ok"}
    assert "evil_module" not in names and "tutorial" not in names


def test_a_damaged_or_unwritable_cache_only_costs_a_parse(checks, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / preload.CACHE_FILE).write_text("{not json")
    assert preload_names(checks, cache) == ["json", "tutor.labs.judge", "urllib"]
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert preload_names(checks, blocked / "cache") == ["json", "tutor.labs.judge", "urllib"]


def test_a_check_file_that_never_names_a_heavy_package_is_not_parsed(tmp_path, monkeypatch):
    calls = parses(monkeypatch)
    plain = tmp_path / "test_plain.py"
    plain.write_text("import json\n")
    assert on_demand_names(plain) == [] and calls == []
    named = tmp_path / "test_named.py"
    named.write_text("# mcp is mentioned, not imported\nimport json\n")
    assert on_demand_names(named) == [] and calls == [1]
    heavy = tmp_path / "test_heavy.py"
    heavy.write_text("def test_x():\n    from mcp import ClientSession\n")
    assert on_demand_names(heavy) == ["mcp"]
