"""``aisec init --git``: a repository whose commits hold the learner's work, not aisec's
state, and whose clone is a workspace a CI can grade."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def test_init_git_keeps_state_out_and_a_clone_is_a_workspace(tmp_path, course_dir, aisec):
    result = aisec("--course", course_dir, "init", "w", "--git", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "Made it a git repository" in result.err
    ws = tmp_path / "w"
    assert (ws / ".git").is_dir()
    aisec("check", "adder", cwd=ws)  # progress, a lock and the index now exist
    ignored = git("status", "--porcelain", "--ignored", "--untracked-files=all", cwd=ws)
    lines = set(ignored.splitlines())
    assert "!! .aisec/progress.json" in lines and "?? .aisec/workspace.json" in lines
    assert "?? exercises/demo/adder.py" in lines
    git("add", "-A", cwd=ws)
    git("-c", "user.email=l@example.com", "-c", "user.name=L", "commit", "-qm", "start",
        cwd=ws)
    clone = tmp_path / "clone"
    git("clone", "-q", str(ws), str(clone), cwd=tmp_path)
    assert sorted(p.name for p in (clone / ".aisec").iterdir()) == ["workspace.json"]
    graded = aisec("check", "adder", cwd=clone)
    assert graded.code == 1 and "checks:" in graded.out, graded.err


def test_init_git_on_an_existing_repo_and_gitignore_keeps_both(tmp_path, course_dir, aisec):
    ws = tmp_path / "w"
    ws.mkdir()
    git("init", "-q", cwd=ws)
    (ws / ".gitignore").write_text("*.log")  # the learner's own, without a final newline
    result = aisec("--course", course_dir, "init", "w", "--git", cwd=tmp_path)
    assert result.code == 0 and "It is a git repository" in result.err, result.err
    text = (ws / ".gitignore").read_text()
    assert text.startswith("*.log\n") and ".aisec/*" in text
    again = aisec("--course", course_dir, "init", "w", "--git", cwd=tmp_path)
    assert again.code == 0 and "already keeps aisec's files out" in again.err
    assert (ws / ".gitignore").read_text() == text


def test_init_git_without_git_says_how_and_creates_nothing(tmp_path, course_dir, aisec,
                                                            monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = aisec("--course", course_dir, "init", "w", "--git", cwd=tmp_path)
    assert result.code == 2 and "--git needs git" in result.err
    assert not (tmp_path / "w").exists()
