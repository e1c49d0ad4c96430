"""Untrusted text (check messages, learner output, model output) is shown as
literal text: these helpers build Textual `Content` without parsing markup, and
with control characters, escape sequences and bidi overrides made visible
(:func:`tutor.text.safe.safe_text`), so nothing written by someone else can act
on the terminal."""

from __future__ import annotations

from textual.content import Content

from tutor.learner.state import State
from tutor.text.safe import safe_text

# A check's outcome (not an exercise's state): how the check list marks it.
MARKS = {"passed": ("✓", "$success"), "failed": ("✗", "$error"), "error": ("✗", "$error"),
         "skipped": ("-", "$warning")}
# The theme variable for each role a State's colour names.
THEME = {"success": "$success", "error": "$error", "muted": "$text-muted"}


def plain(text: str, style: str = "") -> Content:
    """Literal, safe text, optionally styled; `[@click=...]` stays just characters."""
    text = safe_text(text)
    return Content.styled(text, style) if style else Content(text)


def mark(outcome: str) -> Content:
    symbol, style = MARKS.get(outcome, ("?", ""))
    return Content.styled(symbol, style)


def state_label(state: State) -> Content:
    return Content.styled(state.word, THEME[state.colour])


def state_mark(state: State) -> Content:
    return Content.styled(state.mark, THEME[state.colour])
