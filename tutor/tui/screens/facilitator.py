"""Facilitators: the class summary of a folder of learner reports (`aisec class`).

Report files come from learners: they are read in a worker (a slow share or a
thousand files never freezes the screen), checked by :mod:`tutor.workshop.class_summary`,
and every name, id and file name is shown as literal, safe text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Header, Input, Static

from tutor.text.safe import safe_line
from tutor.tui.screens.base import AisecScreen
from tutor.tui.text import plain
from tutor.workshop.class_summary import STUCK_ATTEMPTS, load_reports, summarise


def _cell(value: object) -> Text:
    """A literal cell: report files are untrusted input (no markup, no control codes)."""
    if value is None:
        return Text("")
    if isinstance(value, float):
        return Text(f"{value:g}")
    return Text(safe_line(str(value), 200))


def _names(values: list[str]) -> str:
    return ", ".join(safe_line(v, 200) for v in values)


class FacilitatorScreen(AisecScreen[None]):
    DEFAULT_CSS = """
    FacilitatorScreen #pick { height: auto; padding: 1 1 0 1; }
    FacilitatorScreen #folder { width: 1fr; }
    FacilitatorScreen VerticalScroll { padding: 0 1; }
    FacilitatorScreen DataTable { height: auto; max-height: 20; margin: 1 0; }
    FacilitatorScreen .notes { height: auto; }
    """
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self._folder = folder

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pick"):
            yield Input(str(self._folder or "reports"), placeholder="Folder of *.json reports",
                        id="folder")
            yield Button("Summarise", variant="primary", id="go")
        with VerticalScroll():
            yield Static(plain("Learners make reports with: aisec report -o NAME.json "
                               '--name "Name". Put them in one folder and summarise it here.'),
                         classes="notes", id="headline")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static("", classes="notes", id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Class summary"
        table = self.query_one(DataTable)
        table.add_columns("Exercise", "Passed", "%", "Stuck", "Median attempts",
                          "Median hints", "Median min to pass")
        if self._folder is not None:
            self.summarise()

    @on(Input.Submitted, "#folder")
    @on(Button.Pressed, "#go")
    def summarise(self) -> None:
        folder = Path(self.query_one("#folder", Input).value.strip() or ".").expanduser()
        self.query_one(DataTable).clear()
        self.query_one("#notes", Static).update("")
        if not folder.is_dir():
            self.query_one("#headline", Static).update(plain(
                f"{safe_line(str(folder))} is not a folder. Enter the folder that holds the "
                "learners' report files.", "$error"))
            return
        self.query_one("#headline", Static).update(plain(f"Reading {safe_line(str(folder))}…"))
        self._load(folder)

    class Summarised(Message):
        """The reports in ``folder`` were read: a ``summary``, or ``why`` they could not be."""

        def __init__(self, folder: Path, summary: dict[str, Any] | None, why: str = "") -> None:
            super().__init__()
            self.folder, self.summary, self.why = folder, summary, why

    @work(thread=True, exclusive=True, group="class-summary", exit_on_error=False)
    def _load(self, folder: Path) -> None:
        try:
            summary = summarise(load_reports([folder]))
        except OSError as exc:  # the folder vanished or cannot be listed
            self.post_message(self.Summarised(folder, None, exc.strerror or str(exc)))
            return
        self.post_message(self.Summarised(folder, summary))

    @on(Summarised)
    def _summarised(self, event: Summarised) -> None:
        if event.summary is None:
            self.query_one("#headline", Static).update(plain(
                f"{safe_line(str(event.folder))} could not be read ({safe_line(event.why)}). "
                "Check the folder and its permissions, then summarise again.", "$error"))
        else:
            self._show(event.folder, event.summary)

    def _show(self, folder: Path, summary: dict[str, Any]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for ex in summary["exercises"]:
            table.add_row(_cell(ex["id"]), _cell(f"{ex['passed']}/{ex['learners']}"),
                          _cell(ex["percent"]), _cell(ex["stuck"]),
                          _cell(ex["median_attempts"]), _cell(ex["median_hints"]),
                          _cell(ex["median_minutes_to_pass"]))
        self.query_one("#headline", Static).update(plain(
            f"{summary['learners']} learner report(s) in {safe_line(str(folder))}; course "
            f"{_names(summary['courses']) or '—'}; {summary['from_ci']} from CI runs (as the "
            f"reports say), {summary['self_reported']} self-reported."))
        notes = []
        if summary["most_stuck"]:
            notes.append("Where most learners are stuck: " + _names(summary["most_stuck"]))
        helpers = [s for s in summary["learner_summaries"] if s["may_need_help"]]
        notes.append("Who may need help: " + ("; ".join(
            f"{safe_line(s['name'], 200)} ({_names(s['many_attempts_on'])})" for s in helpers)
            if helpers else f"nobody has {STUCK_ATTEMPTS}+ check runs without a pass."))
        notes += [f"Skipped {safe_line(s['file'])}: {safe_line(s['reason'])}"
                  for s in summary["skipped"]]
        notes += [f"Partly used {safe_line(s['file'])}: {safe_line(s['reason'])}"
                  for s in summary["dropped"]]
        self.query_one("#notes", Static).update(plain("\n".join(notes)))
