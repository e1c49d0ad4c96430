"""Hidden checks for `redacting_filter`.

Card numbers are Stripe's published test cards (docs.stripe.com/testing, see
ATTRIBUTION.md); email domains are reserved for examples by RFC 2606. Every check
that logs uses its own logger name, a handler writing to io.StringIO, and removes
what it added, so checks never share state.

The filter is graded on what it does with its detectors, not on finding cards (that
is the `luhn` exercise): every check passes `full_redact_cards`, a complete card
detector kept here, as `redact_cards`, except the one for the starter's default.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager

ANN = "ann.lee@example.com"
BOB = "bob@example.org"
VISA = "4242 4242 4242 4242"  # Stripe test Visa
MASTERCARD = "5555-5555-5555-4444"  # Stripe test Mastercard, grouped with hyphens
AMEX = "3782 822463 10005"  # Stripe test American Express, 15 digits in 4-6-5 groups
ORDER = "1234 5678 9012 3456"  # 16 digits that fail the Luhn check

_names = itertools.count()


class _CaptureHandler(logging.StreamHandler):
    """A handler that writes to a StringIO and records logging errors instead of printing."""

    def __init__(self) -> None:
        super().__init__(io.StringIO())
        self.errors: list[BaseException | None] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(message)s"))

    def handleError(self, record: logging.LogRecord) -> None:
        self.errors.append(sys.exc_info()[1])

    def text(self) -> str:
        return self.stream.getvalue()


@contextmanager
def _logger(exercise, *, on_handler: bool = True, on_logger: bool = False
            ) -> Iterator[tuple[logging.Logger, _CaptureHandler]]:
    """A fresh logger with a capturing handler and the learner's filter attached."""
    logger = logging.getLogger(f"aisec.checks.redacting_filter.{next(_names)}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    handler = _CaptureHandler()
    redactor = exercise.RedactingFilter(redact_cards=full_redact_cards)
    if on_handler:
        handler.addFilter(redactor)
    if on_logger:
        logger.addFilter(redactor)
    logger.addHandler(handler)
    try:
        yield logger, handler
    finally:
        logger.removeHandler(handler)
        logger.removeFilter(redactor)
        handler.close()


def _record(msg: object, args: object = (), exc_info: object = None,
            stack_info: str | None = None) -> logging.LogRecord:
    """A LogRecord as logger.info(msg, *args) would create it."""
    if not isinstance(args, tuple):
        args = (args,)
    return logging.LogRecord("aisec.checks", logging.INFO, __file__, 1, msg, args, exc_info,
                             sinfo=stack_info)


def _redact_call(text: str) -> str:
    return f"redact({text!r}, <a complete card detector>)"


def full_redact_cards(text: str) -> str:
    """The complete card detector the checks pass in: the `luhn` rules, in one pass."""
    parts: list[str] = []
    done = 0
    for start, end in _linear_card_spans(text):
        parts += [text[done:start], "[CARD]"]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def test_redact_replaces_emails_and_cards(exercise):
    """redact() replaces emails and card numbers, also next to an expiry date or a code"""
    cases = [
        (f"contact {ANN} today", "contact [EMAIL] today"),
        ("mail a.b@example.org.", "mail [EMAIL]."),
        (f"card {VISA} ok", "card [CARD] ok"),
        ("card 4242424242424242 ok", "card [CARD] ok"),
        (f"card {MASTERCARD} ok", "card [CARD] ok"),
        (f"card {AMEX} ok", "card [CARD] ok"),
        ("diners 36227206271667, unionpay 6205500000000000004.",
         "diners [CARD], unionpay [CARD]."),
        (f"card {VISA} 12/34", "card [CARD] 12/34"),
        ("card 4242424242424242 12/34 cvc 123", "card [CARD] 12/34 cvc 123"),
        (f"{VISA} 123", "[CARD] 123"),
        (f"qty 3 {VISA}", "qty 3 [CARD]"),
        ("cards 4242424242424242 5555555555554444", "cards [CARD] [CARD]"),
        ("", ""),
    ]
    for text, expected in cases:
        got = exercise.redact(text, full_redact_cards)
        assert got == expected, (
            f"{_redact_call(text)} returned {got!r}, expected "
            f"{expected!r}: emails become [EMAIL] (EMAIL_RE) and card numbers [CARD] (call "
            "redact_cards(), the detector passed in, not rough_redact_cards()). A card is "
            "often followed by its expiry date or security code, or preceded by another "
            "number: a pattern that takes the whole run of digits ('4242 4242 4242 4242 12') "
            "fails the Luhn check and lets the card through. The detector passed in looks "
            "for the longest stretch of whole digit groups that passes."
        )


def test_uses_the_card_detector_it_is_given(exercise):
    """Uses the card detector it is given, and the stand-in when given none"""

    def marks_cards(text: str) -> str:  # a detector only these checks know
        return text.replace("card-no-7", "[CARD]")

    text = f"user {ANN} paid with card-no-7"
    expected = "user [EMAIL] paid with [CARD]"
    got = exercise.redact(text, marks_cards)
    assert got == expected, (
        f"redact({text!r}, <a detector that replaces 'card-no-7' with [CARD]>) returned "
        f"{got!r}, expected {expected!r}: call the redact_cards function you were passed, "
        "not rough_redact_cards(): a team plugs in its own card detector here."
    )
    record = _record("user %s paid with %s", (ANN, "card-no-7"))
    exercise.RedactingFilter(redact_cards=marks_cards).filter(record)
    got = record.getMessage()
    assert got == expected, (
        "RedactingFilter(redact_cards=<a detector that replaces 'card-no-7' with [CARD]>)"
        f".filter() on logger.info('user %s paid with %s', {ANN!r}, 'card-no-7') left the "
        f"message {got!r}, expected {expected!r}: in filter(), redact with the filter's "
        "own detector, redact(message, self.redact_cards)."
    )
    text = f"{ANN} paid with {VISA}"
    expected = "[EMAIL] paid with [CARD]"
    got = exercise.redact(text)
    record = _record("%s paid with %s", (ANN, VISA))
    exercise.RedactingFilter().filter(record)
    assert got == expected and record.getMessage() == expected, (
        f"redact({text!r}) returned {got!r} and RedactingFilter().filter() made the "
        f"message {record.getMessage()!r}, expected {expected!r} both times: with no card "
        "detector given, use the default, rough_redact_cards()."
    )


def test_redact_replaces_secret_values(exercise):
    """redact() replaces the values of passwords, tokens and API keys, keeping the key"""
    cases = [
        ("login password=hunter2", "login password=[REDACTED]"),
        ("retrying with API_KEY='sk-test-abc123', max_tokens=256",
         "retrying with API_KEY='[REDACTED]', max_tokens=256"),
        ("passwd=hunter2", "passwd=[REDACTED]"),
        ("token=abc123", "token=[REDACTED]"),
        ('headers x-api-key="k-123" user=bob', 'headers x-api-key="[REDACTED]" user=bob'),
        (f"{BOB} paid {VISA} with client_secret=xyz",
         "[EMAIL] paid [CARD] with client_secret=[REDACTED]"),
        ("GET /v1/models?key=made-up-key-123&alt=json", "GET /v1/models?key=[REDACTED]"),
        ("Server=db;Password=abc;Database=app", "Server=db;Password=[REDACTED]"),
        ("password=hunter2\nuser=bob", "password=[REDACTED]\nuser=bob"),
    ]
    for text, expected in cases:
        got = exercise.redact(text, full_redact_cards)
        assert got == expected, (
            f"{_redact_call(text)} returned {got!r}, expected {expected!r}: the value after a "
            "secret-looking key and '=' or ':' becomes [REDACTED] (call redact_secrets()), "
            "a quoted value up to its closing quote, an unquoted one up to the end of the "
            "line, because a password may contain spaces, ';' or '&'. The key stays, so the "
            "log still says WHAT was there."
        )


def test_redact_json_headers_and_passphrases(exercise):
    """redact() handles JSON keys, Authorization headers, AWS keys and passphrases"""
    cases = [
        ('{"password": "hunter2", "user": "bob"}', '{"password": "[REDACTED]", "user": "bob"}'),
        ("{'passwd': 'hunter2', 'user': 'bob'}", "{'passwd': '[REDACTED]', 'user': 'bob'}"),
        ('{"password":"it\'s a \\"secret\\"","user":"bob"}',
         '{"password":"[REDACTED]","user":"bob"}'),
        ('"{\\"token\\": \\"abc123\\"}"', '"{\\"token\\": \\"[REDACTED]\\"}"'),
        ('config["password"] = "hunter2"', 'config["password"] = "[REDACTED]"'),
        ("Authorization: Bearer sk-test-abc123", "Authorization: [REDACTED]"),
        ("authorization:bearer\tsk-test-abc123", "authorization:[REDACTED]"),
        ("AUTHORIZATION :  Basic dXNlcjpwYXNz", "AUTHORIZATION :  [REDACTED]"),
        ("Cookie: session=abc123; theme=dark", "Cookie: [REDACTED]"),
        ("headers=[(b'host', b'api.example'), (b'authorization', b'Bearer sk-test-abc123')]",
         "headers=[(b'host', b'api.example'), (b'authorization', b'[REDACTED]')]"),
        ("AWS_SECRET_ACCESS_KEY=made/up+EXAMPLE0123456789abcdef",
         "AWS_SECRET_ACCESS_KEY=[REDACTED]"),
        ("password: correct horse battery staple", "password: [REDACTED]"),
        ("DB_PASSWORD=correct horse battery staple", "DB_PASSWORD=[REDACTED]"),
        ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----\nnext",
         "[PRIVATE KEY]\nnext"),
    ]
    for text, expected in cases:
        got = exercise.redact(text, full_redact_cards)
        assert got == expected, (
            f"{_redact_call(text)} returned {got!r}, expected {expected!r}: secrets reach logs as "
            "JSON and Python dicts (quoted keys, ':' instead of '='), as request headers "
            "('Authorization: Bearer ...'), as environment variables whose name only "
            "contains SECRET, and as passphrases with spaces in them. A pattern that "
            "expects key=value and stops at the first space leaks all of these; "
            "redact_secrets() handles them."
        )


def test_redact_keeps_ordinary_numbers(exercise):
    """redact() leaves Luhn-invalid numbers, phone numbers and token counts alone"""
    texts = [
        f"order {ORDER} shipped",
        "typo in card 4242 4242 4242 4241",
        "request id 2024061512345678",
        "max_tokens=256, prompt_tokens=12, token_count=3",
        '{"prompt_tokens": 12, "completion_tokens": 30, "author": "Ann"}',
        "call +44 20 7946 0958 (12 digits)",
        "uuid 550e8400-e29b-41d4-a716-446655440000",
        "Grüße 👋, nothing to hide",
    ]
    for text in texts:
        got = exercise.redact(text, full_redact_cards)
        assert got == text, (
            f"{_redact_call(text)} returned {got!r}, expected the text unchanged: none of it is "
            "an email, a number that passes the Luhn check, or the value of a secret key "
            "(max_tokens and prompt_tokens are counts, not tokens). Over-redaction makes "
            "logs useless for debugging, and then people switch the filter off."
        )


def test_redacts_after_arguments_are_merged(exercise):
    """Redacts the final message, including values passed as %-style arguments"""
    with _logger(exercise) as (logger, handler):
        logger.info("user %s paid with %s", ANN, VISA)
        logger.warning("retry for %s with password=%s", BOB, "hunter2")
    out = handler.text()
    expected = (
        "INFO user [EMAIL] paid with [CARD]\n"
        "WARNING retry for [EMAIL] with password=[REDACTED]\n"
    )
    assert out == expected, (
        f"logger.info('user %s paid with %s', {ANN!r}, {VISA!r}) and "
        f"logger.warning('retry for %s with password=%s', {BOB!r}, 'hunter2') produced "
        f"{out!r}, expected {expected!r}: the email, card and password are in record.args, "
        "not in record.msg. Redact record.getMessage() (the merged message), store it in "
        "record.msg and set record.args = None."
    )
    headers = {"Authorization": "Bearer sk-test-abc123", "Accept": "application/json"}
    with _logger(exercise) as (logger, handler):
        logger.debug("request headers: %s", headers)
    out = handler.text()
    expected = (
        "DEBUG request headers: {'Authorization': '[REDACTED]', 'Accept': 'application/json'}\n"
    )
    assert out == expected, (
        f"logger.debug('request headers: %s', {headers!r}) produced {out!r}, expected "
        f"{expected!r}: a dict passed as an argument is logged as its repr, with quoted keys "
        "and ': ' between key and value. Debug logs of AI features are full of such request "
        "headers; redact() must catch the bearer token there (redact_secrets() does)."
    )
    assert not handler.errors, (
        f"logging reported an error while formatting: {handler.errors[0]!r}. After "
        "redacting, set record.args = None: leaving the old args makes the handler apply "
        "them to the already-merged message again."
    )
    record = _record("user %s paid with %s", (ANN, VISA))
    exercise.RedactingFilter(redact_cards=full_redact_cards).filter(record)
    assert not record.args, (
        f"after filter(), record.args is {record.args!r}, expected None or (): any later "
        "handler or formatter that looks at the args (JSON formatters, error reporters) "
        "would still see the original values."
    )
    assert record.getMessage() == "user [EMAIL] paid with [CARD]", (
        f"after filter(), record.getMessage() returned {record.getMessage()!r}, expected "
        "'user [EMAIL] paid with [CARD]': record.msg must hold the redacted, merged message."
    )


def test_dict_args_and_non_string_messages(exercise):
    """Handles dict arguments and messages that are not strings"""

    class Ticket:
        def __str__(self) -> str:
            return f"Ticket(from={ANN}, card={AMEX})"

    with _logger(exercise) as (logger, handler):
        logger.info("%(user)s paid with %(card)s", {"user": ANN, "card": MASTERCARD})
        logger.info(Ticket())
        logger.error(ValueError(f"no account for {BOB}"))
        logger.info(42)
    out = handler.text()
    expected = (
        "INFO [EMAIL] paid with [CARD]\n"
        "INFO Ticket(from=[EMAIL], card=[CARD])\n"
        "ERROR no account for [EMAIL]\n"
        "INFO 42\n"
    )
    assert out == expected and not handler.errors, (
        "logging a dict of args ('%(user)s paid with %(card)s'), an object whose str() "
        "contains an email and a card, an exception object and the int 42 produced "
        f"{out!r} (logging errors: {handler.errors!r}), expected {expected!r}: "
        "record.getMessage() already calls str() on msg and applies a dict of args; "
        "record.msg is not always a str, so don't call str methods on it directly."
    )


def test_never_drops_records(exercise):
    """Returns True for every record, so nothing is dropped silently"""
    records = [
        _record("nothing sensitive here"),
        _record("user %s", (ANN,)),
        _record(f"card {VISA}"),
        _record(""),
    ]
    for record in records:
        result = exercise.RedactingFilter(redact_cards=full_redact_cards).filter(record)
        assert result is True or result is record, (
            f"filter() on a record with msg {record.msg!r} returned {result!r}, expected "
            "True: a false value (False, None, 0) tells logging to drop the record. A "
            "redacting filter changes records; it must never hide that something happened."
        )
    with _logger(exercise) as (logger, handler):
        for i in range(3):
            logger.info("step %d for %s", i, ANN)
    lines = handler.text().splitlines()
    expected = [f"INFO step {i} for [EMAIL]" for i in range(3)]
    assert lines == expected, (
        f"three log calls produced the lines {lines!r}, expected {expected!r}: every "
        "record must reach the handler, redacted. Missing lines mean filter() dropped a "
        "record; lines with the address still in them mean the arguments (here the email) "
        "were not redacted: redact record.getMessage(), not record.msg."
    )


def test_mismatched_arguments_do_not_crash(exercise):
    """Survives arguments that don't fit the format, without leaking them"""
    calls = [
        ("user %s paid with %s", (ANN,)),  # too few
        ("user %s", (ANN, VISA)),  # too many
        ("%(user)s paid", ({"name": ANN},)),  # missing key
        ("%d items for %s", ("many", ANN)),  # wrong type for %d
    ]
    for msg, args in calls:
        shown = f"logger.info({msg!r}, {', '.join(repr(a) for a in args)})"
        with _logger(exercise) as (logger, handler):
            try:
                logger.info(msg, *args)
            except NotImplementedError:
                raise  # the engine explains this one ("Not implemented yet")
            except Exception as exc:
                raise AssertionError(
                    f"{shown} raised {type(exc).__name__}: {exc}. The exception came out of "
                    "your filter, so the log call crashed the code that made it: one typo "
                    "in a log line would take down a request. Catch the error from "
                    "record.getMessage() and fall back to the msg and the repr of the args."
                ) from None
        out = handler.text()
        assert not handler.errors, (
            f"{shown} made logging report {handler.errors[0]!r} through "
            "Handler.handleError, which prints the raw message and arguments to stderr, "
            "unredacted, and loses the record. Catch the error from record.getMessage() "
            "and log the msg with the repr of the args instead, redacted."
        )
        assert ANN not in out and "[EMAIL]" in out and msg in out, (
            f"{shown} produced {out!r}, expected a line that contains the format string "
            f"{msg!r} and the arguments with the email shown as [EMAIL]: keep what you "
            "can for debugging (the args as text), and redact it like any other message."
        )
        record = _record(msg, args)
        result = exercise.RedactingFilter(redact_cards=full_redact_cards).filter(record)
        assert result is True or result is record, (
            f"filter() on a record for {shown} returned {result!r}, expected True: a log "
            "call with a mistake in it must still be logged."
        )


def test_idempotent(exercise):
    """Running the filter twice (logger and handler) changes nothing the second time"""
    record = _record("95%% done: user %s paid with %s; password=%s", (ANN, VISA, "hunter2"))
    redactor = exercise.RedactingFilter(redact_cards=full_redact_cards)
    redactor.filter(record)
    once = record.getMessage()
    redactor.filter(record)
    twice = record.getMessage()
    expected = "95% done: user [EMAIL] paid with [CARD]; password=[REDACTED]"
    assert once == expected and twice == expected, (
        f"filtering a record once gave {once!r} and twice gave {twice!r}, expected "
        f"{expected!r} both times: after the first pass record.args is None, so the "
        "second pass must not format the message again (note the literal '%' in it)."
    )
    with _logger(exercise, on_handler=True, on_logger=True) as (logger, handler):
        logger.info("user %s paid with %s", ANN, VISA)
    out = handler.text()
    assert out == "INFO user [EMAIL] paid with [CARD]\n" and not handler.errors, (
        f"with the filter on both the logger and its handler, logging "
        f"('user %s paid with %s', {ANN!r}, {VISA!r}) produced {out!r} "
        f"(logging errors: {handler.errors!r}), expected 'INFO user [EMAIL] paid with "
        "[CARD]\\n': teams often attach a filter in two places; that must be harmless."
    )


def test_literal_percent_without_arguments(exercise):
    """Leaves '%' alone in messages logged without arguments"""
    with _logger(exercise) as (logger, handler):
        logger.info(f"disk 95% full, alert {ANN}")
        logger.info(f"50%s off for {VISA}")  # text from a user, logged as-is
    out = handler.text()
    expected = "INFO disk 95% full, alert [EMAIL]\nINFO 50%s off for [CARD]\n"
    assert out == expected and not handler.errors, (
        f"logging 'disk 95% full, alert {ANN}' and '50%s off for {VISA}' with no "
        f"arguments produced {out!r} (logging errors: {handler.errors!r}), expected "
        f"{expected!r}: logging applies % formatting only when there are args, and so "
        "must you. record.getMessage() gets this right; msg % args by hand does not."
    )


def test_exception_text_is_redacted(exercise):
    """Redacts email addresses in exception messages and tracebacks"""
    with _logger(exercise) as (logger, handler):
        try:
            raise ValueError(f"no account for {ANN}")
        except ValueError:
            logger.exception("lookup failed for %s", ANN)
    out = handler.text()
    lines = out.splitlines()
    leaked = [line.strip() for line in lines if ANN in line]
    assert not leaked, (
        f"logger.exception() after ValueError('no account for {ANN}') still shows the "
        f"address in these lines of output: {leaked!r}. Formatters append record.exc_text "
        "as it is; set it to the redacted text of "
        "logging.Formatter().formatException(record.exc_info)."
    )
    assert lines and not handler.errors, (
        f"logger.exception() after ValueError('no account for {ANN}') logged nothing "
        f"(logging errors: {handler.errors!r}), expected the redacted message and "
        "traceback: the record was dropped (does filter() return True?) or failed to "
        "format (did you set record.args = None?)."
    )
    for part in ("ERROR lookup failed for [EMAIL]", "Traceback (most recent call last)",
                 "ValueError: no account for [EMAIL]"):
        assert part in out, (
            f"logger.exception() after ValueError('no account for {ANN}') produced "
            f"{len(lines)} line(s), first {lines[:1]!r}, last {lines[-1:]!r}; expected the "
            f"output to contain {part!r}: redact the traceback, don't drop it. The "
            "exception type and the stack are what you need for debugging."
        )
    try:
        raise KeyError(f"card {VISA} declined")
    except KeyError:
        record = _record("payment failed", exc_info=sys.exc_info())
    exercise.RedactingFilter(redact_cards=full_redact_cards).filter(record)
    text = record.exc_text or ""
    assert "KeyError" in text and "[CARD]" in text and VISA not in text, (
        f"after filter() on a record with exc_info for KeyError('card {VISA} declined'), "
        f"record.exc_text is {record.exc_text!r}, expected the formatted traceback with "
        "the card shown as [CARD]: every handler's formatter uses exc_text once it is set."
    )


def test_stack_info_is_redacted(exercise):
    """Redacts stack information attached with stack_info=True"""
    stack = (
        "Stack (most recent call last):\n"
        '  File "app.py", line 12, in charge\n'
        f'    log.info("charging", card="{VISA}", owner="{ANN}")'
    )
    record = _record("charging", stack_info=stack)
    exercise.RedactingFilter(redact_cards=full_redact_cards).filter(record)
    got = record.stack_info or ""
    assert VISA not in got and ANN not in got and got.startswith("Stack (most recent"), (
        f"after filter() on a record whose stack_info is {stack!r}, record.stack_info is "
        f"{record.stack_info!r}, expected the same text with [CARD] and [EMAIL]: a stack "
        "shows source lines, and those can contain the data you are hiding."
    )


def test_long_message(exercise):
    """Redacts a 200 000-character prompt correctly"""
    filler = "Lorem ipsum dolor sit amet, Grüße 👋. " * 5000
    prompt = f"{filler}card {VISA}, {filler}reply to {ANN}"
    with _logger(exercise) as (logger, handler):
        logger.debug("prompt: %s", prompt)
    out = handler.text()
    expected = f"DEBUG prompt: {filler}card [CARD], {filler}reply to [EMAIL]\n"
    assert out == expected, (
        f"logging a {len(prompt)}-character prompt with a card in the middle and an email "
        f"at the end produced {len(out)} characters ending in {out[-60:]!r}, expected "
        f"{len(expected)} characters ending in {expected[-60:]!r}: whole prompts end up in "
        "debug logs, so redaction must cover every part of a long message."
    )


# --- Hostile input --------------------------------------------------------------------
# The filter is timed against _linear_card_spans, a linear card scan kept here as a
# yardstick, on the same text and in CPU seconds: a ratio, not a wall-clock limit, so a
# slow or busy machine slows both alike. The text grows 4 times per step and the check
# stops at the first step that is too slow, before the exercise's timeout. The filter is
# given full_redact_cards (built on the yardstick) as its card detector: one that uses
# it and redact_secrets() as they are takes about as long as the yardstick; one that
# adds its own scan, checking stretch after stretch, more at every step.
#
# What it catches, graded through the grader: a filter that adds its own scan of
# stretches not capped at 19 digits (quadratic) fails at 1,000 groups, some 90 times the
# yardstick; one whose own scan caps the stretches but checks each one anew fails at
# 4,000 or 16,000 groups, 11 to 14 times. 16,000 groups (32 KB) is the last step: there
# the yardstick needs some 50 ms, so an 11-times filter is twice over the limit even on
# a loaded machine; 128 KB only made a correct filter slower to grade (0.6 s a run).
# The yardstick runs only when the filter took over NOISE_SECONDS: below that no ratio
# can fail, so the small steps cost one call of filter() each.
HOSTILE_CARD = "4242 4242 4242 4242"
HOSTILE_GROUPS = (250, 1_000, 4_000, 16_000)  # "1 " * n: up to 32 KB
SLOWER_ALLOWED = 5  # times the yardstick's CPU time on the same text
NOISE_SECONDS = 0.05  # timer noise and start-up costs on the smallest inputs
_RUN = re.compile(r"(?<!\w)[0-9]+(?:[ -][0-9]+)*(?!\w)")
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _linear_card_spans(text: str) -> list[tuple[int, int]]:
    """Where the cards are, in one pass: running Luhn totals per run of digit groups."""
    spans = []
    for run in _RUN.finditer(text):
        if run.end() - run.start() < 13:
            continue
        groups = run.group().replace("-", " ").split(" ")
        starts = list(itertools.accumulate(map(len, groups), initial=0))
        values = [ord(char) - 48 for char in "".join(groups)]
        sums = [list(itertools.accumulate((_DOUBLED[v] if p % 2 == parity else v
                                           for p, v in enumerate(values)), initial=0))
                for parity in (0, 1)]
        first = 0
        while first < len(groups):
            begin, last = starts[first], None
            stop = bisect_right(starts, begin + 19, first + 1, min(len(starts), first + 20))
            for k in range(stop - 1, first, -1):
                end = starts[k]
                if end - begin < 13:
                    break
                if (sums[end % 2][end] - sums[end % 2][begin]) % 10 == 0:
                    last = k - 1
                    break
            if last is None:
                first += 1
            else:
                spans.append((run.start() + begin + first, run.start() + starts[last + 1] + last))
                first = last + 1
    return spans


def _cpu_seconds(function: Callable[..., object], *args: object) -> float:
    started = time.process_time()
    function(*args)
    return time.process_time() - started


def test_hostile_message_stays_fast(exercise):
    """Stays fast on a hostile message: 32 KB of one-digit groups ("1 1 1 1 ...")"""
    for count in HOSTILE_GROUPS:
        text = "1 " * count + "x " + HOSTILE_CARD
        shown = f"logger.info('chat message: %s', '1 ' * {count} + 'x {HOSTILE_CARD}')"
        records = [_record("chat message: %s", (text,)) for _ in range(2)]
        redactor = exercise.RedactingFilter(redact_cards=full_redact_cards)
        took = _cpu_seconds(redactor.filter, records[0])
        linear = 0.0
        if took > NOISE_SECONDS:  # only then can the ratio fail: time the yardstick
            linear = _cpu_seconds(_linear_card_spans, text)
        if took > SLOWER_ALLOWED * linear + NOISE_SECONDS:  # measure once more to be sure
            linear = min(linear, _cpu_seconds(_linear_card_spans, text))
            took = min(took, _cpu_seconds(redactor.filter, records[1]))
        assert took <= SLOWER_ALLOWED * linear + NOISE_SECONDS, (
            f"filter() on the record of {shown} took {took:.2f} s of CPU time, "
            f"{took / max(linear, 1e-3):.0f} times as long as a linear card scan of the same "
            f"{len(text)} characters ({linear:.3f} s on this machine); the limit is "
            f"{SLOWER_ALLOWED} times. A logging filter runs on text that attackers write "
            "(chat messages, prompts, request fields), and this text is hostile on purpose: "
            "every one-digit group joins the next, and no stretch of 13 to 19 ones passes "
            "Luhn. A filter that is slow on such a line blocks every request that logs it: a "
            "denial of service. Here the filter was given a linear card detector "
            "(redact_cards=...): use it and redact_secrets() as they are, and add no card "
            "or digit scan of your own that checks stretch after stretch."
        )
        got = records[0].getMessage()
        expected = "chat message: " + "1 " * count + "x [CARD]"
        assert got == expected, (
            f"after filter() on the record of {shown}, record.getMessage() returned "
            f"{len(got)} characters ending in {got[-40:]!r}, expected {len(expected)} "
            f"characters ending in {expected[-40:]!r}: only the card at the end is a card "
            "(no stretch of 13 to 19 ones passes the Luhn checksum)."
        )
