"""Classify text before you paste it into an AI tool.

The scenario
------------

It is late, a build is failing, and the fastest help is a chatbot. You are about to
paste a stack trace, a config file and a customer's email into it. Whatever you
paste leaves your machine: it goes to the provider, may be kept in logs or a chat
history, and, depending on the product's terms, may be read by reviewers or used
for training. In 2023 Samsung engineers pasted source code and a meeting transcript
into ChatGPT to get their work done; the company then restricted such tools.

A classifier that labels text before it is sent is the first step of any policy
that says what may go where. You will write it here, and use it in `may_send`.

What to implement
-----------------

    classify_text(text: str) -> str

returns one of LEVELS: "restricted", "confidential", "internal" or "public". The
highest level for which the text contains evidence wins. A value that is not a str
raises TypeError.

First, normalise the text, so that the rules below see what a person reads:

1. remove every character whose `unicodedata.category(ch)` is "Cf" (format
   characters: zero-width space and joiners, soft hyphen, byte order mark, bidi
   controls, Unicode tag characters); then
2. apply `unicodedata.normalize("NFKC", ...)`, which turns fullwidth letters and
   digits such as "ＣＯＮＦＩＤＥＮＴＩＡＬ" or "１０.０.０.１" into ASCII.

Then the rules, highest level first (every pattern, and the card helper, is below,
ready to use):

"restricted"
    - the header of a private key file (PRIVATE_KEY_RE): "-----BEGIN ... PRIVATE
      KEY-----", PGP's "-----BEGIN PGP PRIVATE KEY BLOCK-----", and the SSH.com and
      PuTTY formats;
    - an AWS access key ID (AWS_ACCESS_KEY_RE): "AKIA", "ASIA", "ABIA" or "ACCA", then
      16 more capital letters or digits. That includes AKIAIOSFODNN7EXAMPLE, the
      placeholder from AWS's documentation: a classifier cannot know that a key is fake;
    - a card number: `has_card(text)` is True. It is given, complete, below: it
      looks for 13 to 19 digits that pass the Luhn check anywhere in a run of
      numbers, so a card followed by its expiry date ("4242 4242 4242 4242 12/34")
      or next to another number still counts. Its docstring says why, and what it
      misses.
"confidential"
    - an email address (EMAIL_RE);
    - a phone number in international format (PHONE_RE): "+", then 8 to 15 digits
      with single spaces, hyphens or dots allowed between them;
    - the word "confidential" in any case (CONFIDENTIAL_RE). "Non-confidential" counts
      too: when in doubt, err towards the higher level and let a person decide.
"internal"
    - a host name that ends in ".internal" or ".corp" (INTERNAL_HOST_RE);
    - a private IPv4 address from RFC 1918: 10.0.0.0/8, 172.16.0.0/12 or
      192.168.0.0/16 (RFC1918_NETWORKS). Find candidates with IPV4_RE; each of the
      four numbers must be 0 to 255, written without leading zeros. So "10.0.0.300"
      is no address at all, and 172.15.0.1, 172.32.0.1, 127.0.0.1 (loopback) and
      169.254.169.254 (link-local) are addresses but not RFC 1918 ones. Careful:
      `ipaddress.ip_address(...).is_private` is True for loopback and link-local too.
"public"
    everything else, including "".

Examples
--------

>>> classify_text("Deploy failed on build-07.corp, retrying")
'internal'
>>> classify_text("CONFI\\u200bDENTIAL: Q3 numbers")   # a zero-width space inside
'confidential'
>>> classify_text("ask ann@example.com about AKIAIOSFODNN7EXAMPLE")
'restricted'
>>> classify_text("How do I reverse a list in Python?")
'public'

Why it matters
--------------

OWASP LLM02:2025 (Sensitive Information Disclosure) lists personal data, credentials
and confidential business data among what AI applications leak, and the easiest
leak is the one you type in yourself. A classifier that a zero-width space or
fullwidth letters can fool is a classifier in name only: text copied from chat
tools, PDFs and web pages carries such characters by accident, and an attacker adds
them on purpose. Normalise first, match second.

Rules like these are a safety net, not a guarantee: they miss a password in plain
prose, a customer's name, or Cyrillic letters that look Latin (telling those apart
needs Unicode's confusables data, UTS #39). `has_card` misses a card glued to other
digits with no space or hyphen between them, or written with other separators (dots,
slashes, two spaces), and it calls some long runs of ordinary numbers a card: about
one stretch of digits in ten passes Luhn by chance. Minimise what you paste in the
first place.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata  # noqa: F401  (you will need it)
from bisect import bisect_left, bisect_right
from itertools import accumulate

LEVELS = ("public", "internal", "confidential", "restricted")  # from lowest to highest

# --- Ready to use. Each pattern expects NORMALISED text. -------------------------
# Private key files: PEM and OpenSSH ("-----BEGIN RSA PRIVATE KEY-----"), PGP ("-----BEGIN
# PGP PRIVATE KEY BLOCK-----"), SSH.com ("---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----") and
# PuTTY ("PuTTY-User-Key-File-3: ssh-ed25519").
PRIVATE_KEY_RE = re.compile(
    r"(?i:----[- ]BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)? ?-{4,5})|PuTTY-User-Key-File-[0-9]+:"
)
# AWS access key IDs (IAM's "unique ID prefixes"): AKIA long-term, ASIA temporary (STS),
# ABIA STS service bearer token, ACCA context-specific credential; then 16 capitals or digits.
# Only more capitals or digits make it part of a longer token: "key_AKIA..." and an escaped
# "\nAKIA..." still count. (?<![A-Z0-9].{4}) says "no capital or digit before the prefix";
# written after the prefix, it lets the regex engine jump straight to candidate prefixes.
AWS_ACCESS_KEY_RE = re.compile(r"(?:AKIA|ASIA|ABIA|ACCA)(?<![A-Z0-9].{4})[0-9A-Z]{16}(?![A-Z0-9])")
# Digit groups joined by single spaces or hyphens: "4242 4242-4242 4242 12" is one run.
DIGIT_RUN_RE = re.compile(r"[0-9]+(?:[ -][0-9]+)*")
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
PHONE_RE = re.compile(r"(?<![\w+])\+[0-9](?:[ .-]?[0-9]){7,14}(?![0-9])")
CONFIDENTIAL_RE = re.compile(r"\bconfidential\b", re.IGNORECASE)
INTERNAL_HOST_RE = re.compile(
    r"(?<![\w.-])(?:[a-z0-9-]+\.)+(?:internal|corp)(?![\w-]|\.[\w-])", re.IGNORECASE
)
# Four groups of 1-3 digits, not part of a longer dotted number. Still to check: 0-255.
IPV4_RE = re.compile(r"(?<![0-9.])([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})"
                     r"(?![0-9]|\.[0-9])")
RFC1918_NETWORKS = tuple(
    ipaddress.ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
MIN_CARD_DIGITS, MAX_CARD_DIGITS = 13, 19  # card numbers (PANs) have 13 to 19 digits
LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # Luhn's value for a doubled digit 0-9


def has_card(text: str) -> bool:
    """True if `text` holds 13 to 19 digits, in whole groups, that pass the Luhn check.

    What it does: it cuts the text into runs of ASCII digit groups joined by single
    spaces or hyphens (DIGIT_RUN_RE): "card 4242 4242 4242 4242 12/34" has the runs
    "4242 4242 4242 4242 12" and "34". From each run it takes every stretch of whole,
    neighbouring groups with 13 to 19 digits in all, and answers True as soon as one
    of them passes the Luhn check. Here "4242 4242 4242 4242" does.

    Why every stretch: a card number rarely stands alone. An expiry date, a security
    code, an order number or a second card often sits right next to it. A single regex
    match over the run grabs the card together with its neighbour ("4242 4242 4242 4242
    12", 18 digits), the checksum fails, and the card goes through.

    The trade-off: a stretch starts where a group starts and ends where a group ends,
    never inside a group. So a number on its own, such as a 13-digit timestamp or a
    16-digit order number, counts as a card exactly when it has 13 to 19 digits and
    passes Luhn, as about one in ten such numbers does by chance. A run of several
    numbers offers more stretches and so more false alarms. A paste gate accepts that:
    a false alarm costs a second look, a miss costs a leak.

    What it does not find: a card glued to other digits with nothing in between
    ("42424242424242421234" is one group of 20 digits, too long for a card), groups
    joined by anything but one space or one hyphen (dots, slashes, an en dash, two
    spaces, a line break), digits that NFKC does not turn into ASCII digits (Arabic-Indic
    digits, for example), and numbers written out in words.
    """
    for run in DIGIT_RUN_RE.finditer(text):
        if run.end() - run.start() < MIN_CARD_DIGITS:
            continue  # too short to hold a card: most runs are years, prices, versions
        groups = run.group().replace("-", " ").split(" ")
        digits = [int(char) for char in "".join(groups)]
        # Where each group starts, and where the run ends, as positions in `digits`.
        bounds = list(accumulate((len(group) for group in groups), initial=0))
        # Luhn doubles every second digit, counting from a number's LAST digit: in the
        # stretch digits[start:end], the positions p with p % 2 == end % 2. totals[parity][k]
        # is the Luhn sum of digits[:k] with the positions of that parity doubled, so the
        # sum of any stretch is one subtraction, and a long run stays fast.
        totals = [
            list(accumulate(
                (LUHN_DOUBLED[digit] if position % 2 == parity else digit
                 for position, digit in enumerate(digits)),
                initial=0,
            ))
            for parity in (0, 1)
        ]
        for end in bounds[1:]:
            luhn_sum = totals[end % 2]
            # Every group start that leaves 13 to 19 digits up to `end`.
            first = bisect_left(bounds, end - MAX_CARD_DIGITS)
            last = bisect_right(bounds, end - MIN_CARD_DIGITS)
            for start in bounds[first:last]:
                if (luhn_sum[end] - luhn_sum[start]) % 10 == 0:
                    return True
    return False


# --- Your part. ---------------------------------------------------------------------


def normalise(text: str) -> str:
    """Drop format (Cf) characters, then apply NFKC (a suggested helper)."""
    # TODO: remove characters of category "Cf", then unicodedata.normalize("NFKC", ...).
    raise NotImplementedError("TODO: implement normalise")


def classify_text(text: str) -> str:
    """The highest level of data found in `text`: restricted, confidential, internal or public."""
    # TODO: TypeError for anything that is not a str.
    # TODO: normalise, then check restricted, confidential and internal, in that order.
    #       Cards: has_card(text), on the normalised text like every other rule.
    # TODO: for IPv4 candidates, check each number (0-255, no leading zeros) and the
    #       RFC 1918 networks; is_private is the wrong test.
    raise NotImplementedError("TODO: implement classify_text")
