"""One grade view for every front end; each front end words the way out its own way."""

from __future__ import annotations

from tutor.cli import remedies as cli
from tutor.errors import Remedy, UsageError, with_remedy
from tutor.grader.result import CheckResult, GradeResult
from tutor.text.grade import OUTPUT_CHARS, OUTPUT_LINES, OUTPUT_WIDTH, grade_view
from tutor.tui import remedies as tui


def missing() -> GradeResult:
    return GradeResult("luhn", "error", [CheckResult.not_run("t1", "Accepts test cards")],
                       message="exercises/09_pii/luhn.py is missing.",
                       remedy=Remedy.RESTORE_STARTER)


def test_the_same_result_is_worded_by_each_front_end():
    in_terminal = grade_view(missing(), cli.WORDS).overall
    in_tui = grade_view(missing(), tui.WORDS).overall
    assert in_terminal.startswith("exercises/09_pii/luhn.py is missing. ")
    assert "Run 'aisec reset luhn'" in in_terminal
    assert "Press x" in in_tui and "aisec" not in in_tui


def test_every_remedy_is_worded_by_both_front_ends():
    for remedy in Remedy:
        assert remedy in cli.WORDS and remedy in tui.WORDS, remedy


def test_errors_carry_a_remedy_and_only_their_front_end_words_it():
    error = UsageError("There is no exercise 'lun'.", remedy=Remedy.LIST_COURSE)
    assert str(error) == "There is no exercise 'lun'."
    assert error.explained(cli.WORDS).endswith("Run 'aisec list' to see them all.")
    assert with_remedy("Fine.", None, "", cli.WORDS) == "Fine."


def test_a_check_that_never_ran_adds_nothing_of_its_own():
    (line,) = grade_view(missing(), cli.WORDS).checks
    assert line.outcome == "error" and line.message == ""


def test_output_is_cut_and_split_on_newlines_only():
    printed = "\n".join(f"line {n}" for n in range(OUTPUT_LINES + 5)) + "\nend\r\n"
    result = GradeResult("luhn", "failed", output="progress 10%\rprogress 100%\n" + printed)
    view = grade_view(result, cli.WORDS)
    assert view.output[0] == "progress 10%\rprogress 100%", "a lone \\r stays in its line"
    assert len(view.output) == OUTPUT_LINES and view.output_more == 7


def test_the_summary_names_a_timeout():
    view = grade_view(GradeResult("luhn", "timeout", [CheckResult("t", "T", "passed")]),
                      cli.WORDS)
    assert (view.summary, view.tone) == ("Timed out — 1 check, passed.", "error")


def test_long_lines_shorten_the_output_to_a_few_screens():
    """Forty lines of 500 characters: fewer lines shown, about OUTPUT_CHARS in all, and
    the rest counted; forty short lines are all shown."""
    wide = "\n".join(f"{n:02d}" + "x" * 498 for n in range(OUTPUT_LINES))
    view = grade_view(GradeResult("luhn", "failed", output=wide), cli.WORDS)
    assert sum(len(line) for line in view.output) <= OUTPUT_CHARS
    assert 5 <= len(view.output) < OUTPUT_LINES
    assert len(view.output) + view.output_more == OUTPUT_LINES
    assert view.output[0].startswith("00x") and view.output[-1].endswith("more characters)")
    short = "\n".join(f"line {n}" for n in range(OUTPUT_LINES))
    assert len(grade_view(GradeResult("luhn", "failed", output=short), cli.WORDS).output) \
        == OUTPUT_LINES


def test_long_output_lines_are_cut_too():
    result = GradeResult("luhn", "failed", output="x" * (OUTPUT_WIDTH + 300) + "\nshort\n")
    first, second = grade_view(result, cli.WORDS).output
    assert first == "x" * OUTPUT_WIDTH + "… (300 more characters)" and second == "short"


def test_the_count_line_says_how_many_checks_there_are_then_how_they_went():
    def summary(*outcomes: str) -> str:
        checks = [CheckResult(f"t{n}", f"T{n}", o) for n, o in enumerate(outcomes)]
        status = "passed" if set(outcomes) == {"passed"} else "failed"
        return grade_view(GradeResult("luhn", status, checks), cli.WORDS).summary

    assert summary("passed", "passed", "failed") == "3 checks: 2 passed, 1 failing."
    assert summary("failed") == "1 check, failing."
    assert summary("passed") == "1 check, passed."
    assert summary("passed", "passed") == "All 2 checks passed."
