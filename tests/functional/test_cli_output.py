"""What the learner's code prints stays readable in `aisec check` and `aisec watch`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.text.grade import OUTPUT_LINES, OUTPUT_WIDTH

NOISY = (
    "def add(a, b):\n"
    "    for i in range(40):\n"
    "        print(str(i) + 'x' * 500)\n"
    "    return a + b\n"
)


@pytest.fixture
def ws(tmp_path: Path, course_dir: Path, aisec) -> Path:
    result = aisec("--course", course_dir, "init", "w", cwd=tmp_path)
    assert result.code == 0, result.err
    return tmp_path / "w"


def test_forty_lines_of_500_characters_are_cut_and_the_verdict_stays_visible(ws, aisec):
    (ws / "exercises/demo/adder.py").write_text(NOISY, encoding="utf-8")
    result = aisec("check", "adder", cwd=ws)
    assert result.code == 0, result.out
    printed = [line for line in result.out.splitlines() if line.lstrip().startswith("|")]
    assert printed, result.out
    assert len(printed) <= OUTPUT_LINES + 1, "at most OUTPUT_LINES lines, and a 'more' line"
    longest = max(len(line) for line in result.out.splitlines())
    assert longest <= OUTPUT_WIDTH + 40, f"a {longest}-character line floods the terminal"
    rows = sum(-(-len(line) // 80) for line in printed)  # on an 80-column terminal
    assert rows <= 2 * 24 + 2, f"the output takes {rows} rows: more than two screens"
    assert "more characters)" in printed[0]
    assert "All 3 checks passed" in result.out
