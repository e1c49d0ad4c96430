"""Reference solution for `sign_manifest`: hash every file of a model, sign the list, verify it."""

from __future__ import annotations

import hashlib
import hmac
import json
import stat
from pathlib import Path

CHUNK_SIZE = 1024 * 1024  # read files 1 MiB at a time: model files can be many gigabytes
MIN_KEY_BYTES = 32  # RFC 2104: keys shorter than the hash output (32 bytes) are discouraged


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def build_manifest(root: Path) -> dict[str, str]:
    """Relative POSIX path -> SHA-256 hex of every regular file under `root`, sorted by path."""
    root = Path(root)
    if not root.is_dir():
        raise NotADirectoryError(f"{root} is not a directory")
    manifest: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        mode = path.lstat().st_mode  # lstat: look at the link itself, never follow it
        if stat.S_ISLNK(mode):
            # A link can point outside the signed tree, or be re-pointed after signing.
            raise ValueError(f"{path} is a symbolic link; refusing to sign through it")
        if stat.S_ISDIR(mode):
            continue  # directories have no content of their own; their files are listed
        if not stat.S_ISREG(mode):
            raise ValueError(f"{path} is not a regular file")
        manifest[path.relative_to(root).as_posix()] = _sha256_file(path)
    return dict(sorted(manifest.items()))


def _canonical(manifest: dict[str, str]) -> bytes:
    # One byte string per manifest, whatever the dict order: sorted keys, no spaces.
    return json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes):
        raise TypeError("key must be bytes")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"key must be at least {MIN_KEY_BYTES} bytes")


def sign(manifest: dict[str, str], key: bytes) -> str:
    """HMAC-SHA256 of the canonical JSON encoding of `manifest`, as lowercase hex."""
    _check_key(key)
    return hmac.new(key, _canonical(manifest), hashlib.sha256).hexdigest()


def verify(root: Path, manifest: dict[str, str], signature: str, key: bytes) -> bool:
    """True only if `signature` signs `manifest` and `root` holds exactly those files."""
    _check_key(key)
    if not isinstance(signature, str) or not isinstance(manifest, dict):
        return False
    expected = sign(manifest, key)
    # compare_digest takes the same time wherever the strings differ, so an attacker
    # cannot guess a valid signature byte by byte from response times. It refuses
    # non-ASCII str, so compare bytes.
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return False
    try:
        actual = build_manifest(root)
    except (OSError, ValueError):
        return False  # missing directory, symlink, unreadable file: not what was signed
    return actual == manifest
