"""Reference solution for `spotlight`: the three spotlighting modes of Hines et al. (2024).

Each mode transforms untrusted text so that the model gets a continuous, hard to fake
signal of where that text came from. The system prompt (not this function) tells the
model what the signal means.
"""

from __future__ import annotations

import base64

START_TAG = "<untrusted_text>"
END_TAG = "</untrusted_text>"
MODES = ("delimit", "datamark", "encode")


def _escape(text: str) -> str:
    # '&' first: escaping it last would turn the '&' of every '&lt;' we just wrote
    # into '&amp;lt;'. After this, the text contains no '<' at all, so it cannot
    # contain START_TAG or END_TAG, however it was crafted.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _check_marker(text: str, marker: str) -> None:
    if not isinstance(marker, str):
        raise TypeError(f"marker must be a str, not {type(marker).__name__}")
    if not marker:
        raise ValueError("marker must not be empty")
    if any(char.isspace() for char in marker):
        raise ValueError(f"marker {marker!r} contains whitespace, which is what it replaces")
    if marker in text:
        # The model could no longer tell our marks from the data's own characters.
        raise ValueError(f"marker {marker!r} already occurs in the text; pick another one")


def spotlight(text: str, mode: str, marker: str = "^") -> str:
    """Transform untrusted `text` so the model can tell it apart from instructions."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if mode == "delimit":
        return f"{START_TAG}\n{_escape(text)}\n{END_TAG}"
    if mode == "datamark":
        _check_marker(text, marker)
        # str.split() with no argument splits on runs of any Unicode whitespace
        # (tabs, newlines, no-break spaces...) and drops leading and trailing runs.
        return marker.join(text.split())
    if mode == "encode":
        # UTF-8 first: base64 works on bytes. b64encode adds no line breaks
        # (base64.encodebytes would, every 76 characters).
        return base64.b64encode(text.encode("utf-8")).decode("ascii")
    raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
