r"""Decide whether a text may go to an AI destination, and say why.

The scenario
------------

Your team uses three kinds of AI tools: a model running on each laptop (Ollama on
127.0.0.1), a model the company hosts under its own contract, and a public chatbot.
They are not equally trusted with data. A small gate in front of every call, in an
editor plugin, a CLI wrapper or a proxy, can enforce the rule "classify before you
paste" so that people do not have to remember it at 11 pm.

What to implement
-----------------

    may_send(text: str, destination: str) -> tuple[bool, str]

returns (allowed, reason).

1. Classify `text` with `classify_text`. It is at the end of this file, complete: the
   reference solution of the previous exercise, `classify_text`, which normalises the
   text (invisible characters, fullwidth letters) before any rule runs. Use it as it
   is: a gate with a weaker classifier lets "CONFI\u200bDENTIAL", a card number or a
   fullwidth key through. (If you have not done `classify_text` yet, do it first: the
   code at the end of this file gives its answer away.)
2. Look the destination up in POLICY, which gives the HIGHEST level each destination
   may receive:

       "local"           up to "confidential"  (the data stays on this machine)
       "company-hosted"  up to "internal"      (your organisation's contract applies)
       "public-hosted"   only "public"         (someone else's terms apply)

   Before the lookup, strip surrounding whitespace and lower-case the destination:
   " Local\n" means "local". Nothing else is folded: "localhost", "public", "ｌocal"
   (a fullwidth letter) or "local\u200b" (a zero-width space) are unknown.
3. The text may go when its level is at or below the destination's limit, in the
   order of LEVELS: public < internal < confidential < restricted. Restricted text
   never goes anywhere.
4. Fail closed. An unknown destination gets (False, reason), even for public text
   (a gate that defaults to "allow" is no gate). A text or destination that is not
   a str also gives (False, reason). may_send never raises.
5. The reason is a one-line string for the person at the keyboard. It must contain
   the text's level (when the text is a str) and the destination: the normalised
   name ("local") for a known one, the stripped value as given for an unknown one.

Examples
--------

>>> may_send("How do I reverse a list?", "public-hosted")
(True, 'allowed: public text may go to public-hosted (limit: public)')
>>> may_send("Ask ann@example.com", " Company-Hosted ")
(False, 'blocked: confidential text may not go to company-hosted (limit: internal)')
>>> may_send("ann\u200b@example.com", "public-hosted")[0]   # normalised: an email
False
>>> may_send("anything", "cloud")[0]
False

(The wording of the reason is yours; the checks look for the level and the destination
in it.)

Why it matters
--------------

Data minimisation (GDPR Art. 5(1)(c)) and OWASP LLM02:2025 both say the same thing
in practice: the safest data is the data you never send. A policy table turns that
into a decision a program can make, and "unknown means no" is what keeps a typo, a
new plugin or an attacker-chosen endpoint from receiving everything. The reason
string matters too: a gate that says "blocked" without saying why gets bypassed.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

LEVELS = ("public", "internal", "confidential", "restricted")  # from lowest to highest

# Destination -> the highest level of data it may receive.
POLICY = {
    "local": "confidential",  # a model on this machine, e.g. Ollama on 127.0.0.1
    "company-hosted": "internal",  # a model your organisation runs under its own contract
    "public-hosted": "public",  # a hosted service on someone else's terms
}


def may_send(text: str, destination: str) -> tuple[bool, str]:
    """(allowed, reason): may `text` go to `destination` under POLICY? Never raises."""
    # TODO: (False, reason) if text or destination is not a str.
    # TODO: level = classify_text(text); key = destination stripped and lower-cased.
    # TODO: unknown key -> (False, reason). Otherwise compare LEVELS.index(level)
    #       with LEVELS.index(POLICY[key]); name the level and the destination.
    raise NotImplementedError("TODO: implement may_send")


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
