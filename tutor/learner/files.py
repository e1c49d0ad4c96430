"""Safe reads and writes of a learner's files: their code is never lost.

Every write into a workspace's ``exercises/`` or ``solutions/`` goes through
:meth:`LearnerFiles.write`, which

- refuses a target whose folder is, or is reached through, a symbolic link, and
  any target whose real parent folder is not inside the workspace's own
  ``exercises/`` (or ``solutions/``) folder: aisec never changes a file elsewhere;
- replaces a symbolic link at the target itself (the file it points to is not
  touched) and records where it pointed in the backup;
- refuses a folder, a FIFO or anything else that is not a regular file;
- keeps the previous version in ``.aisec/backups/<exercise_id>-<timestamp>.py``
  (``-2``, ``-3``... in the same second; an older backup is never overwritten)
  and refuses to write if that version cannot be read, so it cannot be lost;
- writes nothing, and makes no backup, when the content would not change;
- writes atomically: a temporary file in the same folder, fsync, ``os.replace``,
  keeping the original file's permission bits.

:func:`read_for_editing` decides what the in-app editor may edit. A file that
is not UTF-8, cannot be read, is not a regular file or is missing is shown
read-only with a message that says why and how to fix it, rather than decoded
lossily: saving a lossy decoding would silently change bytes the learner never
touched, and the grader could not import such a file anyway (Python source is
UTF-8 unless it declares otherwise).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tutor.errors import UsageError
from tutor.learner.paths import STATE_DIR

NEW_FILE_MODE = 0o644  # a file that did not exist before (reading the umask is not thread-safe)


class UnsafeWrite(UsageError):
    """A write was refused so that nothing of the learner's (or outside) is harmed."""


@dataclass(frozen=True)
class EditableFile:
    """What the in-app editor shows for one file, and whether it may be edited."""

    text: str
    data: bytes | None  # the bytes on disk; None when they could not be read
    problem: str | None = None  # why the file is read-only here, and how to fix it
    link_target: str | None = None  # the file is a symbolic link to this path

    @property
    def editable(self) -> bool:
        return self.problem is None


def read_for_editing(path: Path, display: str, restore: str) -> EditableFile:
    """Read ``path`` for the in-app editor; never a lossy or empty stand-in.

    ``restore`` is how the front end offers to restore the starter (its key or
    command), worded to follow "To get it back, ...".
    """
    link = _link_target(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if link is not None:
            return EditableFile("", None, f"{display} is a symbolic link to {link}, which does "
                                f"not exist. To start again, {restore}.", link)
        return EditableFile("", None, f"{display} does not exist. To get it back, {restore}.")
    except OSError as exc:
        return EditableFile("", None, f"{display} cannot be read ({exc.strerror or exc}). Check "
                            f"its permissions, or {restore}.", link)
    if stat.S_ISDIR(info.st_mode):
        return EditableFile("", None, f"{display} is a folder, not a file. Move it out of the "
                            f"way, then {restore}.", link)
    if not stat.S_ISREG(info.st_mode):
        return EditableFile("", None, f"{display} is not a regular file. Move it out of the "
                            f"way, then {restore}.", link)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return EditableFile("", None, f"{display} cannot be read ({exc.strerror or exc}). Fix "
                            f"its permissions (for example: chmod u+rw {display}).", link)
    try:
        return EditableFile(data.decode("utf-8"), data, None, link)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        # Shown read-only so the learner can find the byte; \ufffd marks it.
        return EditableFile(data.decode("utf-8", errors="replace"), data, (
            f"{display} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}), so it "
            "is shown read-only: saving it from here would change bytes you did not edit. "
            f"Re-save it as UTF-8 in your own editor (o), or {restore}."), link)


def _link_target(path: Path) -> str | None:
    try:
        return os.readlink(path) if path.is_symlink() else None
    except OSError:
        return None


def timestamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


class LearnerFiles:
    """Safe writes into one workspace's ``exercises/`` and ``solutions/``."""

    def __init__(self, root: Path) -> None:
        # Symbolic links above the workspace are the learner's own business; below it,
        # every folder aisec writes into must be a real one.
        self.root = Path(os.path.abspath(root))
        self.backups = self.root / STATE_DIR / "backups"

    def _in_workspace(self, path: Path) -> Path:
        """``path`` made absolute and normalised; refused if it is not under the root."""
        normal = Path(os.path.abspath(path))
        if not normal.is_relative_to(self.root):
            raise UnsafeWrite(f"{path} is not inside the workspace {self.root}; aisec refuses "
                              "to write it. Nothing was changed.")
        return normal

    def display(self, path: Path) -> str:
        """A path relative to the workspace, with forward slashes, for messages."""
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # -- checks ------------------------------------------------------------------------

    def _safe_folder(self, folder: Path) -> None:
        """Refuse unless every component from the workspace down to ``folder`` is a real
        folder (or missing, to be created): no symbolic link may lead elsewhere."""
        relative = folder.relative_to(self.root)
        current = self.root
        for part in relative.parts:
            current = current / part
            if current.is_symlink():
                raise UnsafeWrite(
                    f"{self.display(current)} is a symbolic link (to "
                    f"{os.path.realpath(current)}). "
                    "aisec writes only inside the workspace's own folders, so it never changes "
                    "a file somewhere else. Replace the link with a real folder (copy the files "
                    "you need into it), then try again. Nothing was changed.")
            if current.exists() and not current.is_dir():
                raise UnsafeWrite(
                    f"{self.display(current)} is a file where a folder should be. Move it out "
                    "of the way, then try again. Nothing was changed.")

    def _inside(self, folder: Path, directory: Path) -> None:
        """The final word: ``directory``'s real path must be inside ``folder``'s."""
        real = Path(os.path.realpath(directory))
        if not real.is_relative_to(Path(os.path.realpath(folder))):
            raise UnsafeWrite(
                f"{self.display(directory)} leads outside {self.display(folder)}/ (to {real}). "
                "aisec writes only inside the workspace's own folders. Replace any symbolic "
                "link on that path with a real folder, then try again. Nothing was changed.")

    def check(self, path: Path, folder: Path) -> None:
        """Raise :class:`UnsafeWrite` if writing ``path`` would be refused; create nothing."""
        folder, path = self._in_workspace(folder), self._in_workspace(path)
        if not path.is_relative_to(folder) or path == folder:
            raise UnsafeWrite(f"{self.display(path)} is not inside {self.display(folder)}/; "
                              "aisec refuses to write it. Nothing was changed.")
        self._safe_folder(path.parent)

    def _prepare(self, path: Path, folder: Path) -> None:
        """Check, create and re-check the folders between ``folder`` and ``path``."""
        self.check(path, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._inside(folder, path.parent)

    # -- backups -------------------------------------------------------------------------

    def backup(self, stem: str, data: bytes, mode: int = 0o644) -> Path:
        """Keep ``data`` as ``.aisec/backups/<stem>-<timestamp>.py``; never overwrite one."""
        self._safe_folder(self.backups)
        self.backups.mkdir(parents=True, exist_ok=True)
        self._inside(self.backups, self.backups)
        stamp = timestamp()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        flags |= getattr(os, "O_BINARY", 0)
        for attempt in range(1, 10_000):
            name = f"{stem}-{stamp}.py" if attempt == 1 else f"{stem}-{stamp}-{attempt}.py"
            target = self.backups / name
            try:
                fd = os.open(target, flags, (mode & 0o777) | 0o600)
            except FileExistsError:
                continue  # an older backup from the same second: keep it, take the next name
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(target)
                raise
            return target
        raise UnsafeWrite(f"{self.display(self.backups)} has too many backups named {stem}-"
                          f"{stamp}; move some away, then try again. Nothing was changed.")

    # -- writes ----------------------------------------------------------------------------

    def write(self, path: Path, data: bytes, folder: Path, backup_stem: str) -> Path | None:
        """Atomically replace ``path`` (inside ``folder``) with ``data``.

        Returns the backup of the previous version, or None when there was none to
        keep (a new file) or nothing changed (then nothing is written at all).
        """
        folder, path = self._in_workspace(folder), self._in_workspace(path)
        self._prepare(path, folder)
        display = self.display(path)
        mode = NEW_FILE_MODE
        backup_data: bytes | None = None
        try:
            info = path.lstat()
        except FileNotFoundError:
            info = None
        if info is None:
            pass
        elif stat.S_ISLNK(info.st_mode):
            # Replace the link itself; record where it pointed rather than follow it.
            backup_data = (
                f"# aisec: {display} was a symbolic link, not a file.\n"
                f"# It pointed to: {_link_target(path)}\n"
                "# aisec replaced the link itself with a regular file; the file it pointed to\n"
                "# was not read or changed.\n").encode("utf-8", errors="surrogateescape")
        elif stat.S_ISDIR(info.st_mode):
            raise UnsafeWrite(f"{display} is a folder, not a file. Move it out of the way, then "
                              "try again. Nothing was changed.")
        elif not stat.S_ISREG(info.st_mode):
            raise UnsafeWrite(f"{display} is not a regular file. Move it out of the way, then "
                              "try again. Nothing was changed.")
        else:
            try:
                old = path.read_bytes()
            except OSError as exc:
                raise UnsafeWrite(
                    f"Could not read {display} to back it up first ({exc.strerror or exc}), so "
                    f"it was left as it is. Fix its permissions (for example: chmod u+rw "
                    f"{display}), then try again.") from None
            if old == data:
                return None  # nothing would change: no write, no backup to pile up
            backup_data, mode = old, stat.S_IMODE(info.st_mode)
        backup = self.backup(backup_stem, backup_data, mode) if backup_data is not None else None
        self._replace(path, data, mode, folder)
        return backup

    def _replace(self, path: Path, data: bytes, mode: int, folder: Path) -> None:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(OSError):  # best effort: some filesystems have no modes
                os.chmod(tmp, mode)
            self._inside(folder, tmp.parent)  # the folder was not swapped meanwhile
            os.replace(tmp, path)  # replaces a symbolic link itself, never its target
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); not possible, nor needed, on Windows."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
