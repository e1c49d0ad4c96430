"""The live list of hidden-check results on the exercise screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tutor.grader.result import GradeResult
from tutor.tui.text import mark, plain

OUTPUT_LINES = 30


class CheckList(Vertical):
    """Shows each check's title, outcome and message; never interprets markup."""

    DEFAULT_CSS = """
    CheckList { height: auto; }
    CheckList .summary { margin-bottom: 1; text-style: bold; }
    CheckList .check { height: auto; }
    CheckList .message { color: $text-muted; padding-left: 4; height: auto; }
    CheckList .overall { margin-bottom: 1; height: auto; color: $warning; }
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
        passed, total = result.counts()
        widgets: list[Static] = []
        if result.passed:
            summary = plain(f"All {total} checks passed!", "$success")
        elif result.status == "timeout":
            summary = plain(f"Timed out — {passed} of {total} checks passed", "$error")
        else:
            summary = plain(f"{passed} of {total} checks passed", "bold")
        widgets.append(Static(summary, classes="summary"))
        if result.message:  # what happened to the run as a whole comes first
            widgets.append(Static(plain(result.message), classes="overall"))
        for check in result.checks:
            optional = " (optional: needs a local model)" if check.optional else ""
            widgets.append(Static(Content.assemble(mark(check.outcome), " ", plain(check.title),
                                                   (optional, "$text-muted")), classes="check"))
            if check.outcome != "passed" and check.message and check.message != "Not run.":
                widgets.append(Static(plain(check.message), classes="message"))
        if result.output.strip():
            lines = result.output.rstrip().splitlines()
            shown = "\n".join(lines[:OUTPUT_LINES])
            if len(lines) > OUTPUT_LINES:
                shown += f"\n… {len(lines) - OUTPUT_LINES} more lines"
            widgets.append(Static(plain("Output from your code:\n" + shown), classes="output"))
        self.remove_children()
        self.mount_all(widgets)
