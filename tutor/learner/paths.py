"""Where a learner's workspace is and whether it may be trusted.

A workspace is found like git finds ``.git``: walk up to the first ``.aisec/``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from tutor.errors import UsageError

STATE_DIR = ".aisec"
DEFAULT_WORKSPACE = "aisec-course"
# Workspaces owned by another user that this user trusts anyway (like git's
# safe.directory): the environment variable, and a file with one path per line.
SAFE_WORKSPACES_ENV = "AISEC_SAFE_WORKSPACES"
SAFE_WORKSPACES_FILE = "safe-workspaces"


def find_workspace(start: Path | None = None) -> Path | None:
    """The nearest directory at or above ``start`` that holds ``.aisec/``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / STATE_DIR).is_dir():
            return candidate
    return None


class UntrustedWorkspace(UsageError):
    """A workspace owned by someone else: grading there would run their code."""


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where aisec keeps per-user settings ($XDG_CONFIG_HOME/aisec, %APPDATA%\\aisec)."""
    env = os.environ if env is None else env
    if sys.platform == "win32" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "aisec"
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "aisec"


def _trusted_anyway(root: Path, env: Mapping[str, str]) -> bool:
    listed = [item for item in env.get(SAFE_WORKSPACES_ENV, "").split(os.pathsep) if item]
    try:
        lines = (config_dir(env) / SAFE_WORKSPACES_FILE).read_text(encoding="utf-8")
        listed += [line.strip() for line in lines.splitlines()
                   if line.strip() and not line.lstrip().startswith("#")]
    except (OSError, UnicodeDecodeError):
        pass
    for item in listed:
        if item == "*":
            return True
        try:
            if Path(item).expanduser().resolve() == root:
                return True
        except (OSError, RuntimeError):
            continue
    return False


def ensure_trusted(root: Path, env: Mapping[str, str] | None = None) -> None:
    """Refuse a workspace that another user owns, unless this user listed it as safe.

    Whoever owns ``.aisec/`` and its settings decides which course's checks run
    and which files are graded: another user could plant ``/tmp/shared/.aisec``
    and have a victim's ``aisec check`` run their code. Like git's
    ``safe.directory``, the workspace folder, its ``.aisec/`` and the settings
    file must belong to the user running aisec (for ``sudo``, the user who ran
    it). Windows has no such owners to compare, so nothing is checked there.
    """
    if os.name != "posix":
        return
    env = os.environ if env is None else env
    me = os.geteuid()
    allowed = {me}
    if me == 0 and env.get("SUDO_UID", "").isdigit():
        allowed.add(int(env["SUDO_UID"]))
    state = root / STATE_DIR
    for path in (root, state, state / "workspace.json", state / "progress.json"):
        try:
            owner = path.lstat().st_uid
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise UsageError(f"{path} could not be checked ({exc.strerror}). Check its "
                             "permissions.") from None
        if owner in allowed or _trusted_anyway(root, env):
            continue
        listing = config_dir(env) / SAFE_WORKSPACES_FILE
        raise UntrustedWorkspace(
            f"{path} belongs to another user (uid {owner}), so this is not your workspace: "
            "grading here would run code and checks that user chose. If you trust it, add "
            f"its folder to {listing} (one path per line) or to the {SAFE_WORKSPACES_ENV} "
            f"environment variable, e.g. {SAFE_WORKSPACES_ENV}={root}. Otherwise make a "
            "workspace of your own with 'aisec init'.")


class WorkspacePaths:
    """Where a learner's workspace keeps exercises, revealed solutions and state."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.exercises = root / "exercises"
        self.solutions = root / "solutions"
        self.state = root / STATE_DIR
        self.config = self.state / "workspace.json"
        self.progress = self.state / "progress.json"
        self.backups = self.state / "backups"
        self.cache = self.state / "cache"  # worked-out data, safe to delete at any time

    def exercise(self, file: str) -> Path:
        return self.exercises / file

    def solution(self, file: str) -> Path:
        return self.solutions / file

    def display(self, path: Path) -> str:
        """A path relative to the workspace root, for messages."""
        try:
            return os.path.relpath(path, self.root) if path.is_absolute() else str(path)
        except ValueError:  # another drive on Windows
            return str(path)
