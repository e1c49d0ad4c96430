"""The Hints tab's closing line reads as a sentence for any count."""

from __future__ import annotations

from tutor.tui.widgets.hints import next_step


def test_after_a_pass_unread_hints_are_counted_in_words():
    assert next_step(1, passed=True).endswith("1 hint unread (h).")
    assert next_step(3, passed=True).endswith("3 hints unread (h).")
    assert "unread" not in next_step(0, passed=True)
