"""Learner-chosen text in Markdown and CSV exports, made inert.

Names, ids and file names in a report are typed by a learner. In Markdown they must
not become a link, an image, HTML, a code fence or an extra table cell; in CSV they
must not become a spreadsheet formula (OWASP "CSV injection"). Both outputs are also
printed to terminals, so control characters are shown (``safe_line``), never obeyed.
"""

from __future__ import annotations

import re
from typing import Any

from tutor.text.safe import safe_line

_WORD = r"[^\W_]+(?:[_'-][^\W_]+)*"  # letters and digits; _ ' - only between them
_PLAIN_NAME = re.compile(rf"{_WORD}(?: {_WORD})*")
_PLAIN_FILE = re.compile(rf"(?:{_WORD}/)*{_WORD}\.json")
SHOWN_LIMIT = 200  # characters shown of any learner-chosen text, once made safe


def md_code(text: str, table: bool = False, limit: int = SHOWN_LIMIT) -> str:
    """``text`` as a Markdown code span: literal, whatever it holds.

    The fence is one backtick longer than any run inside, so nothing closes it early;
    newlines are shown as ``\\n``; in a table ``|`` is escaped, which GFM honours even
    inside code spans.
    """
    text = safe_line(text, limit)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    if text.startswith("`") or text.endswith("`") or not text.strip():
        text = f" {text} "  # CommonMark strips one space each side again
    if table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def md_inline(text: str, table: bool = False, limit: int = SHOWN_LIMIT) -> str:
    """A learner-chosen name (or report file name) for Markdown prose.

    Ordinary names ("Chloé", "Jean-Luc O'Brien", "reports/ana.json") stay as they
    are; anything else (brackets, URLs, "www.", "@", HTML, emphasis...) goes into a
    code span, where nothing is a link, an image or HTML.
    """
    line = safe_line(text, limit)
    if (_PLAIN_NAME.fullmatch(line) or _PLAIN_FILE.fullmatch(line)) \
            and "www" not in line.lower():
        return line
    return md_code(text, table, limit)


_MD_ACTIVE = re.compile(r"([\\`*_\[\]<>|!&~#])")


def md_prose(text: str, limit: int = 200) -> str:
    """Course text (a title) for Markdown prose: every character that could start
    markup is backslash-escaped, so it reads the same rendered and raw."""
    return _MD_ACTIVE.sub(r"\\\1", safe_line(text, limit))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d",
                  "\uff20")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run (OWASP "CSV injection").

    Text starting with ``= + - @``, a tab or a carriage return (also after leading
    spaces, and their full-width forms) gets a leading ``'``, whether or not the CSV
    writer then quotes the field: quoting does not stop a spreadsheet. Numbers and
    booleans are left alone.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START) or value.lstrip(" ").startswith(_FORMULA_START):
        value = "'" + value
    return safe_line(value)
