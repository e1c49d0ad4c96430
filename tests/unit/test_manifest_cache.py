"""course.yaml's tree kept in the workspace: used only for the very bytes it was parsed
from, validated like a fresh parse, and never trusted when damaged or forged."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.course import loader
from tutor.course.loader import load_course
from tutor.course.yamlfile import LineDict, parse_yaml
from tutor.errors import ContentError
from tutor.learner import manifest_cache
from tutor.learner.manifest_cache import ManifestCache


def parses(monkeypatch) -> list[int]:
    """Counts the manifest's YAML parses."""
    calls: list[int] = []
    real = loader.parse_yaml

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "parse_yaml", counted)
    return calls


def test_a_second_load_uses_the_kept_tree_and_gives_the_same_course(course_dir, tmp_path,
                                                                      monkeypatch):
    cache = ManifestCache(tmp_path / "cache")
    fresh = load_course(course_dir)
    calls = parses(monkeypatch)
    assert load_course(course_dir, cache) == fresh
    assert calls == [1] and cache.path.is_file()
    assert load_course(course_dir, cache) == fresh
    assert calls == [1], "the kept tree was used"


def test_the_kept_tree_keeps_every_line(course_dir, tmp_path):
    text = (course_dir / "course.yaml").read_text(encoding="utf-8")
    tree = parse_yaml(text, "course.yaml")
    cache = ManifestCache(tmp_path)
    cache.put(text.encode(), tree)
    kept = cache.get(text.encode())
    assert kept == tree and _lines(kept) == _lines(tree)


def _lines(value):
    if isinstance(value, LineDict):
        return (value.line, dict(value.key_lines), {k: _lines(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_lines(v) for v in value]
    return None


def test_any_edit_is_noticed_even_with_the_same_size_and_time(course_dir, tmp_path,
                                                              monkeypatch):
    cache = ManifestCache(tmp_path)
    manifest = course_dir / "course.yaml"
    before = load_course(course_dir, cache)
    stat = manifest.stat()
    text = manifest.read_text(encoding="utf-8")
    assert "minutes: 5" in text
    manifest.write_text(text.replace("minutes: 5", "minutes: 6", 1), encoding="utf-8")
    os.utime(manifest, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    calls = parses(monkeypatch)
    after = load_course(course_dir, cache)
    assert calls == [1] and after != before
    assert [e.minutes for e in after.exercises] != [e.minutes for e in before.exercises]


def test_a_broken_manifest_is_reported_whatever_was_kept(course_dir, tmp_path):
    cache = ManifestCache(tmp_path)
    load_course(course_dir, cache)
    manifest = course_dir / "course.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n  bad: [indent\n",
                        encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_course(course_dir, cache)
    assert "course.yaml" in str(caught.value)


def _forge(cache: ManifestCache, change) -> None:
    data = json.loads(cache.path.read_text(encoding="utf-8"))
    change(data)
    cache.path.write_text(json.dumps(data), encoding="utf-8")


def _title(data, title):
    data["tree"]["items"]["title"] = title


def _nested(depth):
    tree: list = []
    for _ in range(depth):
        tree = [tree]
    return tree


def _timeout(data, timeout):
    data["tree"]["items"]["lessons"][0]["items"]["exercises"][0]["items"]["timeout"] = timeout


@pytest.mark.parametrize("forgery", [
    pytest.param(lambda data: data.update(tree={"line": 1}), id="not a mapping's shape"),
    pytest.param(lambda data: data["tree"]["keys"].pop("title"), id="keys and lines differ"),
    pytest.param(lambda data: data["tree"]["keys"].update(title=True), id="a line not a number"),
    pytest.param(lambda data: _timeout(data, 9999), id="a value the manifest would refuse"),
    pytest.param(lambda data: _title(data, 1e400), id="a number JSON cannot hold"),
    pytest.param(lambda data: data.update(tree=_nested(40)), id="nesting too deep"),
])
def test_a_damaged_or_forged_tree_is_never_used(course_dir, tmp_path, forgery):
    cache = ManifestCache(tmp_path)
    good = load_course(course_dir, cache)
    _forge(cache, forgery)
    assert load_course(course_dir, cache) == good


def test_a_tree_kept_for_other_bytes_is_not_used(course_dir, tmp_path, monkeypatch):
    cache = ManifestCache(tmp_path)
    good = load_course(course_dir, cache)
    _forge(cache, lambda data: data.update(key="0" * 64))
    calls = parses(monkeypatch)
    assert load_course(course_dir, cache) == good and calls == [1]


def test_what_cannot_be_read_is_parsed_again(course_dir, tmp_path):
    cache = ManifestCache(tmp_path)
    good = load_course(course_dir, cache)
    cache.path.write_text("{not json", encoding="utf-8")
    assert load_course(course_dir, cache) == good
    cache.path.unlink()
    cache.path.mkdir()  # not even a file: nothing kept, nothing lost
    assert load_course(course_dir, cache) == good
    if hasattr(os, "mkfifo"):
        cache.path.rmdir()
        os.mkfifo(cache.path)  # would block a plain open()
        assert load_course(course_dir, cache) == good


def test_a_manifest_with_values_json_cannot_hold_is_parsed_each_time(tmp_path):
    cache = ManifestCache(tmp_path)
    tree = parse_yaml("title: x\nwhen: 2026-12-01\n", "course.yaml")
    cache.put(b"manifest", tree)
    assert not cache.path.exists()
    cache.put(b"manifest", parse_yaml("1: one\n", "course.yaml"))  # a key that is not text
    assert not cache.path.exists()


def test_a_read_only_cache_folder_keeps_nothing_and_loses_nothing(course_dir, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    cache = ManifestCache(blocked / "cache")
    assert load_course(course_dir, cache) == load_course(course_dir)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))


@st.composite
def line_dicts(draw, children):
    keys = draw(st.lists(st.text(max_size=10), max_size=5, unique=True))
    result = LineDict((k, draw(children)) for k in keys)
    result.line = draw(st.integers(0, 10_000))
    result.key_lines = {k: draw(st.integers(0, 10_000)) for k in keys}
    return result


TREES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4), line_dicts(children)), max_leaves=30)


@given(TREES)
def test_every_tree_json_can_hold_comes_back_as_it_went(tree):
    encoded = json.loads(json.dumps(manifest_cache._encode(tree)))
    decoded = manifest_cache._decode(encoded)
    assert decoded == tree and _lines(decoded) == _lines(tree)


def test_the_cache_file_lives_with_the_workspace(mini_workspace):
    from tutor.learner.workspace import Workspace

    Workspace.open(mini_workspace.root, mini_workspace.course.root)
    assert (mini_workspace.paths.cache / manifest_cache.FILE_NAME).is_file()
