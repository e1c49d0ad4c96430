"""Keep personal data and secrets out of your logs with a logging filter.

The scenario
------------

Your AI feature logs prompts, replies and request headers so that you can debug it.
Logs live longer than the requests they describe, are copied to other systems, and are
read by more people than the data in them deserves: support staff, contractors,
whoever gets access to the log store. A customer who pastes an email address, a card
number or a password into a chat should not find it in every log file, and neither
should the API key in your own `Authorization` header.

What to implement
-----------------

    redact(text: str, redact_cards=rough_redact_cards) -> str
    class RedactingFilter(logging.Filter):
        def __init__(self, name="", redact_cards=rough_redact_cards)  # written for you
        def filter(self, record: logging.LogRecord) -> bool

The detectors are written for you at the top of the file: `EMAIL_RE`,
`rough_redact_cards()` and `redact_secrets()`. Read what they catch and what they
miss (see below); your job is to apply them to every part of every log record.

The card detector is a parameter, `redact_cards`: any function that returns its text
with every card number replaced by `[CARD]`. The default, `rough_redact_cards`, is a
deliberately rough STAND-IN. The real one is what you build in the `luhn` exercise:
in your own code, wrap its `find_cards()` in such a function and pass it,
`RedactingFilter(redact_cards=...)`. The checks pass a complete card detector of
their own and test what this exercise is about: every part of every record goes
through the detectors.

`redact(text, redact_cards)` returns `text` with, in this order:

1. every email address (`EMAIL_RE`) replaced with `[EMAIL]`;
2. every card number replaced with `[CARD]`: call `redact_cards(text)`, the
   detector you were given;
3. every secret value replaced with `[REDACTED]`: call `redact_secrets(text)`.

`RedactingFilter.filter(record)` redacts the record in place and returns True:

1. Redact the FINAL message, after the arguments are merged in. In
   `logger.info("user %s paid with %s", email, card)` the email and the card are in
   `record.args`, not in `record.msg`; redacting `record.msg` alone leaks both.
   `record.getMessage()` gives the merged message (it also calls str() on a
   non-string msg, and handles a dict of args: `logger.info("%(user)s", {"user": u})`).
2. Store the result: `record.msg = redact(message, self.redact_cards)` (the filter's
   card detector, kept by `__init__`) and `record.args = None`, so no handler formats
   the original arguments again. This also makes the filter
   idempotent: running it twice (say on a logger and on its handler) changes nothing
   the second time.
3. If `record.getMessage()` raises (the arguments don't fit the format, as in
   `logger.info("%s and %s", one_value)`), don't crash and don't lose the record: use
   `f"{record.msg} (arguments did not match the format: {record.args!r})"` as the
   message, redacted like any other. Left alone, logging reports the error through
   `Handler.handleError`, which prints the raw message and arguments to stderr: the
   very data you are hiding.
4. Tracebacks: if `record.exc_info` is set, format it with
   `logging.Formatter().formatException(record.exc_info)`, redact the text and store
   it in `record.exc_text` (formatters reuse `exc_text` instead of formatting the
   exception again). Exception messages often quote the input that caused them.
   Redact `record.stack_info` too when it is set.
5. Always return True. A filter that returns a false value drops the record silently,
   and a redacting filter must never hide that something happened.

What the detectors catch, and what they miss
--------------------------------------------

- `EMAIL_RE`: ASCII email addresses such as `ann.lee@example.com`.
- `rough_redact_cards(text)`, the default card detector, a STAND-IN: 16 digits
  written solid or as four groups of four, with no checksum. It misses 15-digit
  American Express numbers and 14- or 19-digit cards, and it blanks order numbers that
  are no card at all. The `luhn` exercise's detector does it properly: digit groups
  joined by single spaces or hyphens, 13 to 19 digits, the Luhn checksum, the longest
  passing stretch, so that `4242 4242 4242 4242 12/34` gives `[CARD] 12/34` and
  `1234 5678 9012 3456` (it fails the checksum) stays. It reads each run of digit
  groups once, so a hostile line such as 128 KB of "1 1 1 1 ..." costs time in
  proportion to its length: a filter runs on text that attackers write, and one that
  slows down on it is a denial of service. The checks pass a detector like that.
- `redact_secrets(text)`: the value after a secret-looking KEY followed by `=` or `:`.
  A key counts when, ignoring case and the characters `_`, `-` and `.`, it contains one
  of `SECRET_WORDS`, ends with one of `SECRET_ENDINGS` or is one of `SECRET_NAMES`:
  `DB_PASSWORD`, `passwd`, `AWS_SECRET_ACCESS_KEY`, `x-api-key`, `Authorization`,
  `Set-Cookie`, `access_token` and the `key` of `?key=...` all count; `max_tokens`,
  `token_count` and `author` do not. The key may be quoted (`"password": "..."`,
  `config['token'] = ...`), with spaces around the `=` or `:`, or be the first half
  of a quoted pair, as in a list of headers: `('Authorization', 'Bearer ...')`. A
  quoted value is redacted up to its closing quote; an unquoted value up to the END OF
  THE LINE, so `password: correct horse battery staple` and
  `Authorization: Bearer abc123` lose all of it. The price:
  `Server=db;Password=abc;Database=app` becomes `Server=db;Password=[REDACTED]`.
  Losing the rest of a line beats leaking the second word of a passphrase. A PEM
  private key block (`-----BEGIN ... PRIVATE KEY-----` to its `-----END` line) becomes
  `[PRIVATE KEY]`.
- Not caught: a secret with no key in front of it (an API key pasted on its own: the
  scanners of lesson 10 look for those), a key followed by something other than `=` or
  `:` (`--password hunter2`, "my password is hunter2", code such as
  `password != "x"`), a key with non-ASCII letters (`contraseña`), credentials inside a
  URL (`postgres://ann:pw@db/app`), card numbers written with other separators,
  look-alike digits or glued to letters (with the `luhn` detector; the stand-in
  misses more), and anything split across two log records.
  The filter is a safety net; the first defence is not to log secrets and whole
  prompts at all.

Examples
--------

>>> redact("ann@example.com paid with 4242 4242 4242 4242")
'[EMAIL] paid with [CARD]'
>>> redact('retry {"api_key": "sk-test-abc123", "max_tokens": 256}')
'retry {"api_key": "[REDACTED]", "max_tokens": 256}'
>>> redact("Authorization: Bearer abc123")
'Authorization: [REDACTED]'
>>> args = ("ann@example.com", "4242424242424242")
>>> record = logging.LogRecord("app", logging.INFO, __file__, 1, "user %s paid with %s", args, None)
>>> RedactingFilter().filter(record)
True
>>> record.getMessage()
'user [EMAIL] paid with [CARD]'

How to use it: attach the filter, with your card detector, to your HANDLERS
(`handler.addFilter(RedactingFilter(redact_cards=...))`). A filter on a logger only
sees records logged through that very logger, not those that propagate up from its
child loggers (`app.llm`, `app.db`, ...).

Why it matters
--------------

OWASP LLM02:2025 Sensitive Information Disclosure lists personal data and credentials
among the things an AI application must not expose, and logs are one of the easiest
ways to expose them. PCI DSS (v4.0.1, requirement 3.5.1) requires card numbers to be
unreadable wherever they are stored, and names audit, exception and troubleshooting
logs; data minimisation (GDPR Art. 5(1)(c)) applies to logs too. Redacting in a
logging filter means every log call is covered, including the ones written in a hurry
while debugging.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

# ---------------------------------------------------------------------------------------
# The detectors: complete, ready to use. Read them, but your work is further down.
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
# Your part.
# ---------------------------------------------------------------------------------------


def redact(text: str, redact_cards: Callable[[str], str] = rough_redact_cards) -> str:
    """Replace emails, card numbers (with `redact_cards`) and secrets in `text`."""
    # TODO: EMAIL_RE -> "[EMAIL]", then redact_cards(), then redact_secrets().
    raise NotImplementedError("TODO: implement redact(text)")


class RedactingFilter(logging.Filter):
    """A logging filter that redacts personal data and secrets from every record."""

    def __init__(self, name: str = "",
                 redact_cards: Callable[[str], str] = rough_redact_cards) -> None:
        super().__init__(name)
        self.redact_cards = redact_cards  # the card detector: pass it to redact()

    def filter(self, record: logging.LogRecord) -> bool:
        # TODO 1: get the merged message with record.getMessage(); if that raises,
        #         fall back to the msg and the repr of the args (see the docstring).
        # TODO 2: record.msg = redact(message, self.redact_cards); record.args = None.
        # TODO 3: if record.exc_info is set, store a redacted formatted traceback in
        #         record.exc_text; redact record.stack_info if it is set.
        # TODO 4: return True.
        raise NotImplementedError("TODO: implement RedactingFilter.filter(record)")
