"""Reference solution for `classify_text`: label text before it goes to an AI tool.

The rules look for evidence of each level, highest first. The text is normalised
before any rule runs, because the rules are written for plain ASCII and the text
you are about to paste may not be.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

LEVELS = ("public", "internal", "confidential", "restricted")  # from lowest to highest

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
CARD_CANDIDATE_RE = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")
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


def luhn_ok(number: str) -> bool:
    """True if the digits of `number` (spaces and hyphens ignored) pass the Luhn check."""
    digits = number.replace(" ", "").replace("-", "")
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


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
        or any(luhn_ok(m.group()) for m in CARD_CANDIDATE_RE.finditer(text))
    ):
        return "restricted"
    if EMAIL_RE.search(text) or PHONE_RE.search(text) or CONFIDENTIAL_RE.search(text):
        return "confidential"
    if INTERNAL_HOST_RE.search(text) or any(_is_rfc1918(m) for m in IPV4_RE.finditer(text)):
        return "internal"
    return "public"
