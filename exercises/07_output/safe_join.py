r"""Turn a file path a model proposed into a path that stays inside one directory.

The scenario
------------

Your assistant saves the reports it writes: the model answers with a JSON object such
as {"path": "reports/2025/q1.md", "content": "..."} and your code writes the file
under /srv/assistant/files. A prompt injection (or a confused model) can answer
"../../home/app/.ssh/authorized_keys", "/etc/cron.d/job", "C:\Windows\win.ini", or
the name of a symlink that someone placed in the directory and that points elsewhere.
The same goes for reading: "summarise the file reports/../../../etc/passwd".

What to implement
-----------------

    safe_join(base: str | Path, llm_path: str) -> Path

Return the fully resolved path of `llm_path` inside the directory `base`, or raise
`PathEscape` (a ValueError) with a message saying why. Precisely:

1. `llm_path` must be a str: anything else raises TypeError.
2. Raise PathEscape when `llm_path`
   - is empty or only whitespace;
   - contains a NUL character "\0" (the operating system would cut the name there;
     Python raises ValueError deep inside instead);
   - contains a backslash. It separates directories on Windows and is an ordinary
     character on Linux, so "..\..\x" is harmless on one system and an escape on the
     other. Model output does not know which system it will meet: refuse it;
   - is absolute: a POSIX path starting with "/" (this includes "//server/share"), or
     a Windows drive path such as "C:/x" or "c:x" (`PureWindowsPath(p).drive` is not
     empty). Reject these even when they happen to point inside `base`: the model is
     asked for a path relative to `base`, nothing else.
3. Resolve: `root = Path(base).resolve()` and
   `target = (root / llm_path).resolve()`. `resolve()` makes the path absolute,
   follows every symlink that exists and removes "." and "..", the way the operating
   system will when you open the file. Components that do not exist yet are fine:
   "reports/2026/q1.md" may name directories you are about to create. (safe_join only
   computes a path; it never creates or opens anything.) If resolving fails (a
   symlink loop raises RuntimeError or OSError on some Python versions), raise
   PathEscape.
4. `target` must be inside `root` and must not be `root` itself: use
   `target.is_relative_to(root)` or `os.path.commonpath([root, target]) == str(root)`,
   which compare whole path components. NEVER `str(target).startswith(str(root))`:
   "/srv/data2/secret" starts with "/srv/data", yet it is not inside it.
5. Return `target` (a Path). Resolve `base` too: if the base directory is itself
   reached through a symlink (as /tmp is on macOS), comparing a resolved target with
   an unresolved base rejects every good path.

Examples
--------

>>> base = Path("/srv/assistant/files")          # suppose it exists, no symlinks
>>> safe_join(base, "reports/2025/q1.md")
PosixPath('/srv/assistant/files/reports/2025/q1.md')
>>> safe_join(base, "reports/../notes.txt")       # ".." that stays inside is fine
PosixPath('/srv/assistant/files/notes.txt')
>>> safe_join(base, "reports/../../files2/secret.txt")
Traceback (most recent call last):
    ...
PathEscape: 'reports/../../files2/secret.txt' resolves to /srv/assistant/files2/secret.txt,
outside /srv/assistant/files

A symlink `base/shared` pointing to /etc makes safe_join(base, "shared/passwd")
resolve to /etc/passwd, so it raises PathEscape too.

Why it matters
--------------

OWASP LLM05:2025 Improper Output Handling lists file paths built from model output
without sanitisation, which leads to path traversal (CWE-22). A write outside the
directory can plant an SSH key or a cron job; a read can leak any file the process
can see. The check has a gap you should know: between safe_join and the open(),
someone who can write inside `base` could swap a directory for a symlink (a "time of
check to time of use" race). So also keep `base` writable only by your service, run
the service as a user that cannot read what it does not need, and open files with
the narrowest mode you can.
"""

from __future__ import annotations

import os  # noqa: F401 - you may need it (os.path.commonpath)
from pathlib import Path, PurePosixPath, PureWindowsPath  # noqa: F401 - you will need them


class PathEscape(ValueError):
    """The proposed path is empty, absolute, malformed, or leads outside the base."""


def safe_join(base: str | Path, llm_path: str) -> Path:
    """Resolve `llm_path` inside `base`; raise PathEscape if it could leave it."""
    # TODO 1: type check (TypeError), then the PathEscape cases of rule 2.
    # TODO 2: resolve base and base / llm_path (rule 3).
    # TODO 3: containment check with whole path components, not startswith (rule 4).
    raise NotImplementedError("TODO: implement safe_join(base, llm_path)")
