"""The wheel carries the whole course: installed away from the repo, init and check work."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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
    for folder in ("lessons", "exercises", "solutions", "tests/checks", "tests/labs"):
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
    where = subprocess.run([sys.executable, "-c", "import tutor.course.layout as p; "
                            "print(p.default_course_dir())"], cwd=work, env=env,
                           capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(site)), "the bundled copy is used, not the repo"


def test_wheel_installed_in_a_fresh_venv_can_init_and_check(wheel, tmp_path):
    import sysconfig
    import venv

    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(fresh)
    python = fresh / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)
    # Dependencies come from this test environment (no network); the package itself
    # comes only from the wheel.
    Path(site.stdout.strip(), "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"])
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)
    work = tmp_path / "elsewhere"
    work.mkdir()

    def aisec(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(python), "-m", "tutor", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=120)

    where = subprocess.run([str(python), "-c", "import tutor.course.layout as p; "
                            "print(p.default_course_dir())"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(fresh)), "the course comes from the installed wheel"
    assert aisec("init", "w", cwd=work).returncode == 0
    first = aisec("check", "mask_secret", cwd=work / "w")
    assert first.returncode == 1 and "hidden checks" in first.stdout, first.stderr
    solution = Path(where) / "solutions" / "mask_secret.py"
    (work / "w" / "exercises" / "00_start" / "mask_secret.py").write_text(solution.read_text())
    second = aisec("check", "mask_secret", cwd=work / "w")
    assert second.returncode == 0, second.stdout + second.stderr
