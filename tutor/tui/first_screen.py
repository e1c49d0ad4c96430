"""What of a lesson to mount for its first frame: about one screenful, and the rest after.

Textual's Markdown costs a widget per block, and a table a widget per cell laid out on a
grid: mounting text that is below the bottom of the screen made a long lesson slow to
appear. The first frame takes the lesson's parts (its text cut at headings, and its
quizzes) while their estimated height fits the screen, and cuts the part that crosses
the bottom between two of its blocks. The estimate errs high (a shorter first frame)
rather than low (a frame with blank space at the bottom, filled one frame later).
"""

from __future__ import annotations

import functools
from math import ceil

from tutor.course.lessons import Quiz

# Blocks a part may be cut before: they have no top margin, so the cut adds no space
# (headings, fences, quotes and rules have one, which would count twice across a cut).
_CUT_BEFORE = {"paragraph_open", "bullet_list_open", "ordered_list_open", "table_open"}
QUIZ_ROWS = 8  # border, question, a few choices, margins


@functools.lru_cache(maxsize=256)
def blocks(markdown: str) -> tuple[tuple[str, bool], ...]:
    """The Markdown cut between its top-level blocks: (text, may be cut before)."""
    from markdown_it import MarkdownIt  # only when a lesson is shown: start-up speed

    lines = markdown.splitlines(keepends=True)
    starts = [(token.map[0], token.type in _CUT_BEFORE)
              for token in MarkdownIt("commonmark").enable("table").parse(markdown)
              if token.level == 0 and token.nesting >= 0 and token.map is not None]
    if not starts or starts[0][0] != 0:
        starts.insert(0, (0, False))
    ends = [start for start, _ in starts[1:]] + [len(lines)]
    return tuple(("".join(lines[start:end]), cut)
                 for (start, cut), end in zip(starts, ends, strict=True))


def estimate_rows(markdown: str, width: int) -> int:
    """Rows the Markdown takes at ``width`` columns, rounded up: wrapped lines, one per
    blank line (block margins) and a row under each table row (its grid lines)."""
    rows = 0
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            rows += 2
        else:
            rows += max(1, ceil(len(stripped) / max(1, width)))
    return rows + 2  # the block's margins


def first_screen(parts: list[str | Quiz], rows: int,
                 width: int) -> tuple[list[str | Quiz], list[str | Quiz], bool]:
    """(parts for the first frame, parts for after it, whether the last part of the
    first frame is cut from the first part after it: its last block keeps its margin)."""
    first: list[str | Quiz] = []
    for index, part in enumerate(parts):
        if rows <= 0:
            return first, parts[index:], False
        need = QUIZ_ROWS if isinstance(part, Quiz) else estimate_rows(part, width)
        if need <= rows or isinstance(part, Quiz):
            first.append(part)
            rows -= need
            continue
        head, tail = _cut(part, rows, width)
        if not tail:
            return [*first, head], parts[index + 1:], False
        return [*first, head], [tail, *parts[index + 1:]], True
    return first, [], False


def _cut(part: str, rows: int, width: int) -> tuple[str, str]:
    """``part`` cut before its first block that may be cut before and starts below
    ``rows``; ("", part) or (part, "") when there is no such block."""
    pieces = blocks(part)
    used = 0
    for index, (text, may_cut) in enumerate(pieces):
        if index > 0 and may_cut and used >= rows:
            head = "".join(text for text, _ in pieces[:index])
            tail = "".join(text for text, _ in pieces[index:])
            return head.rstrip("\n"), tail.strip("\n")
        used += estimate_rows(text, width)
    return part, ""
