"""Reference solution for `redacting_filter`: redact log records after formatting."""

from __future__ import annotations

import logging
import re

EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
CARD_CANDIDATE_RE = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")
SECRET_RE = re.compile(
    r"\b(?P<key>[A-Za-z0-9_-]*(?:password|passwd|secret|token|api[_-]?key))"
    r"(?P<sep>\s*=\s*[\"']?)"
    r"(?P<value>[^\s,;'\"]+)",
    re.IGNORECASE,
)


def luhn_ok(number: str) -> bool:
    """True if the digits of `number` (spaces and hyphens ignored) pass the Luhn check."""
    digits = number.replace(" ", "").replace("-", "")
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:  # every second digit from the right is doubled
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _card_or_not(match: re.Match[str]) -> str:
    # The regex only finds 13-19 digits; the checksum decides. Order numbers, phone
    # numbers and timestamps of that length stay readable unless they happen to pass.
    return "[CARD]" if luhn_ok(match.group()) else match.group()


def redact(text: str) -> str:
    """Replace emails, Luhn-valid card numbers and secret values in `text`."""
    text = EMAIL_RE.sub("[EMAIL]", text)
    text = CARD_CANDIDATE_RE.sub(_card_or_not, text)
    # Keep the key and the separator so the log still says WHAT was there.
    return SECRET_RE.sub(r"\g<key>\g<sep>[REDACTED]", text)


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
