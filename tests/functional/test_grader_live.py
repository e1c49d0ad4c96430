"""Checks marked ollama_live are optional: skipped without a real server, never needed."""

from __future__ import annotations

LIVE_CHECK = '''

@pytest.mark.ollama_live
def test_with_a_real_model(exercise):
    """Works with a real local model (optional)"""
    assert False, "this optional check needs a real model"
'''


def test_live_checks_are_skipped_and_do_not_block_a_pass(mini_workspace, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")  # nothing listens on the discard port
    checks = mini_workspace.course.paths.check_file("adder")
    checks.write_text(checks.read_text() + LIVE_CHECK)
    ex = mini_workspace.course.exercise("adder")
    mini_workspace.exercise_path(ex).write_text("def add(a, b):\n    return a + b\n")
    result = mini_workspace.check(ex).result
    assert result.passed, result
    live = [c for c in result.checks if c.optional]
    assert [c.outcome for c in live] == ["skipped"]
    assert result.counts() == (3, 3), "optional checks are not counted"
