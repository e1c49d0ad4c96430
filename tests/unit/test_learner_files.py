"""A learner's code is never lost, and aisec never writes outside the workspace.

Every write into exercises/ or solutions/ is atomic, keeps the previous version
in .aisec/backups/, replaces a symlink instead of writing through it, and refuses
a folder reached through a symlink.
"""

from __future__ import annotations

import os
import stat
import sys
from datetime import datetime

import pytest

from tutor.errors import UsageError
from tutor.learner.workspace import Workspace

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX symlinks and FIFOs")


def adder(ws: Workspace):
    return ws.course.exercise("adder")


@posix_only
def test_reset_replaces_a_symlink_and_never_writes_through_it(mini_workspace, tmp_path):
    ws = mini_workspace
    outside = tmp_path / "bashrc"
    outside.write_bytes(b"export PATH=/usr/bin\n")
    path = ws.exercise_path(adder(ws))
    path.unlink()
    path.symlink_to(outside)

    backup = ws.reset(adder(ws))

    assert outside.read_bytes() == b"export PATH=/usr/bin\n", "the link's target is untouched"
    assert not path.is_symlink() and "NotImplementedError" in path.read_text()
    assert backup is not None and backup.parent == ws.root / ".aisec" / "backups"
    assert not backup.is_symlink()
    assert str(outside) in backup.read_text(), "the backup records where the link pointed"


@posix_only
def test_a_symlinked_exercises_subfolder_is_refused(mini_workspace, tmp_path):
    ws = mini_workspace
    elsewhere = tmp_path / "elsewhere"
    (ws.root / "exercises" / "demo").rename(elsewhere)
    (ws.root / "exercises" / "demo").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "adder.py").write_text("# mine\n")

    with pytest.raises(UsageError) as caught:
        ws.reset(adder(ws))

    message = str(caught.value)
    assert "exercises/demo" in message and "symbolic link" in message
    assert "real folder" in message, "the message says how to fix it"
    assert (elsewhere / "adder.py").read_text() == "# mine\n"
    assert not (ws.root / ".aisec" / "backups").exists() or not any(
        (ws.root / ".aisec" / "backups").iterdir())


@posix_only
def test_a_symlinked_exercises_folder_is_refused(mini_workspace, tmp_path):
    ws = mini_workspace
    elsewhere = tmp_path / "elsewhere"
    (ws.root / "exercises").rename(elsewhere)
    (ws.root / "exercises").symlink_to(elsewhere, target_is_directory=True)
    before = (elsewhere / "demo" / "adder.py").read_bytes()
    (elsewhere / "demo" / "adder.py").write_text("# mine\n")

    with pytest.raises(UsageError, match="symbolic link"):
        ws.reset(adder(ws))
    assert (elsewhere / "demo" / "adder.py").read_text() == "# mine\n"
    assert before != b"# mine\n"


@posix_only
def test_revealing_a_solution_never_writes_through_a_symlink(mini_workspace, tmp_path):
    ws = mini_workspace
    outside = tmp_path / "passwd"
    outside.write_bytes(b"root:x:0:0\n")
    target = ws.paths.solution(adder(ws).file)
    target.parent.mkdir(parents=True)
    target.symlink_to(outside)

    ws.view_solution(adder(ws), force=True)

    assert outside.read_bytes() == b"root:x:0:0\n"
    assert not target.is_symlink() and "return a + b" in target.read_text()


@posix_only
def test_a_symlinked_solutions_folder_is_refused(mini_workspace, tmp_path):
    ws = mini_workspace
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ws.root / "solutions").symlink_to(elsewhere, target_is_directory=True)

    with pytest.raises(UsageError, match=r"solutions.*symbolic link"):
        ws.view_solution(adder(ws), force=True)
    assert list(elsewhere.iterdir()) == []


@posix_only
def test_a_passing_check_with_a_symlinked_solutions_folder_still_reports_the_pass(
        mini_workspace, tmp_path):
    ws = mini_workspace
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ws.root / "solutions").symlink_to(elsewhere, target_is_directory=True)
    ws.exercise_path(adder(ws)).write_text("def add(a, b):\n    return a + b\n")

    result = ws.check(adder(ws)).result

    assert result.passed
    assert "symbolic link" in result.message and "solutions" in result.message
    assert list(elsewhere.iterdir()) == []


@posix_only
def test_backups_never_go_through_a_symlinked_backups_folder(mini_workspace, tmp_path):
    ws = mini_workspace
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ws.paths.backups.symlink_to(elsewhere, target_is_directory=True)
    ws.exercise_path(adder(ws)).write_text("# my attempt\n")

    with pytest.raises(UsageError, match=r"backups.*symbolic link"):
        ws.reset(adder(ws))
    assert list(elsewhere.iterdir()) == []
    assert ws.exercise_path(adder(ws)).read_text() == "# my attempt\n"


class FrozenClock(datetime):
    """Every backup in the same second: names must still never collide."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return cls(2025, 1, 2, 3, 4, 5, 600)


def freeze_clock(monkeypatch) -> None:
    import tutor.learner.workspace

    monkeypatch.setattr(tutor.learner.workspace, "datetime", FrozenClock, raising=False)
    try:
        import tutor.learner.files
    except ImportError:
        return
    monkeypatch.setattr(tutor.learner.files, "datetime", FrozenClock)


def test_backups_accumulate_without_overwriting(mini_workspace, monkeypatch):
    ws = mini_workspace
    freeze_clock(monkeypatch)
    path = ws.exercise_path(adder(ws))
    versions = [f"# attempt {n}\n" for n in range(3)]
    for version in versions:
        path.write_text(version)
        ws.reset(adder(ws))

    backups = sorted(ws.paths.backups.iterdir())
    assert sorted(p.read_text() for p in backups) == versions
    assert all(p.name.startswith("adder-") and p.suffix == ".py" for p in backups)


def test_a_reset_that_changes_nothing_makes_no_backup(mini_workspace):
    ws = mini_workspace
    ws.exercise_path(adder(ws)).write_text("# my attempt\n")
    assert ws.reset(adder(ws)) is not None
    assert ws.reset(adder(ws)) is None
    assert len(list(ws.paths.backups.iterdir())) == 1


def test_reset_replaces_the_file_atomically_and_keeps_its_mode(mini_workspace):
    ws = mini_workspace
    path = ws.exercise_path(adder(ws))
    path.write_text("# my attempt\n")
    path.chmod(0o640)
    before = path.stat().st_ino

    ws.reset(adder(ws))

    after = path.stat()
    assert after.st_ino != before, "a new file renamed into place, not rewritten in place"
    if sys.platform != "win32":
        assert stat.S_IMODE(after.st_mode) == 0o640
    leftovers = [p.name for p in path.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [], "no temporary files are left behind"


def test_a_folder_in_place_of_the_file_is_a_clear_refusal(mini_workspace):
    ws = mini_workspace
    path = ws.exercise_path(adder(ws))
    path.unlink()
    path.mkdir()
    (path / "notes.txt").write_text("mine")

    with pytest.raises(UsageError, match=r"exercises/demo/adder\.py is a folder"):
        ws.reset(adder(ws))
    assert (path / "notes.txt").read_text() == "mine"


@posix_only
def test_a_fifo_in_place_of_the_file_is_refused_without_blocking(mini_workspace):
    ws = mini_workspace
    path = ws.exercise_path(adder(ws))
    path.unlink()
    os.mkfifo(path)

    with pytest.raises(UsageError, match="not a regular file"):
        ws.reset(adder(ws))
    assert stat.S_ISFIFO(path.lstat().st_mode)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root can read any file")
def test_an_unreadable_file_is_not_replaced_without_a_backup(mini_workspace):
    ws = mini_workspace
    path = ws.exercise_path(adder(ws))
    path.write_text("# my attempt\n")
    path.chmod(0)
    try:
        with pytest.raises(UsageError, match="back it up"):
            ws.reset(adder(ws))
    finally:
        path.chmod(0o644)
    assert path.read_text() == "# my attempt\n"


@posix_only
def test_create_never_writes_through_a_dangling_symlink(tmp_path, mini_course):
    root = tmp_path / "ws"
    target = root / "exercises" / "demo" / "adder.py"
    target.parent.mkdir(parents=True)
    outside = tmp_path / "not-yet-there"
    target.symlink_to(outside)

    with pytest.raises(UsageError, match="never overwrites"):
        Workspace.create(root, mini_course, custom_course=True)
    assert not outside.exists()


def test_save_writes_atomically_with_a_backup_and_skips_unchanged_saves(mini_workspace):
    ws = mini_workspace
    path = ws.exercise_path(adder(ws))
    old = path.read_bytes()

    backup = ws.save(adder(ws), b"# new\n")

    assert path.read_bytes() == b"# new\n"
    assert backup is not None and backup.read_bytes() == old
    assert ws.save(adder(ws), b"# new\n") is None, "an unchanged save piles up no backup"
    assert len(list(ws.paths.backups.iterdir())) == 1


def test_backup_text_keeps_unsaved_edits(mini_workspace):
    ws = mini_workspace
    backup = ws.backup_text(adder(ws), "# unsaved edits\n")
    assert backup.read_text(encoding="utf-8") == "# unsaved edits\n"
    assert backup.name.startswith("adder-") and backup.parent == ws.paths.backups



def test_a_file_that_cannot_be_read_is_left_alone(mini_workspace, monkeypatch):
    # Simulated, so that it also runs as root (who can read anything).
    ws = mini_workspace
    path = ws.exercise_path(adder(ws))
    path.write_text("# my attempt\n")
    real_read = type(path).read_bytes

    def read_bytes(self):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(type(path), "read_bytes", read_bytes)
    with pytest.raises(UsageError, match=r"Could not read exercises/demo/adder\.py to back it up"):
        ws.reset(adder(ws))
    monkeypatch.undo()
    assert path.read_text() == "# my attempt\n"
    assert not ws.paths.backups.exists()
