"""A class roster: the CSV a learning platform exports, and which report is whose.

A learner's report carries only the name they typed, so it cannot say which
platform user it belongs to. The facilitator gives the platform's own export (a
Canvas gradebook export, a Moodle grade export or participants list) and names a
column of it (``--match``, e.g. "SIS Login ID" or "Email address"); a report belongs
to the roster row whose value in that column equals the report's name, compared
without case and extra spaces. Whatever the gradebook file then says about who a
learner is comes from the roster, never from a report.

The roster is the facilitator's file, but it is read with care too: only a regular
file up to :data:`ROSTER_LIMIT`, UTF-8 (with or without a byte order mark),
separated by commas, semicolons or tabs.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.errors import UsageError
from tutor.text.safe import safe_line
from tutor.text.untrusted_json import BadFile, read_limited

ROSTER_LIMIT = 50 * 1024 * 1024  # a gradebook export of thousands of learners is a few MB
SHOWN = 10  # names listed in a note before "and N more"


@dataclass
class Roster:
    path: Path
    header: list[str]
    rows: list[dict[str, str]]  # the learners' rows, column -> value (blank when missing)
    match: str  # the column a report's name is compared with
    skipped: int = 0  # rows with a blank value in the match column


@dataclass
class Matching:
    """Each roster row's report (or None), and what could not be matched."""

    reports: list[tuple[str, dict[str, Any]] | None]  # one per roster row, in its order
    unmatched: list[str] = field(default_factory=list)  # report labels with no roster row
    ambiguous: list[str] = field(default_factory=list)  # names that fit several rows/reports
    missing: int = 0  # roster rows with no report


def key(text: str) -> str:
    """What two spellings of one identity share: case, width and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _decode(path: Path) -> str:
    try:
        raw = read_limited(path, ROSTER_LIMIT)
    except FileNotFoundError:
        raise UsageError(f"Roster {safe_line(str(path))} not found: give the CSV your "
                         "learning platform exported.") from None
    except (BadFile, OSError) as exc:
        raise UsageError(f"Roster {safe_line(str(path))} could not be read ({exc}).") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"Roster {safe_line(str(path))} is not UTF-8 text: export it again "
                         "from the platform as UTF-8 CSV.") from None


def _delimiter(first_line: str) -> str:
    """The separator of the header line: the most frequent of comma, semicolon, tab."""
    return max((",", ";", "\t"), key=first_line.count)


def _is_canvas_extra(row: dict[str, str], first: str) -> bool:
    """Canvas exports put a "Points Possible" row (and, with manual posting, a row of
    posting notes) between the header and the learners."""
    cell = row.get(first, "").strip()
    return cell.startswith("Points Possible") or (
        not cell and all(not v.strip() or v.strip().lower() in ("muted", "manual posting")
                         or v.strip().lower().startswith("manual posting")
                         for v in row.values()))


def read_roster(path: Path, match: str, required: Sequence[str] = ()) -> Roster:
    """The learners' rows of ``path``; UsageError naming the file and the fix when a
    column is missing or the file is not a CSV."""
    text = _decode(path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UsageError(f"Roster {safe_line(str(path))} is empty: export the class list "
                         "from your learning platform first.")
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0])))
    except csv.Error as exc:
        raise UsageError(f"Roster {safe_line(str(path))} is not a readable CSV ({exc}).") from None
    header = [cell.strip() for cell in table[0]]
    absent = [c for c in (*required, match) if c not in header]
    if absent:
        found = ", ".join(repr(safe_line(h, 40)) for h in header[:12])
        raise UsageError(
            f"Roster {safe_line(str(path))} has no column {', '.join(map(repr, absent))} "
            f"(its columns: {found}). Name the column that holds what learners typed as "
            "their report name with --match COLUMN.")
    rows, skipped = [], 0
    for cells in table[1:]:
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        if not any(v.strip() for v in row.values()) or _is_canvas_extra(row, header[0]):
            continue
        if not row[match].strip():
            skipped += 1
            continue
        rows.append(row)
    return Roster(path, header, rows, match, skipped)


def match_reports(roster: Roster, reports: list[tuple[str, dict[str, Any]]]) -> Matching:
    """Which report belongs to which roster row. A value that several roster rows share,
    or that several reports claim, matches nothing: it is listed instead of guessed."""
    row_keys = [key(row[roster.match]) for row in roster.rows]
    known = set(row_keys)
    shared_rows = {k for k, n in Counter(row_keys).items() if n > 1}
    by_key: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    unmatched: list[str] = []
    for label, report in reports:
        name_key = key(report["name"])
        if name_key and name_key in known:
            by_key.setdefault(name_key, []).append((label, report))
        else:
            unmatched.append(label)
    ambiguous = sorted({roster_key for roster_key in shared_rows if roster_key in by_key}
                       | {k for k, found in by_key.items() if len(found) > 1})
    chosen = [by_key[k][0] if k in by_key and k not in ambiguous else None for k in row_keys]
    return Matching(chosen, unmatched, ambiguous, sum(found is None for found in chosen))


def listed(names: list[str]) -> str:
    """Some names, quoted and made safe, with "and N more" past :data:`SHOWN`."""
    shown = ", ".join(repr(safe_line(n, 60)) for n in names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
