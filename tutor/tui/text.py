"""Untrusted text (check messages, learner output, model output) is shown as
literal text: these helpers build Textual `Content` without parsing markup, and
with control characters, escape sequences and bidi overrides made visible
(:func:`tutor.text.safe.safe_text`), so nothing written by someone else can act
on the terminal."""

from __future__ import annotations

from textual.content import Content

from tutor.text.safe import safe_text
from tutor.text.terminal import STATE_WORDS

MARKS = {"passed": ("✓", "$success"), "failed": ("✗", "$error"), "error": ("✗", "$error"),
         "skipped": ("-", "$warning"), "timeout": ("⧗", "$error")}
STATE_STYLES = {"passed": "$success", "pending": "$text-muted", "failed": "$error",
                "error": "$error", "timeout": "$error"}


def plain(text: str, style: str = "") -> Content:
    """Literal, safe text, optionally styled; `[@click=...]` stays just characters."""
    text = safe_text(text)
    return Content.styled(text, style) if style else Content(text)


def mark(outcome: str) -> Content:
    symbol, style = MARKS.get(outcome, ("?", ""))
    return Content.styled(symbol, style)


def state_label(state: str) -> Content:
    return Content.styled(STATE_WORDS.get(state, state), STATE_STYLES.get(state, ""))
