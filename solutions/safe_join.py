"""Reference solution for `safe_join`: keep a model-proposed path inside one directory."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath


class PathEscape(ValueError):
    """The proposed path is empty, absolute, malformed, or leads outside the base."""


def safe_join(base: str | Path, llm_path: str) -> Path:
    """Resolve `llm_path` inside `base`; raise PathEscape if it could leave it."""
    if not isinstance(llm_path, str):
        raise TypeError(f"llm_path must be a str, not {type(llm_path).__name__}")
    if not llm_path.strip():
        raise PathEscape("the path is empty")
    if "\0" in llm_path:
        raise PathEscape(f"{llm_path!r} contains a NUL character")
    if "\\" in llm_path:
        # A separator on Windows, a plain character on POSIX: ambiguous, so refused.
        raise PathEscape(f"{llm_path!r} contains a backslash")
    if PurePosixPath(llm_path).is_absolute() or PureWindowsPath(llm_path).drive:
        raise PathEscape(f"{llm_path!r} is absolute or names a drive; expected a relative path")

    # resolve() does what the OS will do on open(): follow symlinks, apply "..".
    root = Path(base).resolve()
    try:
        target = (root / llm_path).resolve()
    except (OSError, RuntimeError) as exc:  # e.g. a symlink loop on Python <= 3.12
        raise PathEscape(f"{llm_path!r} cannot be resolved: {exc}") from exc

    # Whole components: /srv/data2 is not inside /srv/data, although the string
    # "/srv/data2" starts with "/srv/data".
    if target == root:
        raise PathEscape(f"{llm_path!r} is the base directory itself, not a path inside it")
    if not target.is_relative_to(root):
        raise PathEscape(f"{llm_path!r} resolves to {target}, outside {root}")
    return target
