"""GitHub Actions workflow commands (``::error ...::message``) built from untrusted text.

The runner reads every line a step prints that starts with ``::`` as a command. A
check message comes from a learner's code, so it is escaped the way GitHub's own
toolkit escapes a command's data and properties (``escapeData`` and
``escapeProperty`` in actions/toolkit, packages/core/src/command.ts:
https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts; the
command syntax: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands):

- in the message: ``%`` → ``%25``, carriage return → ``%0D``, line feed → ``%0A``;
- in a property value, also ``:`` → ``%3A`` and ``,`` → ``%2C``.

With line breaks escaped the whole command stays on one line, so a message cannot
start a command of its own (``::stop-commands::``, ``::add-mask::``...), and a
property cannot end early and add another property or the message.
"""

from __future__ import annotations

from collections.abc import Mapping

from tutor.text.safe import safe_line

ANNOTATION_LIMIT = 1000  # characters of a message shown in an annotation


def escape_data(text: str) -> str:
    """A command's message, escaped as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value, escaped as GitHub's toolkit does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: Mapping[str, str], message: str) -> str:
    """One workflow command line, e.g. ``::error file=a.py,title=T::message``.

    Values are escaped; other control characters (escape sequences, bidi controls)
    are shown as visible escapes first, since the log is a terminal too. Line breaks
    are kept for the escaping to encode, so the message keeps its lines.
    """
    def clean(text: str, limit: int) -> str:
        lines = text.replace("\r\n", "\n")[:limit].split("\n")
        return "\n".join(safe_line(part) for part in lines)

    props = ",".join(f"{key}={escape_property(clean(value, 200))}"
                     for key, value in properties.items() if value)
    head = f"::{name} {props}" if props else f"::{name}"
    return f"{head}::{escape_data(clean(message, ANNOTATION_LIMIT))}"
