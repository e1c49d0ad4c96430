"""The wheel carries the whole course: installed away from the repo, init and check work."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling", reason="hatchling is part of the test extra")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    (built,) = out.glob("aisec_tutor-*.whl")
    return built


def test_wheel_bundles_the_course(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tutor/_course/course.yaml" in names
    for folder in ("lessons", "exercises", "solutions", "tests/checks"):
        assert any(n.startswith(f"tutor/_course/{folder}/") for n in names), folder
    assert not any("fixtures" in n or n.startswith("tests/") for n in names)


def test_unpacked_wheel_can_init_and_check_away_from_the_repo(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    work = tmp_path / "elsewhere"
    work.mkdir()

    def aisec(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tutor", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=120)

    probe = aisec("--version", cwd=work)
    assert probe.returncode == 0
    init = aisec("init", "w", cwd=work)
    assert init.returncode == 0, init.stderr
    checked = aisec("check", "--all", "--json", cwd=work / "w")
    assert checked.returncode == 1, checked.stderr
    assert '"total"' in checked.stdout and "Traceback" not in checked.stderr
    where = subprocess.run([sys.executable, "-c", "import tutor.paths as p; "
                            "print(p.default_course_dir())"], cwd=work, env=env,
                           capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(site)), "the bundled copy is used, not the repo"
