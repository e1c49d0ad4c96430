"""The Hints tab: the hints revealed so far, and what the learner can do next.

Hints are course text written for the terminal ("Run `aisec check luhn`"); here
they name the app's keys instead (tutor.tui.remedies.in_app).
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor.learner.state import ExerciseProgress
from tutor.tui.remedies import in_app
from tutor.tui.text import plain


class HintList(VerticalScroll):
    """Shows ``hints[:revealed]`` and the next step; call :meth:`show` to refresh."""

    def show(self, hints: tuple[str, ...], progress: ExerciseProgress) -> None:
        revealed = min(progress.hints_revealed, len(hints))
        widgets = []
        for number, hint in enumerate(hints[:revealed], 1):
            widgets.append(Static(plain(f"Hint {number} of {len(hints)}"), classes="hint-title"))
            widgets.append(Static(plain(in_app(hint)), classes="hint"))
        widgets.append(Static(plain(next_step(len(hints) - revealed, progress.passed)),
                              classes="meta"))
        self.remove_children()
        self.mount_all(widgets)


def next_step(remaining: int, passed: bool) -> str:
    """What the learner can do next from the Hints tab."""
    if passed:
        return ("Passed: compare your code with the reference solution (s)."
                + (f" {remaining} {'hint' if remaining == 1 else 'hints'} unread (h)."
                   if remaining else ""))
    if remaining:
        return (f"Press h to reveal the next hint ({remaining} left). Hints are recorded "
                "in your progress.")
    return ("That was the last hint. The reference solution is one key away (s), but try "
            "once more first.")
