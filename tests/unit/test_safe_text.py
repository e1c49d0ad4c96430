"""Nothing untrusted reaches the terminal raw: escape sequences are shown, not obeyed.

Learner output and exception messages (CLI `check`/`watch` and the TUI), and
anything else written by someone else, once went to the terminal as they were:
enough to set the window title, clear the screen and draw fake results, or write
the clipboard (OSC 52). Every such path now goes through `tutor.text.safe`.
"""

from __future__ import annotations

import asyncio
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pilot import wait_until
from tutor.cli.remedies import WORDS
from tutor.grader.result import CheckResult, GradeResult
from tutor.text.safe import json_for_terminal, safe_line, safe_text
from tutor.text.terminal import Style, grade_report

TITLE = "\x1b]0;pwned\x07"  # OSC 0: set the window title
CLEAR = "\x1b[2J\x1b[H"  # CSI: clear the screen, cursor home
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"  # OSC 52: write the clipboard
C1_CSI = "\x9b31m"  # the one-byte CSI some terminals honour
BIDI = "\u202eevil\u202c"  # right-to-left override
HOSTILE = TITLE + CLEAR + CLIPBOARD + C1_CSI + BIDI + "\rfake: all passed"
# What a terminal may act on, besides newline and tab.
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                    "\u202a-\u202e\u2066-\u2069]")


def test_escape_sequences_and_bidi_controls_are_shown_not_obeyed():
    shown = safe_text(HOSTILE)
    assert not ACTIVE.search(shown)
    assert "\\x1b]0;pwned\\x07" in shown and "\\x1b]52;c;" in shown
    assert "\\x9b31m" in shown and "\\u202eevil\\u202c" in shown
    assert "\\x0dfake" in shown, "a lone carriage return could overwrite the line"


def test_ordinary_text_is_left_alone():
    text = "Line one\n\tindented — café ✓ 名前 😀\r\nend"
    assert safe_text(text) == text.replace("\r\n", "\n")


def test_one_line_shows_newlines_and_cuts():
    assert safe_line("a\nb\tc") == "a\\nb\\tc"
    assert safe_line("x" * 50, 10) == "x" * 9 + "…"


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text())
def test_nothing_active_survives_any_text(text):
    assert not ACTIVE.search(safe_text(text))
    assert not ACTIVE.search(safe_line(text)) and "\n" not in safe_line(text)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.recursive(st.text() | st.integers() | st.none(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_stays_exact_data_without_anything_active(data):
    text = json_for_terminal(data)
    assert json.loads(text) == data
    assert not ACTIVE.search(text.replace("\n", ""))


def test_grade_report_neutralises_messages_titles_and_output():
    result = GradeResult("adder", "failed", [CheckResult("t", "Title " + TITLE, "failed",
                                                          "message " + CLEAR)],
                         output="printed " + CLIPBOARD + "\n", message="run " + BIDI)
    report = grade_report(result, "Add " + C1_CSI, "exercises/x.py", Style(), WORDS)
    assert not ACTIVE.search(report.replace("\n", ""))
    assert "\\x1b]0;pwned" in report and "\\x1b[2J" in report and "\\x1b]52" in report


HOSTILE_LEARNER = (
    "import sys\n"
    f"print({HOSTILE!r})\n"
    "def add(a, b):\n"
    f"    sys.stdout.write({CLIPBOARD!r})\n"
    f"    raise ValueError({TITLE + CLEAR!r})\n"
)


def test_check_on_the_command_line_shows_learner_output_and_errors_safely(mini_workspace,
                                                                          aisec):
    path = mini_workspace.exercise_path(mini_workspace.course.exercise("adder"))
    path.write_text(HOSTILE_LEARNER, encoding="utf-8")
    result = aisec("check", "adder", cwd=mini_workspace.root)
    assert result.code == 1
    assert not ACTIVE.search(result.out.replace("\n", "")), repr(result.out)
    assert "\\x1b]0;pwned" in result.out, "the text is shown, visibly"
    assert "ValueError" in result.out


def test_check_json_keeps_the_exact_text_as_json_escapes(mini_workspace, aisec):
    path = mini_workspace.exercise_path(mini_workspace.course.exercise("adder"))
    path.write_text(HOSTILE_LEARNER, encoding="utf-8")
    result = aisec("check", "adder", "--json", cwd=mini_workspace.root)
    assert not ACTIVE.search(result.out.replace("\n", ""))
    data = json.loads(result.out)
    assert HOSTILE in data["output"], "scripts get the exact data"


def test_errors_on_the_command_line_are_shown_safely(mini_workspace, aisec):
    result = aisec("check", "adder" + TITLE, cwd=mini_workspace.root)
    assert result.code == 2
    assert not ACTIVE.search(result.err.replace("\n", "")), repr(result.err)
    assert "\\x1b]0;pwned" in result.err


def test_the_tui_shows_learner_output_and_errors_safely(mini_workspace):
    from textual.widgets import Static

    from tutor.tui.app import AisecApp
    from tutor.tui.screens.exercise import ExerciseScreen
    from tutor.tui.widgets.check_list import CheckList

    path = mini_workspace.exercise_path(mini_workspace.course.exercise("adder"))
    path.write_text(HOSTILE_LEARNER, encoding="utf-8")

    async def scenario() -> None:
        app = AisecApp(mini_workspace.course, mini_workspace, poll_interval=0.05)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            app.open_exercise("adder")
            await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))

            def shown() -> str:
                return "\n".join(str(w.render()) for checks in app.screen.query(CheckList)
                                 for w in checks.query(Static))

            await wait_until(pilot, lambda: "Output from your code" in shown(), timeout=60)
            text = shown()
            assert not ACTIVE.search(text.replace("\n", "")), repr(text)
            assert "\\x1b]0;pwned" in text
            app.notify("from a file name " + TITLE, title=CLEAR)
            await pilot.pause()
            notes = list(app.notices)
            assert notes and not ACTIVE.search(notes[-1].message + notes[-1].title)

    asyncio.run(scenario())
