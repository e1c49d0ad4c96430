"""Keep personal data and secrets out of your logs with a logging filter.

The scenario
------------

Your AI feature logs prompts and replies so that you can debug it. Logs live longer
than the requests they describe, are copied to other systems, and are read by more
people than the data in them deserves: support staff, contractors, whoever gets
access to the log store. A customer who pastes an email address, a card number or an
API key into a chat should not find it in every log file.

What to implement
-----------------

    redact(text: str) -> str
    class RedactingFilter(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool

`redact(text)` returns `text` with three kinds of data replaced (the regexes and the
Luhn check are written for you, below):

- every email address (`EMAIL_RE`) becomes `[EMAIL]`;
- every card number becomes `[CARD]`: a run of 13 to 19 digits, optionally grouped by
  single spaces or hyphens (`CARD_CANDIDATE_RE`), that passes the Luhn checksum
  (`luhn_ok`). A run that fails the checksum, such as an order number, stays as it
  is: a log that redacts every long number is useless, and people switch it off;
- the value of a secret-looking `key=value` pair (`SECRET_RE`) becomes `[REDACTED]`,
  keeping the key: `password=hunter2` gives `password=[REDACTED]`. Keys are matched
  ignoring case and may have a prefix (`DB_PASSWORD`, `access_token`, `x-api-key`);
  the value ends at whitespace, a comma, a semicolon or a quote
  (`Server=db;Password=abc;Database=app` keeps `;Database=app`). `max_tokens=256` is
  a count, not a secret.

Do emails first, then cards, then secrets.

`RedactingFilter.filter(record)` redacts the record in place and returns True:

1. Redact the FINAL message, after the arguments are merged in. In
   `logger.info("user %s paid with %s", email, card)` the email and the card are in
   `record.args`, not in `record.msg`; redacting `record.msg` alone leaks both.
   `record.getMessage()` gives the merged message (it also calls str() on a
   non-string msg, and handles a dict of args: `logger.info("%(user)s", {"user": u})`).
2. Store the result: `record.msg = redact(message)` and `record.args = None`, so no
   handler formats the original arguments again. This also makes the filter
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

Examples
--------

>>> redact("ann@example.com paid with 4242 4242 4242 4242, order 1234 5678 9012 3456")
'[EMAIL] paid with [CARD], order 1234 5678 9012 3456'
>>> redact("retrying with API_KEY='sk-test-abc123', max_tokens=256")
"retrying with API_KEY='[REDACTED]', max_tokens=256"
>>> args = ("ann@example.com", "4242424242424242")
>>> record = logging.LogRecord("app", logging.INFO, __file__, 1, "user %s paid with %s", args, None)
>>> RedactingFilter().filter(record)
True
>>> record.getMessage()
'user [EMAIL] paid with [CARD]'

How to use it: attach the filter to your HANDLERS (`handler.addFilter(RedactingFilter())`).
A filter on a logger only sees records logged through that very logger, not those
that propagate up from its child loggers (`app.llm`, `app.db`, ...).

Why it matters
--------------

OWASP LLM02:2025 Sensitive Information Disclosure lists personal data and credentials
among the things an AI application must not expose, and logs are one of the easiest
ways to expose them. PCI DSS (v4.0, requirement 3.5.1) requires card numbers to be
unreadable wherever they are stored, and names audit, exception and troubleshooting
logs; data minimisation (GDPR Art. 5(1)(c)) applies to logs too. Redacting in a
logging filter means every log call is covered, including the ones written in a hurry
while debugging. It is a safety net, not a licence: still avoid logging whole prompts
when you don't need them.
"""

from __future__ import annotations

import logging
import re

# Ready to use. Every pattern matches ASCII text only.
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# 13 to 19 digits, one space or hyphen allowed between two digits. Only candidates:
# check each match with luhn_ok() before you redact it.
CARD_CANDIDATE_RE = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")
# Named groups: `key` (e.g. "DB_PASSWORD"), `sep` (the "=" with any spaces and an opening
# quote) and `value`. Replace with r"\g<key>\g<sep>[REDACTED]".
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


def redact(text: str) -> str:
    """Replace emails, Luhn-valid card numbers and secret values in `text`."""
    # TODO: EMAIL_RE -> "[EMAIL]"; CARD_CANDIDATE_RE -> "[CARD]" only where luhn_ok();
    #       SECRET_RE -> keep key and separator, replace the value with "[REDACTED]".
    raise NotImplementedError("TODO: implement redact(text)")


class RedactingFilter(logging.Filter):
    """A logging filter that redacts personal data and secrets from every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        # TODO 1: get the merged message with record.getMessage(); if that raises,
        #         fall back to the msg and the repr of the args (see the docstring).
        # TODO 2: record.msg = the redacted message; record.args = None.
        # TODO 3: if record.exc_info is set, store a redacted formatted traceback in
        #         record.exc_text; redact record.stack_info if it is set.
        # TODO 4: return True.
        raise NotImplementedError("TODO: implement RedactingFilter.filter(record)")
