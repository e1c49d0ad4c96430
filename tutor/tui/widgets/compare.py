"""The learner's code next to the reference solution: side by side on a wide screen,
one above the other on a narrow one, so that neither has its lines cut off."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.widgets import Static, TextArea

from tutor.tui.widgets.editor import code_area

# Below this many columns each half of a side-by-side view has under ~60 columns for
# code, and most solution lines are longer than that: stack the two instead.
SIDE_BY_SIDE_WIDTH = 140


class SolutionView(Container):
    """Two read-only code views, ``#mine`` and ``#reference``; stacked when narrow."""

    DEFAULT_CSS = """
    SolutionView { layout: horizontal; height: 1fr; }
    SolutionView > Vertical { width: 1fr; height: 1fr; }
    SolutionView.-stacked { layout: vertical; }
    SolutionView .pane-label { text-style: bold; height: 1; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Your code", classes="pane-label")
            yield code_area("", read_only=True, id="mine")
        with Vertical():
            yield Static("Reference solution", classes="pane-label")
            yield code_area("", read_only=True, id="reference")

    def on_mount(self) -> None:
        self.fit_width(self.app.size.width)

    def fit_width(self, width: int) -> None:
        """Side by side or stacked for a screen ``width`` columns wide (the screen calls
        this on every resize: this widget gets none while its tab is hidden)."""
        self.set_class(width < SIDE_BY_SIDE_WIDTH, "-stacked")

    @property
    def stacked(self) -> bool:
        return self.has_class("-stacked")

    def show(self, mine: str, reference: str) -> None:
        self.query_one("#mine", TextArea).load_text(mine)
        self.query_one("#reference", TextArea).load_text(reference)
