"""``aisec class REPORT... [--format md|csv|json] [-o FILE]``: where the room is stuck.

Learners' report files are untrusted: :mod:`tutor.workshop.class_summary` reads
them defensively, and every file name or reason shown here is made safe for a
terminal. Skipped files are reported as soon as they are read, before the summary.
"""

from __future__ import annotations

import argparse

from tutor.cli.progress_bar import ProgressBar
from tutor.cli.render import Document, note, write_document
from tutor.errors import UsageError
from tutor.text.safe import safe_line

STEP = 25  # reports between two redraws of the progress bar


def run(args: argparse.Namespace) -> Document:
    from tutor.workshop.class_summary import load_reports, render, summarise

    bar: ProgressBar | None = None

    def read(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = ProgressBar(total, "reports read")
        if done % STEP == 0:
            bar.advance(done)

    loaded = load_reports(list(args.reports), on_read=read)
    if bar is not None:
        bar.clear()
    for file, why in loaded.skipped:  # file names are the learners': shown, never obeyed
        note(f"skipped {safe_line(file)}: {safe_line(why)}")
    for file, why in loaded.dropped:
        note(f"warning: {safe_line(file)}: {safe_line(why)}. The rest of it is used; ask "
             "the learner for a fresh 'aisec report' if those entries matter.")
    if not loaded.reports:
        raise UsageError("No valid learner reports among the files given. Learners make "
                         "them with 'aisec report -o NAME.json'.")
    return write_document(render(summarise(loaded), args.format), args.output,
                          "the class summary")
