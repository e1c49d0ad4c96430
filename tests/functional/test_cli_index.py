"""`aisec list` keeps its course index in the workspace and lists the same with or without it."""

from __future__ import annotations

import shutil


def test_aisec_list_keeps_its_index_in_the_workspace(ws, aisec):
    first = aisec("list", "--json", cwd=ws)
    assert (ws / ".aisec" / "cache" / "course-index.json").is_file()
    assert aisec("list", "--json", cwd=ws).out == first.out
    shutil.rmtree(ws / ".aisec" / "cache")
    assert aisec("list", "--json", cwd=ws).out == first.out


def test_init_works_out_the_index_so_the_first_list_is_quick(ws, aisec):
    index = ws / ".aisec" / "cache" / "course-index.json"
    assert index.is_file()  # `ws` is made by `aisec init`
    before = index.stat().st_mtime_ns
    aisec("list", cwd=ws)
    assert index.stat().st_mtime_ns == before  # read, not worked out again
