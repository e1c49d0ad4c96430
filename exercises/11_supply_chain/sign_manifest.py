"""Sign a model directory, and check it has not changed before you load it.

The scenario
------------

Your team fine-tunes a model, publishes the directory (weights, config, tokenizer) to an
internal store, and a deployment job downloads it later. Between the two, anyone with
write access to the store, a compromised mirror, or a confused sync job can change a
file. A checksum printed in a README does not help: whoever changes the weights can
change the README. What helps is a signature over a list of every file and its hash,
made with a key the attacker does not have, and checked before anything is loaded.

That is how OpenSSF model signing works (the `model_signing` package from the
sigstore/model-transparency project): it hashes the files of the model (SHA-256 by
default), signs the list of (path, digest) pairs, and at verification hashes the files
again and compares. It signs with public-key cryptography, through Sigstore or with your
own keys, so that verifiers need no secret. (It skips git's own files, such as
.gitattributes, by default; this exercise hashes every file.)
This exercise uses HMAC-SHA256 with a shared key instead, so that it runs offline with
the standard library; the manifest and the checks are the same idea.

What to implement
-----------------

    build_manifest(root: Path) -> dict[str, str]
    sign(manifest: dict[str, str], key: bytes) -> str
    verify(root: Path, manifest: dict[str, str], signature: str, key: bytes) -> bool

`build_manifest(root)`:
- `root` is a path (Path or str). If it is not an existing directory, raise
  NotADirectoryError.
- Walk it recursively (`Path(root).rglob("*")`). For every regular file, at any depth
  and including names that start with a dot, map its path relative to root, written
  with "/" (`path.relative_to(root).as_posix()`), to the lowercase hex SHA-256 of its
  bytes. Read each file in chunks of CHUNK_SIZE: model files can be larger than memory.
- Directories add no entry of their own. A symbolic link anywhere under root (to a
  file or a directory, inside or outside root) raises ValueError: check
  `path.is_symlink()` before you open or follow anything. The real tool also refuses
  links unless you opt in.
- Return the dict with its keys in sorted order.

`sign(manifest, key)`:
- `key` must be bytes (TypeError otherwise) of at least MIN_KEY_BYTES (ValueError
  otherwise).
- Return `hmac.new(key, canonical, hashlib.sha256).hexdigest()`, where canonical is
  `json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8")`. Sorting
  makes the bytes independent of the dict's order; JSON quoting makes sure that two
  different manifests never encode to the same bytes.

`verify(root, manifest, signature, key)`:
- Check the key as sign() does (those two errors are the caller's bug, so they raise).
- Return True only if BOTH hold: `signature` is exactly `sign(manifest, key)`, compared
  with `hmac.compare_digest` (compare bytes: it refuses str with non-ASCII characters),
  AND `build_manifest(root)` equals `manifest`.
- Anything else returns False, never raises: a signature that is not a str, a missing
  directory, a symlink added after signing.

Examples
--------

>>> root = Path(tempfile.mkdtemp())
>>> (root / "config.json").write_text('{"layers": 2}')
13
>>> manifest = build_manifest(root)
>>> manifest
{'config.json': '53d7ce73be51f5530f93923deaf148b4af52b9768c88399da44f8d6da02f4063'}
>>> key = secrets.token_bytes(32)     # keep it in a secret store, not in the repo
>>> signature = sign(manifest, key)
>>> verify(root, manifest, signature, key)
True
>>> (root / "config.json").write_text('{"layers": 3}')
13
>>> verify(root, manifest, signature, key)
False

Why it matters
--------------

OWASP LLM03:2025 Supply Chain recommends using models only from verifiable sources and
integrity checks "with signing and file hashes" to make up for weak model provenance;
LLM04:2025 Data and Model Poisoning asks you to track the origin of data and models.
Signing the whole directory, not only the weights, matters: a changed tokenizer or a
new Python file next to the weights (some loaders run code shipped with a model when
you allow them to) is as dangerous as changed weights.
"""

from __future__ import annotations

import hashlib  # noqa: F401  (hashlib.sha256)
import hmac  # noqa: F401  (hmac.new, hmac.compare_digest)
import json  # noqa: F401  (json.dumps for the canonical encoding)
import secrets  # noqa: F401  (used in the examples)
import tempfile  # noqa: F401  (used in the examples)
from pathlib import Path

CHUNK_SIZE = 1024 * 1024  # read files 1 MiB at a time: model files can be many gigabytes
MIN_KEY_BYTES = 32  # RFC 2104: keys shorter than the hash output (32 bytes) are discouraged


def build_manifest(root: Path) -> dict[str, str]:
    """Relative POSIX path -> SHA-256 hex of every regular file under `root`, sorted by path."""
    # TODO: NotADirectoryError unless root is a directory; ValueError for any symlink.
    # TODO: hash each regular file in CHUNK_SIZE pieces; key = relative path with "/".
    raise NotImplementedError("TODO: implement build_manifest")


def sign(manifest: dict[str, str], key: bytes) -> str:
    """HMAC-SHA256 of the canonical JSON encoding of `manifest`, as lowercase hex."""
    # TODO: check the key (TypeError, ValueError), then HMAC the canonical JSON.
    raise NotImplementedError("TODO: implement sign")


def verify(root: Path, manifest: dict[str, str], signature: str, key: bytes) -> bool:
    """True only if `signature` signs `manifest` and `root` holds exactly those files."""
    # TODO: check the key; compare signatures with hmac.compare_digest;
    # TODO: then rebuild the manifest from root and compare. False, never an exception.
    raise NotImplementedError("TODO: implement verify")
