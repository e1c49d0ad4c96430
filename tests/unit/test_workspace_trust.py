"""A workspace another user planted is not trusted (like git's safe.directory).

Workspace discovery walks up to the first `.aisec/`. Another user could plant
`/tmp/shared/.aisec` (with a course and exercise files of their choosing) and
have a victim's `aisec check` run their code. A workspace that belongs to
another user is refused, with a message that names it and the way to allow it.
"""

from __future__ import annotations

import os

import pytest

from tutor.learner.paths import SAFE_WORKSPACES_ENV, UntrustedWorkspace, ensure_trusted
from tutor.learner.workspace import Workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="owners are a POSIX notion here")


@pytest.fixture
def someone_else(monkeypatch, tmp_path):
    """Run as a different user than the one who owns the files."""
    monkeypatch.delenv(SAFE_WORKSPACES_ENV, raising=False)
    monkeypatch.delenv("SUDO_UID", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(tmp_path).st_uid + 4242)


def test_my_own_workspace_opens(mini_workspace, monkeypatch):
    monkeypatch.delenv(SAFE_WORKSPACES_ENV, raising=False)
    assert Workspace.open(mini_workspace.root, mini_workspace.course.root).root


def test_another_users_workspace_is_refused_with_the_way_out(mini_workspace, someone_else):
    with pytest.raises(UntrustedWorkspace) as refused:
        Workspace.open(mini_workspace.root, mini_workspace.course.root)
    message = str(refused.value)
    assert str(mini_workspace.root) in message and "another user" in message
    assert SAFE_WORKSPACES_ENV in message and "safe-workspaces" in message
    assert "aisec init" in message


def test_a_planted_workspace_above_the_current_folder_is_refused(mini_workspace, someone_else,
                                                                  monkeypatch):
    below = mini_workspace.root / "exercises" / "demo"
    monkeypatch.chdir(below)
    with pytest.raises(UntrustedWorkspace):
        Workspace.open(None, mini_workspace.course.root)


def test_listing_it_in_the_environment_allows_it(mini_workspace, someone_else, monkeypatch):
    monkeypatch.setenv(SAFE_WORKSPACES_ENV, os.pathsep.join(["/elsewhere",
                                                             str(mini_workspace.root)]))
    assert Workspace.open(mini_workspace.root, mini_workspace.course.root).root


def test_listing_it_in_the_settings_file_allows_it(mini_workspace, someone_else, tmp_path):
    listing = tmp_path / "config" / "aisec" / "safe-workspaces"
    listing.parent.mkdir(parents=True)
    listing.write_text(f"# trusted\n/elsewhere\n{mini_workspace.root}/\n")
    assert Workspace.open(mini_workspace.root, mini_workspace.course.root).root


def test_listing_another_folder_does_not_allow_it(mini_workspace, someone_else, monkeypatch):
    monkeypatch.setenv(SAFE_WORKSPACES_ENV, str(mini_workspace.root / "exercises"))
    with pytest.raises(UntrustedWorkspace):
        ensure_trusted(mini_workspace.root)


def test_sudo_keeps_working_in_the_callers_own_workspace(mini_workspace, monkeypatch):
    owner = os.stat(mini_workspace.root).st_uid
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setenv("SUDO_UID", str(owner))
    ensure_trusted(mini_workspace.root, dict(os.environ))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="changing a file's owner needs root")
def test_check_refuses_before_running_a_planted_file(mini_workspace, aisec, tmp_path):
    marker = tmp_path / "ran"
    path = mini_workspace.exercise_path(mini_workspace.course.exercise("adder"))
    path.write_text(f"open({str(marker)!r}, 'w').write('x')\ndef add(a, b):\n    return a + b\n")
    stranger = 4242
    for planted in (mini_workspace.root, mini_workspace.root / ".aisec"):
        os.chown(planted, stranger, stranger)
    result = aisec("check", "adder", cwd=mini_workspace.root / "exercises")
    assert result.code == 2
    assert "belongs to another user" in result.err and SAFE_WORKSPACES_ENV in result.err
    assert not marker.exists(), "nothing of the planted workspace may run"
