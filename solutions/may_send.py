"""Reference solution for `may_send`: a policy gate in front of every AI destination.

`classify_text` below is the simplified copy from the starter (no normalisation and
no card numbers; the full version is the `classify_text` exercise). The gate is the
part that matters here: an allow-list of destinations, each with the highest level
of data it may receive, and a "no" for everything the table does not name.
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
    if not isinstance(text, str):
        return False, f"blocked: the text is a {type(text).__name__}, not a str; nothing sent"
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
