"""Reference solution for `redacting_filter`: redact log records after formatting."""

from __future__ import annotations

import logging
import re

# ---------------------------------------------------------------------------------------
# The detectors, exactly as the starter gives them.
# ---------------------------------------------------------------------------------------

EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

MIN_DIGITS, MAX_DIGITS = 13, 19
# A run of ASCII digits that touches no letter, digit or underscore of any script.
_DIGIT_GROUP_RE = re.compile(r"(?<!\w)[0-9]+(?!\w)")


def luhn_ok(digits: str) -> bool:
    """True if `digits`, a string of ASCII digits, passes the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - ord("0")
        if position % 2 == 1:  # every second digit from the right is doubled
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def redact_cards(text: str) -> str:
    """Replace every card number in `text` with [CARD]; the rules of the `luhn` exercise."""
    groups = list(_DIGIT_GROUP_RE.finditer(text))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(groups):
        last: int | None = None  # the last group of the longest valid stretch from group i
        digits = ""
        for j in range(i, len(groups)):
            if j > i and text[groups[j - 1].end() : groups[j].start()] not in (" ", "-"):
                break
            digits += groups[j].group()
            if len(digits) > MAX_DIGITS:
                break
            if len(digits) >= MIN_DIGITS and luhn_ok(digits):
                last = j
        if last is None:
            i += 1
        else:
            spans.append((groups[i].start(), groups[last].end()))
            i = last + 1
    parts: list[str] = []
    done = 0
    for start, end in spans:
        parts += [text[done:start], "[CARD]"]
        done = end
    parts.append(text[done:])
    return "".join(parts)


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


def is_secret_key(key: str) -> bool:
    """True if a key name looks like it holds a secret."""
    name = key.lower().replace("_", "").replace("-", "").replace(".", "")
    return (
        any(word in name for word in SECRET_WORDS)
        or name.endswith(SECRET_ENDINGS)
        or name in SECRET_NAMES
    )


def _value_end(text: str, start: int, quote: str | None) -> int:
    """Where the value starting at `start` ends: its closing quote, or the end of the line."""
    line_end = text.find("\n", start)
    if line_end == -1:
        line_end = len(text)
    if quote is None:
        return line_end
    if len(quote) == 2:  # \" or \': the value sits in JSON that was itself quoted
        close = text.find(quote, start, line_end)
        return line_end if close == -1 else close
    i = start
    while i < line_end:
        if text[i] == "\\":
            i += 2  # an escaped character, such as \", is part of the value
        elif text[i] == quote:
            return i
        else:
            i += 1
    return line_end  # no closing quote on this line: redact to the end of the line


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


def redact(text: str) -> str:
    """Replace emails, card numbers and secrets in `text`."""
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
        record.msg = redact(message)
        record.args = None

        # 3. Tracebacks: formatters reuse record.exc_text when it is set, so put a
        #    redacted traceback there. Exception messages often quote the bad input.
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)

        # 4. A redacting filter changes records; it never drops them.
        return True
