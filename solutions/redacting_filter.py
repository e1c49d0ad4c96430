"""Reference solution for `redacting_filter`: redact log records after formatting.

The card detector is a parameter (`redact_cards`); the default is the starter's rough
stand-in. Pass a real one, built on the `luhn` exercise's find_cards().
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

# ---------------------------------------------------------------------------------------
# The detectors, exactly as the starter gives them.
# ---------------------------------------------------------------------------------------

EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

# A STAND-IN card detector, deliberately rough: NOT the `luhn` exercise's answer. It
# knows one shape (16 digits, solid or in groups of four) and no checksum. Pass a real
# detector instead: RedactingFilter(redact_cards=...), built on the `luhn` exercise.
_ROUGH_CARD_RE = re.compile(r"(?<!\w)[0-9]{4}(?:[ -]?[0-9]{4}){3}(?!\w)")


def rough_redact_cards(text: str) -> str:
    """A stand-in: replace every 16-digit number (solid or 4 x 4) with [CARD]."""
    return _ROUGH_CARD_RE.sub("[CARD]", text)


SECRET_WORDS = (
    "password", "passwd", "passphrase", "pwd", "secret", "credential", "authorization",
    "apikey", "accesskey", "privatekey", "privkey", "authkey", "clientkey", "servicekey",
    "accountkey", "dbkey", "databasekey", "dbpass", "databasepass", "keypass", "contrasena",
)
SECRET_ENDINGS = ("token", "cookie", "auth")
SECRET_NAMES = ("key", "pass", "pw")

# A key (letters, digits, _ . -), maybe closed by a quote or ], then = or : with spaces
# around, then maybe an opening quote (\" too: JSON inside a JSON string). Or a quoted
# key, a comma and a quoted value: the (name, value) pairs of a header list.
_KEY_RE = re.compile(
    r"(?<![A-Za-z0-9_.-])(?P<key>[A-Za-z0-9_.-]+)"
    r"(?P<sep>(?:\\?[\"'\]]){0,2}[ \t]*[:=][ \t]*(?:b?(?P<quote>\\?[\"']))?"
    r"|[\"'][ \t]*,[ \t]*b?(?P<pair_quote>[\"']))"
)
_PRIVATE_KEY_BEGIN_RE = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_PRIVATE_KEY_END_RE = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY-----")
# Where a value inside JSON that was itself quoted ends: \" (or \'), or a line break.
_ESCAPED_QUOTE_OR_LINE_END_RE = {
    quote: re.compile(re.escape(quote) + r"|\n") for quote in ('\\"', "\\'")
}


def is_secret_key(key: str) -> bool:
    """True if a key name looks like it holds a secret."""
    name = key.lower().replace("_", "").replace("-", "").replace(".", "")
    return (
        any(word in name for word in SECRET_WORDS)
        or name.endswith(SECRET_ENDINGS)
        or name in SECRET_NAMES
    )


def _value_end(text: str, start: int, quote: str | None) -> int:
    """Where the value starting at `start` ends: its closing quote, or the end of the line.

    It reads the value and stops, never the rest of the line: a hostile line with
    thousands of short quoted values then costs time in proportion to its length.
    """
    if quote is None:
        line_end = text.find("\n", start)
        return len(text) if line_end == -1 else line_end
    if len(quote) == 2:  # \" or \': the value sits in JSON that was itself quoted
        close = _ESCAPED_QUOTE_OR_LINE_END_RE[quote].search(text, start)
        return len(text) if close is None else close.start()
    i = start
    while i < len(text) and text[i] != "\n":
        if text[i] == quote:
            return i
        # A backslash escapes the next character (\" is part of the value), but never
        # the line break: a value without its closing quote ends with its line.
        i += 2 if text[i] == "\\" and text[i + 1 : i + 2] != "\n" else 1
    return min(i, len(text))


def redact_secrets(text: str) -> str:
    """Replace private key blocks, and the value after every secret-looking key."""
    parts: list[str] = []
    done = 0
    while (begin := _PRIVATE_KEY_BEGIN_RE.search(text, done)) is not None:
        end = _PRIVATE_KEY_END_RE.search(text, begin.end())
        parts += [text[done : begin.start()], "[PRIVATE KEY]"]
        done = end.end() if end else len(text)
    parts.append(text[done:])
    text = "".join(parts)

    parts, done, pos = [], 0, 0
    while (match := _KEY_RE.search(text, pos)) is not None:
        pos = match.end("key")  # the next key may start right after this one's separator
        if not is_secret_key(match.group("key")):
            continue
        start = match.end()
        end = _value_end(text, start, match.group("quote") or match.group("pair_quote"))
        if end > start:
            parts += [text[done:start], "[REDACTED]"]
            done = pos = end
    parts.append(text[done:])
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# The learner's part.
# ---------------------------------------------------------------------------------------


def redact(text: str, redact_cards: Callable[[str], str] = rough_redact_cards) -> str:
    """Replace emails, card numbers (with `redact_cards`) and secrets in `text`."""
    text = EMAIL_RE.sub("[EMAIL]", text)
    text = redact_cards(text)
    return redact_secrets(text)


def _safe_str(value: object) -> str:
    """str(value), or a placeholder when the object's __str__ itself fails."""
    try:
        return str(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"


class RedactingFilter(logging.Filter):
    """A logging filter that redacts personal data and secrets from every record."""

    def __init__(self, name: str = "",
                 redact_cards: Callable[[str], str] = rough_redact_cards) -> None:
        super().__init__(name)
        self.redact_cards = redact_cards  # the card detector: pass it to redact()

    def filter(self, record: logging.LogRecord) -> bool:
        # 1. The message as handlers would print it: msg % args. Redacting record.msg
        #    alone would miss everything passed as an argument.
        try:
            message = record.getMessage()
        except Exception:
            # The args don't fit the format. logging would report that later through
            # Handler.handleError, which writes the raw msg and args to stderr: the very
            # data we are hiding. Keep both, as text, and redact them like the rest.
            message = (
                f"{_safe_str(record.msg)} "
                f"(arguments did not match the format: {_safe_str(record.args)})"
            )
        # 2. Store the finished, redacted text and drop the args, so no handler formats
        #    (or leaks) them again. Running the filter twice is then harmless.
        record.msg = redact(message, self.redact_cards)
        record.args = None

        # 3. Tracebacks: formatters reuse record.exc_text when it is set, so put a
        #    redacted traceback there. Exception messages often quote the bad input.
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.redact_cards)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.redact_cards)

        # 4. A redacting filter changes records; it never drops them.
        return True
