"""Fixtures for the CLI's end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def ws(tmp_path: Path, course_dir: Path, aisec) -> Path:
    """A workspace of the test course made by `aisec init`, as a learner makes one."""
    result = aisec("--course", course_dir, "init", "w", cwd=tmp_path)
    assert result.code == 0, result.err
    return tmp_path / "w"
