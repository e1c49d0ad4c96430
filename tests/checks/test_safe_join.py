"""Hidden checks for `safe_join`.

Every check builds its own directories under a fresh temporary directory and removes
them afterwards. Symlink checks only run where the system lets this process create
symlinks (Windows without Developer Mode does not); elsewhere they pass without
asserting, because there is nothing to escape through.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def _tree() -> Iterator[tuple[Path, Path]]:
    """(base, outside): base holds reports/2025/q1.md; outside holds secret.txt."""
    with tempfile.TemporaryDirectory(prefix="aisec-safe-join-") as tmp:
        top = Path(tmp)
        base = top / "data"
        (base / "reports" / "2025").mkdir(parents=True)
        (base / "reports" / "2025" / "q1.md").write_text("# Q1\n", encoding="utf-8")
        outside = top / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text("do not read\n", encoding="utf-8")
        yield base, outside


def _symlink(link: Path, target: Path) -> bool:
    """Create link -> target; False where this system does not allow it."""
    try:
        os.symlink(target, link, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError, AttributeError):
        return False
    return True


def _escape(exercise, base, llm_path, why):
    """Call safe_join and return the PathEscape it must raise."""
    call = f"safe_join({str(base)!r}, {llm_path!r})"
    try:
        got = exercise.safe_join(base, llm_path)
    except exercise.PathEscape as exc:
        assert str(exc).strip(), (
            f"{call} raised PathEscape with an empty message; say why the path was refused, "
            "so the log tells you what the model tried."
        )
        return exc
    except ValueError as exc:
        raise AssertionError(
            f"{call} raised {type(exc).__name__}: {exc}, expected PathEscape: {why} Check "
            "for this case yourself and raise PathEscape before Python trips over it."
        ) from None
    raise AssertionError(f"{call} returned {got!r}, expected PathEscape: {why}")


def _joined(exercise, base, llm_path, expected, why):
    """Call safe_join, which must return `expected`."""
    call = f"safe_join({str(base)!r}, {llm_path!r})"
    try:
        got = exercise.safe_join(base, llm_path)
    except exercise.PathEscape as exc:
        raise AssertionError(
            f"{call} raised PathEscape({str(exc)!r}), expected {expected!r}: {why}"
        ) from None
    assert isinstance(got, Path) and got == expected, (
        f"{call} returned {got!r}, expected {expected!r}: {why}"
    )


def test_returns_resolved_paths_inside_base(exercise):
    """Returns the resolved path for relative paths that stay inside, existing or not"""
    with _tree() as (base, _outside):
        root = base.resolve()
        cases = [
            ("reports/2025/q1.md", root / "reports" / "2025" / "q1.md"),
            ("notes.txt", root / "notes.txt"),
            ("reports/2026/q1/summary.md", root / "reports" / "2026" / "q1" / "summary.md"),
            ("./reports//2025/./q2.md", root / "reports" / "2025" / "q2.md"),
            ("reports/2025/../summary.md", root / "reports" / "summary.md"),
            ("~/notes.txt", root / "~" / "notes.txt"),
            ("%2e%2e/notes.txt", root / "%2e%2e" / "notes.txt"),
            ("reports/", root / "reports"),
        ]
        for llm_path, expected in cases:
            for given in (base, str(base)):
                _joined(exercise, given, llm_path, expected, (
                    "the path stays inside the base, so return "
                    "(Path(base).resolve() / llm_path).resolve(), as a Path. Directories that "
                    "do not exist yet are fine; '~' and '%2e%2e' are ordinary names here "
                    "(nothing expands or decodes them), and '..' that stays inside is fine."))
        assert not (base / "reports" / "2026").exists(), (
            "safe_join(base, 'reports/2026/q1/summary.md') created reports/2026 on disk. "
            "safe_join only computes a path; creating directories is the caller's job, after "
            "the check."
        )


def test_rejects_parent_directory_escapes(exercise):
    """Raises PathEscape for '..' that climbs out of the base, however it is spelled"""
    with _tree() as (base, _outside):
        for llm_path in ["..", "../outside/secret.txt", "../../etc/passwd",
                         "reports/../../outside/secret.txt", "reports/2025/../../../x",
                         "./../outside", "reports/./../../outside/secret.txt"]:
            _escape(exercise, base, llm_path, (
                "after resolving, the path is outside the base. Compare the RESOLVED target "
                "with the resolved base; the '..' may come after ordinary names."))


def test_rejects_a_sibling_that_shares_the_prefix(exercise):
    """Raises PathEscape for a sibling directory whose name starts like the base's"""
    with _tree() as (base, _outside):
        sibling = base.parent / (base.name + "2")
        sibling.mkdir()
        (sibling / "secret.txt").write_text("sibling secret\n", encoding="utf-8")
        for llm_path in ["../data2/secret.txt", "reports/../../data2/secret.txt",
                         "../data-old/x"]:
            _escape(exercise, base, llm_path, (
                f"it resolves into {sibling.name!r} (or another sibling), next to the base "
                f"{base.name!r}. As strings, '{sibling}' starts with '{base}', so a "
                "startswith() check accepts it; compare whole path components with "
                "target.is_relative_to(root) or os.path.commonpath()."))


def test_rejects_absolute_and_windows_paths(exercise):
    """Raises PathEscape for absolute POSIX paths, drive letters, UNC paths and backslashes"""
    with _tree() as (base, _outside):
        cases = [
            ("/etc/passwd", "an absolute POSIX path: Path(base) / '/etc/passwd' IS /etc/passwd"),
            (str(base.resolve() / "notes.txt"),
             "an absolute path, even though it points inside the base: the model must give "
             "a path relative to the base"),
            ("//server/share/x", "a POSIX-absolute path that Windows reads as a UNC share"),
            ("C:\\Windows\\win.ini", "a Windows drive path"),
            ("C:/Windows/win.ini", "a Windows drive path with forward slashes"),
            ("c:notes.txt", "a drive-relative Windows path (PureWindowsPath(p).drive is 'c:')"),
            ("\\\\server\\share\\x", "a Windows UNC path"),
            ("\\Windows\\win.ini", "a Windows root-relative path"),
            ("reports\\..\\..\\outside\\secret.txt",
             "a traversal with backslashes: harmless on Linux, an escape on Windows"),
        ]
        for llm_path, what in cases:
            _escape(exercise, base, llm_path, (
                f"{what}. Reject a backslash anywhere, a path that PurePosixPath calls "
                "absolute, and a non-empty PureWindowsPath(p).drive."))


def test_rejects_symlinks_that_lead_outside(exercise):
    """Raises PathEscape when a symlink inside the base points outside (where symlinks work)"""
    with _tree() as (base, outside):
        if not _symlink(base / "shared", outside):
            return  # no symlinks on this system: nothing can escape this way
        _symlink(base / "passwd", outside / "secret.txt")
        for llm_path in ["shared/secret.txt", "shared", "passwd", "reports/../shared/x"]:
            _escape(exercise, base, llm_path, (
                "'shared' (or 'passwd') is a symlink inside the base that points OUTSIDE it; "
                "open() would follow it. A check on the path text (normpath, or the joined "
                "string) cannot see this: resolve() the joined path, which follows symlinks, "
                "and check the result."))


def test_follows_symlinks_that_stay_inside(exercise):
    """Accepts symlinks that stay inside, and a base reached through a symlink"""
    with _tree() as (base, _outside):
        if not _symlink(base / "latest", base / "reports" / "2025"):
            return  # no symlinks on this system
        expected = base.resolve() / "reports" / "2025" / "q1.md"
        _joined(exercise, base, "latest/q1.md", expected, (
            "'latest' is a symlink to reports/2025 inside the base, so the resolved path is "
            "inside too. Return the resolved target."))
        alias = base.parent / "alias"
        if not _symlink(alias, base):
            return
        _joined(exercise, alias, "reports/2025/q1.md", expected, (
            "the base is reached through a symlink 'alias' (as /tmp is on macOS). Resolve "
            "the base as well as the target, or no path will ever look inside it."))


def test_rejects_empty_nul_and_the_base_itself(exercise):
    """Raises PathEscape for an empty path, a NUL character, or the base directory itself"""
    with _tree() as (base, _outside):
        cases = [
            ("", "the path is empty"),
            ("   ", "the path is only whitespace"),
            ("report.md\x00.png", "a NUL character: the OS would cut the name at it"),
            ("\x00", "a NUL character"),
            (".", "it is the base directory itself, not a file inside it"),
            ("./", "it is the base directory itself"),
            ("reports/..", "it resolves to the base directory itself"),
        ]
        for llm_path, why in cases:
            _escape(exercise, base, llm_path, why + ".")


def test_rejects_values_that_are_not_strings(exercise):
    """Raises TypeError when llm_path is not a str"""
    with _tree() as (base, _outside):
        for value in [None, b"reports/2025/q1.md", 42, Path("notes.txt"), ["notes.txt"]]:
            try:
                got = exercise.safe_join(base, value)
            except TypeError:
                continue
            except exercise.PathEscape:
                raise AssertionError(
                    f"safe_join(base, {value!r}) raised PathEscape, expected TypeError: the "
                    "caller passed the wrong type, which is a bug in the program, not a "
                    "path the model proposed."
                ) from None
            raise AssertionError(
                f"safe_join(base, {value!r}) returned {got!r}, expected TypeError: llm_path "
                "must be the model's text, a str. Check isinstance(llm_path, str) first."
            )
