"""The engine keeps the shape docs/architecture.md describes.

The limits are the ones benchmarks/code_figures.py prints: no import cycles
between modules of ``tutor``, no module over 400 lines, no function of
cyclomatic complexity over 20, and the layers only depend downwards.
"""

from __future__ import annotations

import pytest

from benchmarks.code_figures import (
    MAX_COMPLEXITY,
    MAX_LINES,
    complex_functions,
    cycles,
    import_graph,
    long_modules,
    sources,
)

MODULES = sources()
GRAPH = import_graph(MODULES)

# Who may import whom: a package on the left never imports one on the right.
# The engine (course, learner, grader, text, ollama) knows nothing of the front ends.
FORBIDDEN = {
    "tutor.course": ("tutor.learner", "tutor.grader", "tutor.cli", "tutor.tui",
                     "tutor.workshop", "tutor.ollama", "tutor.doctor"),
    "tutor.learner": ("tutor.cli", "tutor.tui", "tutor.workshop", "tutor.ollama",
                      "tutor.doctor"),
    "tutor.grader": ("tutor.learner", "tutor.cli", "tutor.tui", "tutor.workshop"),
    "tutor.text": ("tutor.learner.workspace", "tutor.cli", "tutor.tui", "tutor.workshop"),
    "tutor.workshop": ("tutor.cli", "tutor.tui"),
    "tutor.ollama": ("tutor.cli", "tutor.tui"),
    "tutor.doctor": ("tutor.cli", "tutor.tui"),
    "tutor.tui": ("tutor.cli",),
}


def test_the_figures_see_the_whole_engine():
    assert "tutor.learner.state" in MODULES and "tutor.cli.main" in MODULES
    assert GRAPH["tutor.learner.workspace"] >= {"tutor.learner.store", "tutor.course.model"}


def test_no_import_cycles():
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_too_long():
    assert long_modules(MODULES) == {}, f"split modules over {MAX_LINES} lines by concern"


def test_no_function_is_too_complex():
    found = complex_functions(MODULES)
    if found is None:
        pytest.skip("radon is not installed")
    assert found == {}, f"functions over cyclomatic complexity {MAX_COMPLEXITY}"


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_depend_only_downwards(layer):
    wrong = sorted(f"{module} -> {target}" for module, targets in GRAPH.items()
                   if module == layer or module.startswith(layer + ".")
                   for target in targets
                   if any(target == f or target.startswith(f + ".") for f in FORBIDDEN[layer]))
    assert wrong == []
