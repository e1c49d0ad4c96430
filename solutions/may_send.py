"""Reference solution for `may_send`: a policy gate in front of every AI destination.

The gate is the part that matters here: an allow-list of destinations, each with the
highest level of data it may receive, and a "no" for everything the table does not
name. The classifier at the end is the complete `classify_text` (the reference
solution of that exercise, identical in behaviour), so the gate sees through
invisible characters and fullwidth letters.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import accumulate

LEVELS = ("public", "internal", "confidential", "restricted")  # from lowest to highest

# Destination -> the highest level of data it may receive.
POLICY = {
    "local": "confidential",  # a model on this machine, e.g. Ollama on 127.0.0.1
    "company-hosted": "internal",  # a model your organisation runs under its own contract
    "public-hosted": "public",  # a hosted service on someone else's terms
}


def may_send(text: str, destination: str) -> tuple[bool, str]:
    """(allowed, reason): may `text` go to `destination` under POLICY? Never raises."""
    if not isinstance(text, str):
        return False, f"blocked: the text is a {type(text).__name__}, not a str; nothing sent"
    # The complete classifier: it normalises first, so invisible characters and
    # fullwidth letters cannot lower the level.
    level = classify_text(text)
    if not isinstance(destination, str):
        return False, f"blocked: {level} text, destination {destination!r} is not a str"
    key = destination.strip().lower()  # " Local\n" is "local"; nothing else is folded
    limit = POLICY.get(key)
    if limit is None:
        # Fail closed: an unknown destination gets nothing, not even public text.
        known = ", ".join(POLICY)
        return False, (
            f"blocked: {level} text, unknown destination {destination.strip()!r} "
            f"(known: {known})"
        )
    if LEVELS.index(level) <= LEVELS.index(limit):
        return True, f"allowed: {level} text may go to {key} (limit: {limit})"
    return False, f"blocked: {level} text may not go to {key} (limit: {limit})"


# --- The classifier: complete, the reference solution of `classify_text` ----------------
# Do not edit: may_send is only as good as the classifier in front of it.

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


def normalise(text: str) -> str:
    """Drop invisible format characters, then fold compatibility forms (NFKC)."""
    if text.isascii():
        return text  # no Cf character is ASCII, and NFKC leaves ASCII alone: a fast path
    # Category Cf holds zero-width spaces and joiners, the soft hyphen, the byte order
    # mark, bidi controls and Unicode tag characters: none of them changes what a
    # person reads, all of them break a naive pattern match.
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    # NFKC turns fullwidth "ＣＯＮＦＩＤＥＮＴＩＡＬ" and "１０.０.０.１" into ASCII.
    return unicodedata.normalize("NFKC", visible)


def _is_rfc1918(match: re.Match[str]) -> bool:
    octets = match.groups()
    # 0-255 without leading zeros, as ipaddress accepts them: "10.0.0.300" is no address.
    if any(int(octet) > 255 or (len(octet) > 1 and octet[0] == "0") for octet in octets):
        return False
    address = ipaddress.ip_address(".".join(octets))
    # Not .is_private: that also covers loopback, link-local and other special ranges,
    # which say nothing about your network.
    return any(address in network for network in RFC1918_NETWORKS)


def classify_text(text: str) -> str:
    """The highest level of data found in `text`: restricted, confidential, internal or public."""
    if not isinstance(text, str):
        raise TypeError(f"classify_text expects str, got {type(text).__name__}")
    text = normalise(text)
    # Highest level first: the first rule that fires decides, so nothing is underrated.
    if (
        PRIVATE_KEY_RE.search(text)
        or AWS_ACCESS_KEY_RE.search(text)
        or has_card(text)
    ):
        return "restricted"
    if EMAIL_RE.search(text) or PHONE_RE.search(text) or CONFIDENTIAL_RE.search(text):
        return "confidential"
    if INTERNAL_HOST_RE.search(text) or any(_is_rfc1918(m) for m in IPV4_RE.finditer(text)):
        return "internal"
    return "public"
