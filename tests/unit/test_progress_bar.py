"""The progress bar of long commands: drawn on a terminal only, rows kept above it."""

from __future__ import annotations

import io

from tutor.cli.progress_bar import WIDTH, ProgressBar


class Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def test_a_pipe_never_sees_the_bar():
    pipe = io.StringIO()
    bar = ProgressBar(35, "graded", pipe)
    bar.advance(3)
    out = io.StringIO()
    bar.above("✓ adder\n", out)
    bar.clear()
    assert pipe.getvalue() == ""
    assert out.getvalue() == "✓ adder\n"


def test_the_bar_fills_with_the_count_and_rows_print_above_it():
    term = Terminal()
    bar = ProgressBar(4, "graded", term)
    bar.advance(1)
    assert term.getvalue().endswith(f"{'█' * (WIDTH // 4)}{'░' * (WIDTH - WIDTH // 4)} 1/4 graded")
    out = Terminal()
    bar.above("✓ adder\n", out)
    assert term.getvalue().count("\r\033[K") == 3  # drawn, cleared for the row, drawn again
    bar.advance(4)
    assert bar.line().startswith("█" * WIDTH) and bar.line().endswith("4/4 graded")
    bar.clear()
    assert term.getvalue().endswith("\r\033[K")


def test_a_dumb_or_ascii_terminal(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    assert not ProgressBar(2, "graded", Terminal()).enabled
    monkeypatch.setenv("TERM", "xterm")
    ascii_term = Terminal()
    ascii_term.encoding = "ascii"  # type: ignore[misc]
    bar = ProgressBar(2, "graded", ascii_term)
    bar.advance(1)
    assert bar.line() == f"{'#' * (WIDTH // 2)}{'-' * (WIDTH // 2)} 1/2 graded"
