"""Make untrusted text safe to show in a terminal: one function, used everywhere.

Learner output, exception messages, check messages, model output, a server's
version string, model names, file names and report contents are written by
someone else. Shown raw, an escape sequence in them can set the terminal title,
clear the screen and draw fake results, or write the clipboard (OSC 52), and a
bidi override can make text read differently from what it is. Markup is a
separate matter (Textual and Rich markup are never parsed in untrusted text; see
:mod:`tutor.tui.text`); this module deals with the characters themselves.

Every such character is replaced by a visible escape (``\\x1b``, ``\\u202e``), so
nothing is hidden and nothing acts. Newlines and tabs are kept by :func:`safe_text`
(multi-line output stays readable) and shown by :func:`safe_line`.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline; DEL and the C1 controls (U+009B is a one-byte CSI);
# bidi marks, embeddings, overrides and isolates; line/paragraph separators, which
# some terminals treat as line breaks.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE_LINE = re.compile(_UNSAFE.pattern[:-1] + "\t\n]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x09:
        return "\\t"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` with every control, escape and bidi character shown, not obeyed.

    Newlines and tabs are kept. A lone carriage return (which would let a later
    part of a line overwrite an earlier one) is shown; ``\\r\\n`` becomes ``\\n``.
    """
    return _UNSAFE.sub(_visible, text.replace("\r\n", "\n"))


def safe_line(text: str, limit: int | None = None) -> str:
    """``text`` on one line (newlines and tabs shown too), cut to ``limit`` characters."""
    line = _UNSAFE_LINE.sub(_visible, text)
    if limit is not None and len(line) > limit:
        line = line[: max(limit - 1, 0)] + "…"
    return line


# What JSON leaves raw with ensure_ascii=False that a terminal may act on (json.dumps
# already escapes U+0000-U+001F): DEL, the C1 controls, bidi and line separators.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_for_terminal(data: object) -> str:
    """Indented JSON, readable non-ASCII text, and nothing a terminal would obey.

    The escapes are JSON's own (``\\u202e``), so the data a script reads is exact.
    """
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
