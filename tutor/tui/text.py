"""Untrusted text (check messages, learner output, model output) is shown as
literal text: these helpers build Textual `Content` without parsing markup."""

from __future__ import annotations

from textual.content import Content

MARKS = {"passed": ("✓", "$success"), "failed": ("✗", "$error"), "error": ("✗", "$error"),
         "skipped": ("-", "$warning"), "timeout": ("⧗", "$error")}
STATE_LABELS = {"passed": ("done", "$success"), "pending": ("to do", "$text-muted"),
                "failed": ("failing", "$error"), "error": ("error", "$error"),
                "timeout": ("timed out", "$error")}


def plain(text: str, style: str = "") -> Content:
    """Literal text, optionally styled; `[@click=...]` stays just characters."""
    return Content.styled(text, style) if style else Content(text)


def mark(outcome: str) -> Content:
    symbol, style = MARKS.get(outcome, ("?", ""))
    return Content.styled(symbol, style)


def state_label(state: str) -> Content:
    label, style = STATE_LABELS.get(state, (state, ""))
    return Content.styled(label, style)
