"""Gradebook files from learners' reports: a plain CSV, and Canvas's and Moodle's imports.

What the grade is (written down for facilitators in docs/facilitator.md, section 7):

- **plain**: one row per learner; per exercise 1 (passed) or 0 (not passed; empty when
  the exercise is not in that learner's report); per defence lab also the share of
  attacks blocked and of usefulness kept, in percent (a number a spreadsheet sorts, not
  "9/13", which some spreadsheets read as a date); then the learner's track: exercises
  passed, exercises in the track, and the percent passed; and where the report says it
  was made (``ci`` with the run's address, or ``self-reported``).
- **canvas** and **moodle**: one grade column (``--assignment``, default "aisec-tutor"):
  the percent of the learner's track passed, scaled to ``--points`` (default 100). One
  column, not forty: an import never fills a gradebook with assignments nobody asked
  for, and the plain CSV has the detail.

The platforms' formats, as documented (and checked against each importer's source):

- Canvas, "How do I import grades in the Gradebook?":
  https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807
  (moved to https://community.instructure.com/en/kb/articles/660862-how-do-i-import-grades-in-the-gradebook).
  Columns Student, ID, SIS User ID, SIS Login ID, Section, in that order, then one per
  assignment, titled "Name (ID)" for an existing assignment; a title with no ID makes a
  new assignment, whose points come from a "Points Possible" row under the header.
  Canvas finds each student by ID, then SIS User ID, then SIS Login ID, then name
  (https://github.com/instructure/canvas-lms/blob/master/app/models/gradebook_importer.rb).
- Moodle, "Grade import" (https://docs.moodle.org/en/Grade_import): a CSV with a header
  row; on upload the teacher picks the encoding (UTF-8) and separator (comma), maps one
  column to a user field (email address, username, ID number or user id) and each grade
  column to a grade item or a new one. An identifier Moodle cannot find stops the whole
  import, and an empty grade cell is imported as "no grade"
  (https://github.com/moodle/moodle/blob/main/grade/import/csv/classes/load_data.php).

So both platform files hold only the roster's learners who have a report (an empty cell
could clear a grade already there); the others are counted in a note. Every cell goes
through :func:`tutor.text.export.csv_cell`; the files are UTF-8 without a byte order
mark, comma-separated, quoted by the csv module, lines ending CRLF (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.errors import UsageError
from tutor.text.export import csv_cell
from tutor.workshop.class_reports import Loaded, share, source
from tutor.workshop.roster import Matching, Roster, listed, match_reports, read_roster

KINDS = ("plain", "canvas", "moodle")
DEFAULT_MATCH = {"canvas": "SIS Login ID", "moodle": "Email address"}
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
# Headers Canvas reads as its own, never as an assignment (gradebook_importer.rb): the
# learner columns by name, the computed ones wherever they appear in a title.
CANVAS_RESERVED = (*CANVAS_IDENTITY, "LastName", "FirstName", "Integration ID", "Root Account")
CANVAS_COMPUTED = ("Current Score", "Current Points", "Current Grade", "Final Score",
                   "Final Points", "Final Grade", "Override Score", "Override Grade",
                   "Override Status", "Points Possible")
ASSIGNMENT_LIMIT = 100


@dataclass(frozen=True)
class Options:
    kind: str = "plain"
    roster: Path | None = None
    match: str | None = None
    assignment: str = "aisec-tutor"
    points: float = 100.0


@dataclass
class Gradebook:
    text: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Grades:
    """One learner's grades, from a report checked by ``clean_report``."""

    passed: int  # exercises of their track passed
    total: int  # exercises in their track
    exercises: dict[str, bool]  # exercise id -> passed
    labs: dict[str, tuple[float | None, float | None]]  # lab id -> (blocked %, useful %)

    @property
    def percent(self) -> float:
        return 100 * self.passed / self.total if self.total else 0.0


def grades(report: dict[str, Any]) -> Grades:
    entries = report["exercises"]
    track = [e for e in entries if e["in_track"]]
    labs = {e["id"]: (share(e["lab_blocked"]), share(e["lab_useful"])) for e in entries
            if e["lab_blocked"] is not None or e["lab_useful"] is not None}
    return Grades(passed=sum(e["status"] == "passed" for e in track), total=len(track),
                  exercises={e["id"]: e["status"] == "passed" for e in entries}, labs=labs)


def number(value: float | None, digits: int = 2) -> str:
    """A grade as a plain decimal: 87.5, 100, 66.67; empty for None."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _writer(out: io.StringIO) -> Any:
    return csv.writer(out, lineterminator="\r\n")


def _row(cells: list[Any]) -> list[Any]:
    return [csv_cell(cell) for cell in cells]


# -- plain --------------------------------------------------------------------------------

def _columns(reports: list[tuple[str, dict[str, Any]]]) -> tuple[list[str], list[str]]:
    """Exercise ids (in someone's track or tried by someone, in first-seen order) and
    the defence labs among them."""
    exercises: dict[str, None] = {}
    labs: dict[str, None] = {}
    for _, report in reports:
        for e in report["exercises"]:
            if e["in_track"] or e["attempts"] > 0:
                exercises.setdefault(e["id"])
            if e["lab_blocked"] is not None or e["lab_useful"] is not None:
                labs.setdefault(e["id"])
    return list(exercises), [lab for lab in labs if lab in exercises]


def _plain_cells(report: dict[str, Any] | None, exercises: list[str],
                 labs: list[str]) -> list[Any]:
    """The grade cells of one learner's row (all empty when there is no report)."""
    if report is None:
        return [""] * (5 + len(exercises) + 2 * len(labs))
    g = grades(report)
    graded_in = report.get("graded_in")
    cells: list[Any] = [source(report), graded_in["run_url"] if graded_in else "",
                        g.passed, g.total, number(g.percent, 1)]
    cells += ["" if ex not in g.exercises else int(g.exercises[ex]) for ex in exercises]
    for lab in labs:
        blocked, useful = g.labs.get(lab, (None, None))
        cells += [number(blocked, 1), number(useful, 1)]
    return cells


def to_plain(loaded: Loaded, roster: Roster | None, matching: Matching | None) -> str:
    exercises, labs = _columns(loaded.reports)
    lab_headers = [h for lab in labs for h in (f"{lab} blocked %", f"{lab} useful %")]
    grade_headers = ["source", "ci_run_url", "passed", "track_total", "percent",
                     *exercises, *lab_headers]
    out = io.StringIO()
    writer = _writer(out)
    if roster is None or matching is None:
        writer.writerow(_row(["learner", *grade_headers]))
        for label, report in loaded.reports:
            writer.writerow(_row([label, *_plain_cells(report, exercises, labs)]))
        return out.getvalue()
    writer.writerow(_row([roster.match, "report name", *grade_headers]))
    for row, found in zip(roster.rows, matching.reports, strict=True):
        name = found[1]["name"] if found else ""
        writer.writerow(_row([row[roster.match], name,
                              *_plain_cells(found[1] if found else None, exercises, labs)]))
    return out.getvalue()


# -- Canvas and Moodle --------------------------------------------------------------------

def _grade(report: dict[str, Any], points: float) -> str:
    return number(grades(report).percent * points / 100)


def to_canvas(roster: Roster, matching: Matching, options: Options) -> str:
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow(_row([*CANVAS_IDENTITY, options.assignment]))
    writer.writerow(_row(["Points Possible", "", "", "", "", number(options.points)]))
    for row, found in zip(roster.rows, matching.reports, strict=True):
        if found is not None:
            writer.writerow(_row([*(row.get(c, "") for c in CANVAS_IDENTITY),
                                  _grade(found[1], options.points)]))
    return out.getvalue()


def to_moodle(roster: Roster, matching: Matching, options: Options) -> str:
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow(_row([roster.match, options.assignment]))
    for row, found in zip(roster.rows, matching.reports, strict=True):
        if found is not None:
            writer.writerow(_row([row[roster.match], _grade(found[1], options.points)]))
    return out.getvalue()


# -- putting it together ------------------------------------------------------------------

def check_options(options: Options) -> None:
    """UsageError, with the fix, for options that cannot make a file the platform reads."""
    if options.kind not in KINDS:
        raise UsageError(f"Unknown gradebook {options.kind!r}: use one of {', '.join(KINDS)}.")
    if options.kind != "plain" and options.roster is None:
        raise UsageError(f"A {options.kind} gradebook needs the class list: export it from "
                         f"{options.kind.capitalize()} and give it with --roster FILE.")
    if options.roster is not None and options.kind == "plain" and not options.match:
        raise UsageError("With --roster, name the roster column that holds what learners "
                         "typed as their report name: --match COLUMN.")
    name = options.assignment
    if not (0 < len(name.strip()) <= ASSIGNMENT_LIMIT and name.isprintable()
            and csv_cell(name) == name and name.strip() not in CANVAS_RESERVED
            and not any(word in name for word in CANVAS_COMPUTED)):
        raise UsageError(f"--assignment {name!r} cannot be a grade column: use up to "
                         f"{ASSIGNMENT_LIMIT} printable characters, not starting with = + - @, "
                         "and not one of the platform's own column names.")
    if not 0 < options.points <= 10_000:
        raise UsageError(f"--points {options.points:g} is not a number of points: use a "
                         "number above 0 (the assignment's points possible, e.g. 100).")


def _notes(options: Options, loaded: Loaded, matching: Matching | None,
           roster: Roster | None) -> list[str]:
    graded = ([found[1] for found in matching.reports if found] if matching
              else [report for _, report in loaded.reports])
    from_ci = sum(source(report) == "ci" for report in graded)
    notes = [f"{len(graded)} learner(s) graded: {from_ci} from reports that say a CI run "
             f"made them, {len(graded) - from_ci} self-reported."]
    if matching is None or roster is None:
        return notes
    if matching.unmatched:
        notes.append(f"{len(matching.unmatched)} report(s) match no row of the roster's "
                     f"{roster.match!r} column and are not in the file: "
                     f"{listed(matching.unmatched)}.")
    if matching.ambiguous:
        notes.append(f"{len(matching.ambiguous)} name(s) fit several roster rows or several "
                     f"reports, so none of them was graded: {listed(matching.ambiguous)}.")
    if matching.missing:
        where = ("have empty cells" if options.kind == "plain"
                 else "are left out, so their grades stay as they are")
        notes.append(f"{matching.missing} roster learner(s) have no report and {where}.")
    return notes


def build(loaded: Loaded, options: Options) -> Gradebook:
    """The gradebook file of ``options.kind`` and the notes for the facilitator."""
    check_options(options)
    roster = matching = None
    if options.roster is not None:
        match = options.match or DEFAULT_MATCH[options.kind]
        required = ("Student", "ID", "Section") if options.kind == "canvas" else ()
        roster = read_roster(options.roster, match, required)
        matching = match_reports(roster, loaded.reports)
    if options.kind == "canvas" and roster and matching:
        text = to_canvas(roster, matching, options)
    elif options.kind == "moodle" and roster and matching:
        text = to_moodle(roster, matching, options)
    else:
        text = to_plain(loaded, roster, matching)
    return Gradebook(text, _notes(options, loaded, matching, roster))
