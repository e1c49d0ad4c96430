"""Gradebook files: the plain CSV, Canvas's and Moodle's import formats, and rosters.

The formats are checked against what each platform documents and what its importer
reads (sources in tutor/workshop/gradebook.py): header names and order, the
identifying columns, numeric grade cells, csv-module quoting, UTF-8, CRLF line ends.
Learner names are hostile: no cell may start a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.functional.test_workshop import fake_report
from tests.unit.test_graded_in import GOOD
from tests.unit.test_hostile_reports import FORMULAS
from tutor.errors import UsageError
from tutor.workshop.class_reports import Loaded, clean_report
from tutor.workshop.gradebook import CANVAS_IDENTITY, Options, build, check_options
from tutor.workshop.roster import key, match_reports, read_roster

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def loaded(*reports: dict[str, Any]) -> Loaded:
    result = Loaded()
    for number, data in enumerate(reports, 1):
        clean, _ = clean_report(data)
        result.reports.append((clean["name"] or f"learner {number} (r{number}.json)", clean))
    return result


def learner(name: str, graded_in: dict[str, str] | None = None, **statuses: str) -> dict:
    data = fake_report(name, {ex: (st, 1, 0) for ex, st in statuses.items()})
    if graded_in:
        data["graded_in"] = graded_in
    return data


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_csv_file(text: str) -> None:
    """RFC 4180 line ends, and text a UTF-8 file holds as it is."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert text.encode("utf-8").decode("utf-8") == text and not text.startswith("\ufeff")


def assert_inert(table: list[list[str]]) -> None:
    for row in table:
        for cell in row:
            assert not cell.lstrip(" ").startswith(FORMULA_START), f"formula cell {cell!r}"


# -- plain --------------------------------------------------------------------------------

CLASS = (learner("Ana", GOOD, adder="passed", greeter="failed"),
         learner("Chloé", None, adder="passed", greeter="passed"),
         learner("", None, adder="pending"))


def test_plain_has_a_row_per_learner_and_a_column_per_exercise():
    book = build(loaded(*CLASS), Options("plain"))
    assert_csv_file(book.text)
    table = rows(book.text)
    assert table[0] == ["learner", "source", "ci_run_url", "passed", "track_total", "percent",
                        "adder", "greeter"]
    assert table[1:] == [
        ["Ana", "ci", GOOD["run_url"], "1", "2", "50", "1", "0"],
        ["Chloé", "self-reported", "", "2", "2", "100", "1", "1"],
        ["learner 3 (r3.json)", "self-reported", "", "0", "1", "0", "0", ""],
    ]
    assert book.notes == ["3 learner(s) graded: 1 from reports that say a CI run made them, "
                          "2 self-reported."]


def test_plain_gives_a_lab_its_two_scores_as_percentages():
    data = learner("Ana", None, guard="failed")
    data["exercises"][0].update(lab_blocked=[9, 13], lab_useful=[10, 10])
    table = rows(build(loaded(data), Options("plain")).text)
    assert table[0][-3:] == ["guard", "guard blocked %", "guard useful %"]
    assert table[1][-3:] == ["0", "69.2", "100"]


@pytest.mark.parametrize("name", [*FORMULAS, " =1+1", "\uff1dSUM(A1)", "-", "@"])
def test_a_formula_name_comes_out_inert(name):
    book = build(loaded(learner(name, None, adder="passed")), Options("plain"))
    table = rows(book.text)
    assert_inert(table)
    assert len(table) == 2 and table[1][0].startswith("'")


def test_a_formula_exercise_id_is_inert_in_the_header():
    data = learner("Ana", None, adder="passed")
    data["exercises"][0]["id"] = "=HYPERLINK(\"http://evil.example\")"
    assert_inert(rows(build(loaded(data), Options("plain")).text))


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_hostile_names_give_one_inert_row_each(names):
    book = build(loaded(*(learner(n, None, adder="passed") for n in names)), Options("plain"))
    table = rows(book.text)
    assert len(table) == 1 + len(names), "one row per learner, whatever the names hold"
    assert all(len(row) == len(table[0]) for row in table)
    assert_inert(table)


# -- rosters -------------------------------------------------------------------------------

CANVAS_EXPORT = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (11),Current Score,Final Score\r\n"
    "    Points Possible,,,,,10,(read only),(read only)\r\n"
    '"Silva, Ana",101,s001,ana@uni.example,Sec 1,8,80,80\r\n'
    "Chloé Martin,102,s002,CHLOE@uni.example,Sec 1,,0,0\r\n"
    '"=cmd|\' /C calc\'!A0",103,s003,eve@uni.example,Sec 2,,0,0\r\n'
    "\"Student, Test\",104,,,Sec 1,,0,0\r\n")


def write(tmp_path: Path, text: str, name: str = "roster.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


def test_a_canvas_export_is_read_as_learner_rows(tmp_path):
    roster = read_roster(write(tmp_path, CANVAS_EXPORT, bom=True), "SIS Login ID")
    assert [r["Student"] for r in roster.rows] == ["Silva, Ana", "Chloé Martin",
                                                    "=cmd|' /C calc'!A0"]
    assert roster.skipped == 1, "the test student has no SIS Login ID"


def test_a_semicolon_roster_with_a_bom_is_read(tmp_path):
    path = write(tmp_path, "First name;Last name;Email address\nAna;Silva;ana@uni.example\n",
                 bom=True)
    roster = read_roster(path, "Email address")
    assert roster.rows == [{"First name": "Ana", "Last name": "Silva",
                            "Email address": "ana@uni.example"}]


@pytest.mark.parametrize("text, words", [
    ("Student,ID,Section\nAna,1,S\n", ["'SIS Login ID'", "--match", "Student"]),
    ("", ["empty"]),
])
def test_a_roster_without_the_column_says_which_and_how(tmp_path, text, words):
    with pytest.raises(UsageError) as error:
        read_roster(write(tmp_path, text), "SIS Login ID")
    assert all(w in str(error.value) for w in words) and "roster.csv" in str(error.value)


def test_a_roster_that_is_not_utf8_says_so(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("Email address\nchlo\xe9@uni.example\n".encode("latin-1"))
    with pytest.raises(UsageError, match="not UTF-8"):
        read_roster(path, "Email address")


def test_a_roster_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(UsageError, match="could not be read"):
        read_roster(tmp_path, "Email address")


def test_matching_ignores_case_and_spacing_and_never_guesses(tmp_path):
    roster = read_roster(write(tmp_path, "Email address\nana@u.example\nbo@u.example\n"
                                         "bo@u.example\ncy@u.example\n"), "Email address")
    reports = loaded(learner(" ANA@u.example ", None), learner("bo@u.example", None),
                     learner("cy@u.example", None), learner("CY@u.example", None),
                     learner("zed", None), learner("", None)).reports
    matching = match_reports(roster, reports)
    assert [found[0] if found else None for found in matching.reports] == [
        "ANA@u.example", None, None, None]
    assert matching.ambiguous == ["bo@u.example", "cy@u.example"]
    assert matching.unmatched == ["zed", "learner 6 (r6.json)"]
    assert matching.missing == 3
    assert key("  Ａna   SILVA ") == "ana silva"  # full-width letters too


# -- Canvas ---------------------------------------------------------------------------------

def canvas_class(tmp_path: Path, **options: Any) -> tuple[list[list[str]], list[str], str]:
    reports = loaded(learner("ana@uni.example", GOOD, adder="passed", greeter="failed"),
                     learner("chloe@uni.example", None, adder="passed", greeter="passed"),
                     learner("EVE@uni.example ", None, adder="failed", greeter="failed"),
                     learner("mallory@uni.example", None, adder="passed"))
    book = build(reports, Options("canvas", write(tmp_path, CANVAS_EXPORT), **options))
    return rows(book.text), book.notes, book.text


def test_canvas_file_has_the_documented_columns_in_order(tmp_path):
    table, _, text = canvas_class(tmp_path)
    assert_csv_file(text)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "aisec-tutor"]
    # How Canvas's importer recognises the header: Student, ID, the two SIS columns,
    # and the last learner column is Section; everything after it is an assignment.
    assert tuple(table[0][:5]) == CANVAS_IDENTITY
    assert table[1][0] == "Points Possible" and table[1][-1] == "100"
    assert all(len(row) == 6 for row in table)


def test_canvas_rows_take_identity_from_the_roster_and_grades_are_numbers(tmp_path):
    table, notes, _ = canvas_class(tmp_path)
    learners = table[2:]
    assert [row[:5] for row in learners] == [
        ["Silva, Ana", "101", "s001", "ana@uni.example", "Sec 1"],
        ["Chloé Martin", "102", "s002", "CHLOE@uni.example", "Sec 1"],
        ["'=cmd|' /C calc'!A0", "103", "s003", "eve@uni.example", "Sec 2"],
    ]
    assert [float(row[5]) for row in learners] == [50.0, 100.0, 0.0]
    assert_inert(table)
    assert any("mallory@uni.example" in n and "match no row" in n for n in notes)
    assert not any("Test" in row[0] for row in table), "no report: left out, not blanked"


def test_canvas_points_and_assignment_name(tmp_path):
    table, _, _ = canvas_class(tmp_path, assignment="aisec-tutor (4321)", points=10)
    assert table[0][-1] == "aisec-tutor (4321)" and table[1][-1] == "10"
    assert [row[5] for row in table[2:]] == ["5", "10", "0"]


def test_canvas_needs_a_roster_with_its_columns(tmp_path):
    with pytest.raises(UsageError, match="--roster"):
        build(loaded(learner("a", None)), Options("canvas"))
    path = write(tmp_path, "Name,SIS Login ID\nAna,ana\n")
    with pytest.raises(UsageError, match="'Student', 'ID', 'Section'"):
        build(loaded(learner("ana", None)), Options("canvas", path))


# -- Moodle ---------------------------------------------------------------------------------

MOODLE_EXPORT = ("First name,Last name,ID number,Institution,Department,Email address,"
                 "Assignment: Essay (Real),Last downloaded from this course\n"
                 "Ana,Silva,1001,,,ana@uni.example,7.00,1700000000\n"
                 "Bo,Li,1002,,,bo@uni.example,-,1700000000\n")


def test_moodle_file_has_the_identifier_column_and_one_numeric_grade(tmp_path):
    reports = loaded(learner("ANA@uni.example", None, adder="passed", greeter="failed"),
                     learner("zed@uni.example", None, adder="passed"))
    book = build(reports, Options("moodle", write(tmp_path, MOODLE_EXPORT)))
    assert_csv_file(book.text)
    table = rows(book.text)
    assert table == [["Email address", "aisec-tutor"], ["ana@uni.example", "50"]]
    assert any("zed@uni.example" in n for n in book.notes)
    assert any("1 roster learner(s) have no report" in n for n in book.notes)


def test_moodle_can_match_another_column(tmp_path):
    reports = loaded(learner("1002", None, adder="passed"))
    book = build(reports, Options("moodle", write(tmp_path, MOODLE_EXPORT), "ID number",
                                  "AI security", 20))
    assert rows(book.text) == [["ID number", "AI security"], ["1002", "20"]]


def test_plain_with_a_roster_lists_every_roster_learner(tmp_path):
    reports = loaded(learner("ana@uni.example", None, adder="passed"))
    book = build(reports, Options("plain", write(tmp_path, MOODLE_EXPORT), "Email address"))
    table = rows(book.text)
    assert table[0][:3] == ["Email address", "report name", "source"]
    assert table[1][:3] == ["ana@uni.example", "ana@uni.example", "self-reported"]
    assert table[2] == ["bo@uni.example"] + [""] * (len(table[0]) - 1)


# -- options -------------------------------------------------------------------------------

@pytest.mark.parametrize("options, words", [
    (Options("plain", Path("r.csv")), "--match"),
    (Options("plain", assignment="=SUM(A1)"), "--assignment"),
    (Options("plain", assignment="Final Score"), "--assignment"),
    (Options("plain", assignment="ID"), "--assignment"),
    (Options("plain", assignment=""), "--assignment"),
    (Options("plain", assignment="a\nb"), "--assignment"),
    (Options("plain", points=0), "--points"),
    (Options("plain", points=float("nan")), "--points"),
    (Options("moodle"), "--roster"),
    (Options("blackboard"), "plain, canvas, moodle"),
])
def test_options_that_cannot_make_a_file_are_refused(options, words):
    with pytest.raises(UsageError, match=words.replace("+", r"\+")):
        check_options(options)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_characters="\x00"), max_size=30),
                min_size=1, max_size=5))
def test_hostile_roster_names_give_one_inert_row_per_matched_learner(names):
    import tempfile

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CANVAS_IDENTITY)
    for number, name in enumerate(names):
        writer.writerow([name, str(100 + number), "", f"u{number}", "S"])
    reports = loaded(*(learner(f"u{number}", None, adder="passed")
                       for number in range(len(names))))
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), out.getvalue())
        book = build(reports, Options("canvas", path))
    table = rows(book.text)
    assert [row[1] for row in table[2:]] == [str(100 + n) for n in range(len(names))
                                             if not names[n].strip().startswith("Points Possible")]
    assert all(len(row) == 6 for row in table)
    assert_inert(table)
