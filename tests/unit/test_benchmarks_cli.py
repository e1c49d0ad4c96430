"""The benchmark scripts still start: each imports and answers --help (no timing here)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = sorted(p for p in BENCHMARKS.glob("*.py") if p.name != "common.py")


def load(name: str) -> ModuleType:
    """benchmarks/<name>.py as a module; the scripts import their neighbours (common)."""
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def test_all_py_runs_scripts_that_exist():
    for script in load("all").SCRIPTS:
        assert (BENCHMARKS / f"{script}.py").is_file(), script


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_answers_help(script: Path):
    # As the lead runs it: a fresh interpreter, from the repository.
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True,
                          text=True, cwd=BENCHMARKS.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:"), done.stdout


def test_figures_survive_the_trip_through_json():
    common = load("common")
    figures = common.Figures([common.Row("r", [3.0, 1.0, 2.0], [1.0, 1.0, 1.0], 2.5)],
                             [common.Memory("m", 40.0)])
    again = common.Figures.from_json(figures.to_json())
    assert again == figures
    assert again.rows[0].ratio == 2.0


def test_all_py_table_says_which_goals_are_met():
    everything, common = load("all"), load("common")
    # Figures from all.py's own import of common: the table reads their fields only.
    lines = everything.table([common.Figures(
        [common.Row("fast", [1.0], [1.0], 1.3), common.Row("slow", [3.0], [1.0], 1.3),
         common.Row("info", [3.0], [1.0])],
        [common.Memory("tui", 130.0, 120.0)])])
    met = {line.split()[0]: line.split()[-1] for line in lines if line.strip()}
    assert met["fast"] == "yes" and met["slow"] == "NO" and met["info"] == "-"
    assert met["tui"] == "NO"
