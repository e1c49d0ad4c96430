"""Reference solution for `may_send`: a policy gate in front of every AI destination.

The gate is the part that matters here: an allow-list of destinations, each with the
highest level of data it may receive, and a "no" for everything the table does not
name, for a classifier that fails and for a level the table does not know. The
classifier is a parameter: pass the complete `classify_text` of the previous exercise.
"""

from __future__ import annotations

from collections.abc import Callable

LEVELS = ("public", "internal", "confidential", "restricted")  # from lowest to highest

# Destination -> the highest level of data it may receive.
POLICY = {
    "local": "confidential",  # a model on this machine, e.g. Ollama on 127.0.0.1
    "company-hosted": "internal",  # a model your organisation runs under its own contract
    "public-hosted": "public",  # a hosted service on someone else's terms
}


def may_send(
    text: str, destination: str, classify: Callable[[str], str] | None = None
) -> tuple[bool, str]:
    """(allowed, reason): may `text` go to `destination` under POLICY? Never raises."""
    classify = rough_classify if classify is None else classify
    if not isinstance(text, str):
        return False, f"blocked: the text is a {type(text).__name__}, not a str; nothing sent"
    try:
        level = classify(text)
    except Exception as exc:  # a classifier that fails must not open the gate
        return False, f"blocked: the classifier failed ({type(exc).__name__}); nothing sent"
    if level not in LEVELS:
        return False, f"blocked: the classifier returned {level!r}, not one of {LEVELS}"
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


# --- A stand-in classifier: deliberately rough ------------------------------------------
# NOT the answer to `classify_text`: it knows two obvious patterns and misses disguised
# text, emails, card numbers, access keys and internal hosts. Pass your own
# classify_text instead: may_send(text, destination, classify=classify_text).


def rough_classify(text: str) -> str:
    """A stand-in: 'restricted' for a private key header, 'confidential' for the word."""
    if "PRIVATE KEY-----" in text:
        return "restricted"
    return "confidential" if "confidential" in text.lower() else "public"
