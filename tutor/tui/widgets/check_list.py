"""The live list of hidden-check results on the exercise screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tutor.grader.result import GradeResult
from tutor.text.grade import OPTIONAL_NOTE, ScoreLine, grade_view
from tutor.tui.remedies import WORDS
from tutor.tui.text import mark, plain

TONES = {"success": "$success", "error": "$error", "plain": "bold"}


class CheckList(Vertical):
    """Shows each check's title, outcome and message; never interprets markup."""

    DEFAULT_CSS = """
    CheckList { height: auto; }
    CheckList .summary { margin-bottom: 1; text-style: bold; }
    CheckList .check { height: auto; }
    CheckList .message { color: $text-muted; padding-left: 4; height: auto; }
    CheckList .overall { margin-bottom: 1; height: auto; color: $warning; }
    CheckList .scores { margin-bottom: 1; height: auto; }
    CheckList .output { margin-top: 1; padding: 0 1; border-left: thick $panel; height: auto;
                        color: $text-muted; }
    """

    def __init__(self, titles: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self._titles = titles

    def compose(self) -> ComposeResult:
        yield Static(plain(f"{len(self._titles)} hidden checks — not run yet. Press r to run "
                           "them, or just save your file."), classes="summary")
        for title in self._titles:
            yield Static(Content.assemble(("·", "$text-muted"), " ", plain(title)),
                         classes="check")

    def show_running(self) -> None:
        self.query_one(".summary", Static).update(plain("Running the checks…"))

    def show_result(self, result: GradeResult) -> None:
        """Replace the list with the outcome of a run."""
        view = grade_view(result, WORDS)
        widgets = [Static(plain(view.summary, TONES[view.tone]), classes="summary")]
        if view.overall:  # what happened to the run as a whole comes first
            widgets.append(Static(plain(view.overall), classes="overall"))
        if view.scores:  # a lab's two scores, side by side, before the details
            widgets.append(Static(_scores(view.scores), classes="scores"))
        for check in view.checks:
            optional = f" {OPTIONAL_NOTE}" if check.optional else ""
            widgets.append(Static(Content.assemble(mark(check.outcome), " ", plain(check.title),
                                                   (optional, "$text-muted")), classes="check"))
            if check.message:
                widgets.append(Static(plain(check.message), classes="message"))
        if view.output:
            more = f"\n… {view.output_more} more lines" if view.output_more else ""
            widgets.append(Static(plain("Output from your code:\n" + "\n".join(view.output)
                                        + more), classes="output"))
        self.remove_children()
        self.mount_all(widgets)


def _scores(scores: tuple[ScoreLine, ...]) -> Content:
    width = max(len(score.label) for score in scores)
    lines = []
    for score in scores:
        filled, empty = score.bar()
        tone = "$success" if score.passed else "$error"
        lines.append(Content.assemble((score.label.ljust(width), "bold"), "  ", (filled, tone),
                                      (empty, "$text-muted"), "  ",
                                      (score.figures(), tone)))
    return Content("\n").join(lines)
