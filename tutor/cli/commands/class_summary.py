"""``aisec class REPORT... [--format md|csv|json] [-o FILE]``: where the room is stuck.

``--gradebook plain|canvas|moodle [--roster FILE --match COLUMN]`` writes a gradebook
CSV instead (:mod:`tutor.workshop.gradebook`).

Learners' report files are untrusted: :mod:`tutor.workshop.class_summary` reads
them defensively, and every file name or reason shown here is made safe for a
terminal. Skipped files are reported as soon as they are read, before the summary.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.cli.progress_bar import ProgressBar
from tutor.cli.render import Document, note, write_document
from tutor.errors import UsageError
from tutor.text.safe import safe_line

if TYPE_CHECKING:
    from tutor.workshop.class_reports import Loaded
    from tutor.workshop.gradebook import Options

STEP = 25  # reports between two redraws of the progress bar


def run(args: argparse.Namespace) -> Document:
    from tutor.workshop.class_summary import load_reports, render, summarise

    options = _gradebook_options(args)  # before reading a thousand reports
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
    if not loaded.reports and not loaded.skipped:
        raise UsageError("No .json files among the files and folders given (a folder stands "
                         "for the .json files in it). Learners make reports with 'aisec "
                         "report -o NAME.json'.")
    if not loaded.reports:
        raise UsageError("No valid learner reports among the files given. Learners make "
                         "them with 'aisec report -o NAME.json'.")
    if options is not None:
        return _gradebook(loaded, options, args.output)
    return write_document(render(summarise(loaded), args.format or "md"), args.output,
                          "the class summary")


def _gradebook_options(args: argparse.Namespace) -> Options | None:
    """The gradebook to write (checked now, so a typo costs no reading), or None."""
    from tutor.workshop.gradebook import Options, check_options

    if args.gradebook is None:
        for flag, value in (("--roster", args.roster), ("--match", args.match)):
            if value is not None:
                raise UsageError(f"{flag} goes with --gradebook plain|canvas|moodle.")
        return None
    if args.format is not None:
        raise UsageError("--gradebook writes a CSV of its own: leave out --format.")
    options = Options(args.gradebook, args.roster, args.match, args.assignment, args.points)
    check_options(options)
    return options


def _gradebook(loaded: Loaded, options: Options, output: Path | None) -> Document:
    from tutor.workshop.gradebook import build

    book = build(loaded, options)
    for line in book.notes:
        note(safe_line(line))
    if output is not None:  # CRLF line ends exactly as written, on every system
        output.write_bytes(book.text.encode("utf-8"))
    return Document(book.text, output, f"the {options.kind} gradebook")
