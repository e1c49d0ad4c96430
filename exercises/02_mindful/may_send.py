"""Decide whether a text may go to an AI destination, and say why.

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

1. Classify `text` with `classify_text` (below, complete: a simplified copy of the
   previous exercise, so this file works on its own).
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

LEVELS = ("public", "internal", "confidential", "restricted")  # from lowest to highest

# Destination -> the highest level of data it may receive.
POLICY = {
    "local": "confidential",  # a model on this machine, e.g. Ollama on 127.0.0.1
    "company-hosted": "internal",  # a model your organisation runs under its own contract
    "public-hosted": "public",  # a hosted service on someone else's terms
}

_RESTRICTED_RE = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----|(?<![A-Za-z0-9])AKIA[0-9A-Z]{16}(?![A-Za-z0-9])"
)
_CONFIDENTIAL_RE = re.compile(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"|(?<![\w+])\+[0-9](?:[ .-]?[0-9]){7,14}(?![0-9])"
    r"|\b(?i:confidential)\b"
)
_INTERNAL_HOST_RE = re.compile(
    r"(?<![\w.-])(?:[a-z0-9-]+\.)+(?:internal|corp)(?![\w-]|\.[\w-])", re.IGNORECASE
)
_IPV4_RE = re.compile(r"(?<![0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9]|\.[0-9])")
_RFC1918 = tuple(
    ipaddress.ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)


def _private_ipv4(candidate: str) -> bool:
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:  # "10.0.0.300" and leading zeros are not addresses
        return False
    return any(address in network for network in _RFC1918)


def classify_text(text: str) -> str:
    """Simplified classifier, complete (the full rules are the `classify_text` exercise)."""
    if not isinstance(text, str):
        raise TypeError(f"classify_text expects str, got {type(text).__name__}")
    if _RESTRICTED_RE.search(text):
        return "restricted"
    if _CONFIDENTIAL_RE.search(text):
        return "confidential"
    if _INTERNAL_HOST_RE.search(text) or any(
        _private_ipv4(m.group()) for m in _IPV4_RE.finditer(text)
    ):
        return "internal"
    return "public"


def may_send(text: str, destination: str) -> tuple[bool, str]:
    """(allowed, reason): may `text` go to `destination` under POLICY? Never raises."""
    # TODO: (False, reason) if text or destination is not a str.
    # TODO: level = classify_text(text); key = destination stripped and lower-cased.
    # TODO: unknown key -> (False, reason). Otherwise compare LEVELS.index(level)
    #       with LEVELS.index(POLICY[key]); name the level and the destination.
    raise NotImplementedError("TODO: implement may_send")
