"""sign_manifest against hashlib and hmac (the standard library's SHA-256 and HMAC).

On generated model directories, manifests and keys: the manifest holds exactly
``hashlib.sha256`` of every file, the signature is ``hmac.new(key, canonical JSON,
"sha256")``, and ``verify`` answers True exactly when ``hmac.compare_digest`` says the
signature is the right one AND the files are unchanged. Changing any byte of any file,
adding, removing or renaming a file, or changing any character of the manifest or the
signature makes ``verify`` answer False.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from reference import load_solution

solution = load_solution("sign_manifest")

DIFFERENCES: dict[str, str] = {}  # none: the exercise does exactly what hmac and hashlib do

KEYS = st.binary(min_size=solution.MIN_KEY_BYTES, max_size=80)


def _usable_name(segment: str) -> bool:
    return segment not in {".", ".."} and segment.strip() == segment


SEGMENT = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"],
                                exclude_characters="/\\"), min_size=1, max_size=6).filter(
    _usable_name)
PATHS = st.lists(SEGMENT, min_size=1, max_size=3).map("/".join)


def _no_file_is_a_folder(files: dict[str, bytes]) -> bool:
    return not any(other.startswith(path + "/") for path in files for other in files)


TREES = st.dictionaries(PATHS, st.binary(max_size=300), min_size=1, max_size=6).filter(
    _no_file_is_a_folder)


def _canonical(manifest: dict[str, str]) -> bytes:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _expected_signature(manifest: dict[str, str], key: bytes) -> str:
    return hmac.new(key, _canonical(manifest), "sha256").hexdigest()


# Many small directories are made and removed: use memory when the machine has it.
TMP = "/dev/shm" if Path("/dev/shm").is_dir() else None


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


@settings(max_examples=100)
@given(st.dictionaries(st.text(), st.text(), max_size=8), KEYS)
def test_sign_is_hmac_sha256_of_canonical_json(manifest: dict[str, str], key: bytes) -> None:
    assert solution.sign(manifest, key) == _expected_signature(manifest, key)
    reordered = dict(reversed(list(manifest.items())))
    assert solution.sign(reordered, key) == _expected_signature(manifest, key)


@settings(max_examples=50)
@given(TREES)
def test_manifest_is_sha256_of_every_file(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory(dir=TMP) as tmp:
        _write(Path(tmp), files)
        expected = {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}
        got = solution.build_manifest(Path(tmp))
        assert got == expected
        assert list(got) == sorted(got)


VARIANTS = ["right", "flip", "upper", "shorter", "longer", "other key", "text", "bytes", "none"]


def _variant(kind: str, right: str, other: str, data: st.DataObject) -> object:
    """A signature to try: the right one, or something an attacker might send."""
    if kind == "flip":
        index = data.draw(st.integers(0, len(right) - 1))
        return right[:index] + ("0" if right[index] != "0" else "1") + right[index + 1 :]
    if kind == "text":
        return data.draw(st.text(max_size=70))
    return {"right": right, "upper": right.upper(), "shorter": right[:-1],
            "longer": right + "0", "other key": other, "bytes": right.encode(),
            "none": None}[kind]


@settings(max_examples=50)
@given(TREES, KEYS, KEYS, st.data())
def test_verify_agrees_with_compare_digest(files: dict[str, bytes], key: bytes,
                                           other_key: bytes, data: st.DataObject) -> None:
    manifest = {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}
    right = _expected_signature(manifest, key)
    kind = data.draw(st.sampled_from(VARIANTS))
    candidate = _variant(kind, right, _expected_signature(manifest, other_key), data)
    expected = isinstance(candidate, str) and hmac.compare_digest(
        candidate.encode("utf-8", "replace"), right.encode())
    with tempfile.TemporaryDirectory(dir=TMP) as tmp:
        _write(Path(tmp), files)
        assert solution.verify(Path(tmp), manifest, candidate, key) is expected


@settings(max_examples=50)
@given(TREES, KEYS, st.data())
def test_any_change_to_the_files_is_detected(files: dict[str, bytes], key: bytes,
                                              data: st.DataObject) -> None:
    manifest = {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}
    signature = _expected_signature(manifest, key)
    name = data.draw(st.sampled_from(sorted(files)))
    content = files[name]
    change = data.draw(st.sampled_from(["flip", "append", "truncate", "remove", "add", "rename"]))
    changed = dict(files)
    if change == "flip" and content:
        index = data.draw(st.integers(0, len(content) - 1))
        bit = data.draw(st.integers(0, 7))
        flipped = bytes([content[index] ^ (1 << bit)])
        changed[name] = content[:index] + flipped + content[index + 1 :]
    elif change == "append" or (change == "flip" and not content):
        changed[name] = content + data.draw(st.binary(min_size=1, max_size=3))
    elif change == "truncate" and content:
        changed[name] = content[: data.draw(st.integers(0, len(content) - 1))]
    elif change == "remove" and len(files) > 1:
        del changed[name]
    else:  # add a file, or rename one (truncating or removing had nothing to take away)
        new = name + data.draw(st.sampled_from([".py", "~", "_", ".bak"]))
        if change == "rename":
            changed[new] = changed.pop(name)
        else:
            changed[new] = b""
        if not _no_file_is_a_folder(changed):
            return
    assert changed != files
    with tempfile.TemporaryDirectory(dir=TMP) as tmp:
        _write(Path(tmp), changed)
        assert solution.verify(Path(tmp), manifest, signature, key) is False


@settings(max_examples=50)
@given(TREES, KEYS, st.data())
def test_any_change_to_the_manifest_is_detected(files: dict[str, bytes], key: bytes,
                                                 data: st.DataObject) -> None:
    manifest = {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}
    signature = _expected_signature(manifest, key)
    name = data.draw(st.sampled_from(sorted(manifest)))
    forged = dict(manifest)
    if data.draw(st.booleans()):
        index = data.draw(st.integers(0, 63))
        digit = data.draw(st.sampled_from("0123456789abcdef").filter(
            lambda d: d != manifest[name][index]))
        forged[name] = manifest[name][:index] + digit + manifest[name][index + 1 :]
    else:
        forged[name + "x"] = forged.pop(name)
    with tempfile.TemporaryDirectory(dir=TMP) as tmp:
        _write(Path(tmp), files)
        assert solution.verify(Path(tmp), forged, signature, key) is False
