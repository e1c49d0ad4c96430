"""``aisec init --git``: the workspace as a git repository, ready for a CI to grade.

The learner's exercise files are their work and go into commits; what aisec keeps
for itself stays out: progress, backups and the course index under ``.aisec/``, and
the reference solutions copied into ``solutions/`` after a pass (the installed
course has them). ``.aisec/workspace.json`` is committed: it names the course and
the track, so that ``aisec check --all`` in a clone (a CI job) finds the workspace.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tutor.errors import UsageError

MARKER = "# aisec-tutor:"
IGNORED = f"""\
{MARKER} your progress, backups and copies of the reference solutions stay on this
# machine; .aisec/workspace.json names the course and track, so a CI can grade a clone.
.aisec/*
!.aisec/workspace.json
solutions/
__pycache__/
# what 'aisec ci grade' writes when run here
aisec-junit.xml
aisec-report.json
aisec-summary.md
"""
GIT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class GitSetup:
    initialised: bool  # False: the folder already was a repository
    ignore_written: bool  # False: its .gitignore already had aisec's lines


def require_git() -> str:
    """The git executable; a usage error that says how to get it when there is none."""
    git = shutil.which("git")
    if git is None:
        raise UsageError("--git needs git, which is not on your PATH. Install it "
                         "(https://git-scm.com/downloads), or leave out --git.")
    return git


def make_repository(root: Path, git: str) -> GitSetup:
    """``git init`` in ``root`` unless it is a repository already, and aisec's
    .gitignore lines added unless they are there."""
    initialised = False
    if not (root / ".git").exists():
        try:
            subprocess.run([git, "init", "-q", str(root)], check=True, capture_output=True,
                           timeout=GIT_TIMEOUT_S, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as exc:
            why = getattr(exc, "stderr", b"") or b""
            raise UsageError(f"git init in {root} failed: "
                             f"{why.decode(errors='replace').strip() or exc}. The workspace "
                             "is there; run 'git init' in it yourself.") from None
        initialised = True
    ignore = root / ".gitignore"
    current = ignore.read_text(encoding="utf-8") if ignore.is_file() else ""
    if MARKER in current:
        return GitSetup(initialised, False)
    separator = "" if not current or current.endswith("\n") else "\n"
    ignore.write_text(current + separator + ("\n" if current else "") + IGNORED,
                      encoding="utf-8")
    return GitSetup(initialised, True)
