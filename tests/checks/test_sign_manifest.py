"""Hidden checks for `sign_manifest`.

Every check builds its own small "model directory" under pytest's tmp_path. The expected
hashes and signatures are computed here with hashlib, hmac and json, independently of
the learner's code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
from pathlib import Path

KEY = bytes(range(32))  # 32 bytes, the minimum the exercise accepts
OTHER_KEY = bytes(range(1, 33))

FILES = {
    "config.json": b'{"hidden_size": 8}',
    "model.safetensors": bytes(range(256)) * 40,
    "tokenizer/vocab.txt": "héllo\nwörld\n".encode(),
    "tokenizer/merges.txt": b"",
    ".gitattributes": b"*.safetensors filter=lfs\n",
    "sub dir/deeper/notes 1.md": b"# notes\n",
}


def _model(root: Path, files: dict[str, bytes] = FILES) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def _expected_manifest(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}


def _expected_signature(manifest: dict[str, str], key: bytes) -> str:
    canonical = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def _symlink(link: Path, target: Path, *, directory: bool = False) -> bool:
    """Create a symlink; False where the OS does not allow it (some Windows setups)."""
    try:
        link.symlink_to(target, target_is_directory=directory)
    except (OSError, NotImplementedError):
        return False
    return True


def _expect_raises(expected: type[BaseException], call, description: str, why: str) -> None:
    """Assert that call() raises `expected`, with a teaching message otherwise."""
    try:
        got = call()
    except expected:
        return
    except NotImplementedError:
        raise
    except Exception as exc:
        raise AssertionError(
            f"{description} raised {type(exc).__name__}({exc}), expected "
            f"{expected.__name__}. {why}"
        ) from None
    raise AssertionError(
        f"{description} returned {got!r:.200}, expected {expected.__name__}. {why}"
    )


def _learner_module(exercise):
    """The module object behind the exercise fixture, to patch names it imported."""
    return sys.modules[exercise.verify.__module__]


def test_manifest_lists_every_file(exercise, tmp_path):
    """Maps each file's relative POSIX path to its SHA-256, sorted, nested and hidden files too"""
    root = _model(tmp_path / "model")
    got = exercise.build_manifest(root)
    expected = _expected_manifest(FILES)
    assert got == expected, (
        f"build_manifest(<a model directory with {sorted(FILES)}>) returned {got!r}, expected "
        f"{expected!r}. Every regular file under the root, at any depth and including "
        "dotfiles such as .gitattributes, maps its path relative to the root, written with "
        "'/' (PurePath.as_posix()), to the lowercase hex SHA-256 of its bytes. A file left "
        "out of the manifest can be changed without breaking the signature."
    )
    assert list(got) == sorted(got), (
        f"build_manifest returned its keys in the order {list(got)!r}, expected sorted order "
        f"{sorted(got)!r}: the same directory must always give the same manifest, whatever "
        "order the file system lists it in."
    )
    got = exercise.build_manifest(str(root))
    assert got == expected, (
        f"build_manifest({str(root)!r}) (a str, not a Path) returned {got!r}: accept any "
        "path-like value, as pathlib.Path(root) does."
    )


def test_empty_and_missing_directories(exercise, tmp_path):
    """Returns {} for an empty directory and raises NotADirectoryError for a missing one"""
    empty = tmp_path / "empty"
    (empty / "only" / "subdirectories").mkdir(parents=True)
    got = exercise.build_manifest(empty)
    assert got == {}, (
        f"build_manifest(<a directory holding only empty subdirectories>) returned {got!r}, "
        "expected {}: directories have no content of their own, only files are listed."
    )
    a_file = tmp_path / "weights.bin"
    a_file.write_bytes(b"\x00" * 8)
    for path, what in ((tmp_path / "does-not-exist", "a path that does not exist"),
                       (a_file, "a file instead of a directory")):
        _expect_raises(
            NotADirectoryError, lambda path=path: exercise.build_manifest(path),
            f"build_manifest(<{what}>)",
            "An empty manifest for a missing model would verify against any signed empty "
            "manifest: a typo in a path must be an error, not a pass. Check root.is_dir() "
            "first.",
        )


def test_manifest_refuses_symlinks(exercise, tmp_path):
    """Raises ValueError when the directory contains a symbolic link"""
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"not part of the model")
    cases = [
        ("link.bin", outside, False, "a link to a file outside the model directory"),
        ("tokenizer/alias.txt", Path("vocab.txt"), False, "a link to a file inside it"),
        ("linked_dir", tmp_path, True, "a link to a directory"),
    ]
    for name, target, directory, what in cases:
        root = _model(tmp_path / f"model_{name.replace('/', '_')}")
        if not _symlink(root / name, target, directory=directory):
            return  # this system cannot create symlinks, so its model folders hold none
        _expect_raises(
            ValueError, lambda root=root: exercise.build_manifest(root),
            f"build_manifest(<a model directory with {what}, {name!r}>)",
            "A link can point anywhere and can be re-pointed after signing without changing "
            "anything in the signed directory; refuse it (check Path.is_symlink() before you "
            "open or descend into anything).",
        )


def test_sign_uses_canonical_json(exercise):
    """Signs the canonical JSON of the manifest with HMAC-SHA256, whatever the dict order"""
    manifest = _expected_manifest(FILES)
    expected = _expected_signature(manifest, KEY)
    got = exercise.sign(manifest, KEY)
    assert got == expected, (
        f"sign(<manifest of {len(manifest)} files>, key) returned {got!r}, expected "
        f"{expected!r}: hmac.new(key, json.dumps(manifest, sort_keys=True, separators=(',', "
        "':')).encode('utf-8'), hashlib.sha256).hexdigest(). Anyone verifying with another "
        "tool must be able to rebuild exactly the bytes you signed."
    )
    reordered = dict(reversed(list(manifest.items())))
    got_reordered = exercise.sign(reordered, KEY)
    assert got_reordered == expected, (
        f"sign() gave {got_reordered!r} for the same manifest with its keys in reverse order, "
        f"and {got!r} in sorted order. A dict's order is not part of its content; sort the "
        "keys when you encode it, or the same manifest fails to verify elsewhere."
    )
    one = {"a=1\nb": "2"}
    two = {"a": "1\nb=2"}
    assert exercise.sign(one, KEY) != exercise.sign(two, KEY), (
        f"sign({one!r}) and sign({two!r}) are equal. Joined as 'path=hash' lines both read "
        "'a=1\\nb=2'; JSON quotes and escapes every string, so different manifests never "
        "encode to the same bytes."
    )
    assert exercise.sign(manifest, OTHER_KEY) != got, (
        "sign() gave the same signature with two different keys: the key must go into the HMAC."
    )


def test_sign_refuses_weak_keys(exercise):
    """Refuses keys shorter than 32 bytes (ValueError) and keys that are not bytes (TypeError)"""
    manifest = {"a.bin": hashlib.sha256(b"a").hexdigest()}
    for key in (b"", b"secret", bytes(31)):
        _expect_raises(
            ValueError, lambda key=key: exercise.sign(manifest, key), f"sign(manifest, {key!r})",
            f"A {len(key)}-byte key is shorter than MIN_KEY_BYTES (32). RFC 2104 strongly "
            "discourages HMAC keys shorter than the hash output, and an empty key lets anyone "
            "sign.",
        )
    for key in ("0123456789abcdef0123456789abcdef", None):
        _expect_raises(
            TypeError, lambda key=key: exercise.sign(manifest, key), f"sign(manifest, {key!r})",
            "The key must be bytes. Guessing an encoding for a str key hides a configuration "
            "mistake.",
        )


def test_verify_detects_changes(exercise, tmp_path):
    """Accepts the untouched model and rejects changed, added, removed or renamed files"""
    root = _model(tmp_path / "model")
    manifest = _expected_manifest(FILES)
    signature = _expected_signature(manifest, KEY)
    got = exercise.verify(root, manifest, signature, KEY)
    assert got is True, (
        f"verify(<untouched model>, manifest, signature, key) returned {got!r}, expected True: "
        "the signature matches the manifest and the files match it."
    )

    def tamper(action: str) -> None:
        if action == "change":
            data = bytearray((root / "model.safetensors").read_bytes())
            data[5000] ^= 0x01
            (root / "model.safetensors").write_bytes(bytes(data))
        elif action == "add":
            (root / "tokenizer" / "extra.py").write_bytes(b"import os\n")
        elif action == "add empty":
            (root / ".hidden").write_bytes(b"")
        elif action == "remove":
            (root / "tokenizer" / "merges.txt").unlink()
        elif action == "rename":
            (root / "config.json").rename(root / "config.JSON")

    for action, what in (
        ("change", "one bit flipped in model.safetensors"),
        ("add", "a new file tokenizer/extra.py"),
        ("add empty", "a new empty file .hidden"),
        ("remove", "tokenizer/merges.txt deleted"),
        ("rename", "config.json renamed to config.JSON"),
    ):
        root = _model(tmp_path / f"model_{action.replace(' ', '_')}")
        tamper(action)
        got = exercise.verify(root, manifest, signature, KEY)
        assert got is False, (
            f"verify(<the signed model with {what}>, manifest, signature, key) returned "
            f"{got!r}, expected False. The signature still matches the manifest, but the "
            "directory no longer does: rebuild the manifest from the files and compare it "
            "with the signed one. Checking only the signature proves nothing about the files."
        )


def test_verify_rejects_forged_manifests_and_signatures(exercise, tmp_path):
    """Rejects a manifest edited to match tampered files, and bad or foreign signatures"""
    files = {**FILES, "model.safetensors": b"backdoored weights"}
    root = _model(tmp_path / "tampered", files)
    honest = _expected_manifest(FILES)
    forged = _expected_manifest(files)
    signature = _expected_signature(honest, KEY)
    got = exercise.verify(root, forged, signature, KEY)
    assert got is False, (
        f"verify(<tampered model>, <manifest rewritten to match it>, <the original signature>, "
        f"key) returned {got!r}, expected False. An attacker who swaps the weights also "
        "swaps the manifest; only the HMAC over the manifest catches that. Check the "
        "signature before you trust the manifest."
    )
    root = _model(tmp_path / "model")
    for bad, what in (
        (_expected_signature(honest, OTHER_KEY), "a valid signature made with another key"),
        (signature.upper(), "the right signature in uppercase"),
        (signature[:-1], "the right signature without its last character"),
        (signature + "0", "the right signature with a character added"),
        ("", "an empty string"),
        ("é" * 64, "64 non-ASCII characters"),
        (None, "None"),
        (signature.encode(), "the right signature as bytes instead of str"),
    ):
        got = exercise.verify(root, honest, bad, KEY)
        assert got is False, (
            f"verify(<untouched model>, manifest, {bad!r:.80} ({what}), key) returned {got!r}, "
            "expected False, and no exception: verify answers yes only to the exact string "
            "sign() returns, and answers no to anything else an attacker can send."
        )


def test_verify_relies_on_compare_digest(exercise, tmp_path, monkeypatch):
    """Compares signatures with hmac.compare_digest, and trusts its answer"""
    import secrets

    root = _model(tmp_path / "model")
    manifest = _expected_manifest(FILES)
    signature = _expected_signature(manifest, KEY)
    real = hmac.compare_digest
    calls: list[tuple] = []
    answer = {"value": None}

    def spy(a, b):
        calls.append((a, b))
        return real(a, b) if answer["value"] is None else answer["value"]

    monkeypatch.setattr(hmac, "compare_digest", spy)
    monkeypatch.setattr(secrets, "compare_digest", spy)
    module = _learner_module(exercise)
    if hasattr(module, "compare_digest"):
        monkeypatch.setattr(module, "compare_digest", spy)

    got = exercise.verify(root, manifest, signature, KEY)
    assert got is True and calls, (
        f"verify(<untouched model>, manifest, signature, key) returned {got!r} and called "
        f"hmac.compare_digest {len(calls)} time(s), expected True and at least one call. "
        "Compare the expected and the given signature with hmac.compare_digest: == stops at "
        "the first different character, and that timing difference lets an attacker guess a "
        "valid signature one character at a time."
    )
    signature_seen = any(signature in (a, b) or signature.encode() in (a, b) for a, b in calls)
    assert signature_seen, (
        f"verify() called hmac.compare_digest with {calls!r:.300}, but never with the "
        "signature it was given (as str or bytes). The comparison that decides the answer "
        "is the one that must be constant-time."
    )
    answer["value"] = False
    got = exercise.verify(root, manifest, signature, KEY)
    assert got is False, (
        f"With hmac.compare_digest made to answer False, verify() on a valid signature "
        f"returned {got!r}, expected False: the result of compare_digest must decide the "
        "answer, not a second comparison with ==."
    )


def test_verify_fails_closed(exercise, tmp_path):
    """Returns False, not an exception, for a missing directory or a symlink added later"""
    manifest = _expected_manifest(FILES)
    signature = _expected_signature(manifest, KEY)
    got = exercise.verify(tmp_path / "gone", manifest, signature, KEY)
    assert got is False, (
        f"verify(<a directory that does not exist>, manifest, signature, key) returned {got!r}, "
        "expected False: nothing was verified."
    )
    root = _model(tmp_path / "model")
    os.remove(root / "config.json")
    real_config = tmp_path / "config.json"
    real_config.write_bytes(FILES["config.json"])
    if _symlink(root / "config.json", real_config):
        got = exercise.verify(root, manifest, signature, KEY)
        assert got is False, (
            f"verify(<the model with config.json replaced by a symlink to an identical file "
            f"elsewhere>) returned {got!r}, expected False (and no exception): the bytes match "
            "today, but the link can be re-pointed tomorrow without touching the directory."
        )
