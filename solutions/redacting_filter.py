"""Reference solution for `redacting_filter`: redact log records after formatting."""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from itertools import accumulate

# ---------------------------------------------------------------------------------------
# The detectors, exactly as the starter gives them.
# ---------------------------------------------------------------------------------------

EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

MIN_DIGITS, MAX_DIGITS = 13, 19
# A run of digit groups: ASCII digits, groups joined by ONE space or ONE hyphen, and no
# letter, digit or underscore of any script touching the run on either side.
_DIGIT_RUN_RE = re.compile(r"(?<!\w)[0-9]+(?:[ -][0-9]+)*(?!\w)")
# What Luhn adds for a doubled digit: the digit times two, minus 9 when that is above 9.
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


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


def _card_spans(text: str) -> list[tuple[int, int]]:
    """Where the card numbers in `text` are, as (start, end) pairs: the `luhn` rules.

    Log lines are written by whoever talks to your service, so this reads every run of
    digit groups once: a hostile line such as "1 1 1 1 ..." costs time in proportion to
    its length, not to its length times all the stretches inside it.
    """
    spans: list[tuple[int, int]] = []
    for run in _DIGIT_RUN_RE.finditer(text):
        if run.end() - run.start() < MIN_DIGITS:
            continue  # too short to hold 13 digits: years, prices, counts
        groups = run.group().replace("-", " ").split(" ")
        # starts[k]: how many digits come before group k; starts[-1]: all of them.
        starts = list(accumulate(map(len, groups), initial=0))
        digits = [ord(char) - ord("0") for char in "".join(groups)]
        # Luhn doubles every second digit counting from a number's LAST digit: in the
        # stretch digits[begin:end], the positions p with p % 2 == end % 2. sums[parity][k]
        # is the Luhn sum of digits[:k] with the positions of that parity doubled, so the
        # Luhn sum of any stretch is one subtraction: sums[end % 2][end] - sums[end % 2][begin].
        sums = [
            list(accumulate(
                (_DOUBLED[digit] if position % 2 == parity else digit
                 for position, digit in enumerate(digits)),
                initial=0,
            ))
            for parity in (0, 1)
        ]
        first = 0
        while first < len(groups):
            last = _longest_card(starts, sums, first)
            if last is None:
                first += 1
                continue
            # Group k starts at starts[k] + k in the run: its digits, plus one separator
            # for each group before it.
            spans.append((run.start() + starts[first] + first,
                          run.start() + starts[last + 1] + last))
            first = last + 1  # carry on after the card
    return spans


def _longest_card(starts: list[int], sums: list[list[int]], first: int) -> int | None:
    """The last group of the longest card that begins with group `first`, or None."""
    begin = starts[first]
    # The stretch from group `first` to group k ends at digit starts[k + 1]. Find the
    # last k with at most 19 digits (each group has a digit, so at most 19 groups fit),
    # then try the stretches from the longest down to 13 digits: at most 7 of them.
    stop = bisect_right(starts, begin + MAX_DIGITS, first + 1,
                        min(len(starts), first + MAX_DIGITS + 1))
    for end_index in range(stop - 1, first, -1):
        end = starts[end_index]
        if end - begin < MIN_DIGITS:
            return None
        luhn_sum = sums[end % 2]
        if (luhn_sum[end] - luhn_sum[begin]) % 10 == 0:
            return end_index - 1
    return None


def redact_cards(text: str) -> str:
    """Replace every card number in `text` with [CARD]; the rules of the `luhn` exercise."""
    parts: list[str] = []
    done = 0
    for start, end in _card_spans(text):
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
