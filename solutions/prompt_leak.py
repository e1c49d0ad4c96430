r"""Reference defence for the prompt_leak lab: defence in depth.

1. What the model sees (build_system_prompt): the public facts only. A secret
   the model never saw cannot leak, whatever it is asked (OWASP LLM07:2025: the
   system prompt is not a secret and credentials do not belong in it). A public
   fact that quotes a secret, in any spelling, is left out too: the list is
   written by people. A secret named in ``must_include`` stays, because this
   deployment cannot work without it; the second layer is what protects it.

2. What the customer sees (guard_reply): every secret is looked for in the
   reply after normalising both the same way: NFKC, invisible format characters
   (zero-width spaces, joiners) dropped, case folded, and everything but letters
   and digits removed, so "ACME STAFF 7731", "acme-staff-7731" and
   "A C M E - S T A F F..." all match "ACME-STAFF-7731". Each place a secret
   is found is replaced by "[removed]" and the rest of the reply is kept (a
   sentence-by-sentence cut loses the answer when the model runs a secret and a
   fact together without a full stop). A reply without a secret is returned
   exactly as the model wrote it.

What this cannot catch: a secret the model re-encodes (translated, spelled
out in words, base64, URL-encoded) or gives away a piece at a time. That is why
the first layer matters more than the second.
"""

from __future__ import annotations

import unicodedata

INTRO = "You are the Acme Notes assistant."
REFUSAL = "Sorry, I can't share that. For account questions, write to help@acmenotes.example."
REMOVED = "[removed]"
MIN_SECRET = 6  # letters and digits; a shorter "secret" would match ordinary text


def _letters(text: str) -> tuple[str, list[int]]:
    """The text's letters and digits as a reader compares them (NFKC, no invisible
    characters, case folded), and where each one came from in ``text``."""
    kept: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            continue
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if folded.isalnum():
                kept.append(folded)
                origin.append(index)
    return "".join(kept), origin


def compact(text: str) -> str:
    """Letters and digits only: "ACME STAFF 7731" and "acme-staff-7731" are equal."""
    return _letters(text)[0]


def _patterns(secrets: dict[str, str]) -> list[str]:
    found = []
    for value in secrets.values():
        key = compact(value) if isinstance(value, str) else ""
        if len(key) >= MIN_SECRET:
            found.append(key)
    return found


def holds_secret(text: str, secrets: dict[str, str]) -> bool:
    seen = compact(text)
    return any(key in seen for key in _patterns(secrets))


def _spans(text: str, secrets: dict[str, str]) -> list[tuple[int, int]]:
    """Where in ``text`` each secret is, however it is spelled, merged and in order."""
    seen, origin = _letters(text)
    spans = []
    for key in _patterns(secrets):
        at = seen.find(key)
        while at >= 0:
            spans.append((origin[at], origin[at + len(key) - 1] + 1))
            at = seen.find(key, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def build_system_prompt(config: dict) -> str:
    """The system prompt for this deployment's configuration."""
    secrets = dict(config.get("secrets") or {})
    keep = set(config.get("must_include") or [])
    hidden = {name: value for name, value in secrets.items() if name not in keep}
    lines = [INTRO]
    lines += [fact for fact in config.get("public") or [] if not holds_secret(fact, hidden)]
    for name in sorted(keep):
        if name in secrets:  # for the ticket integration; guard_reply keeps it off screen
            lines.append(f"Internal {name.replace('_', ' ')}: {secrets[name]}")
    return "\n".join(lines)


def guard_reply(reply: str, secrets: dict[str, str]) -> str:
    """The reply as the customer may see it."""
    if not isinstance(reply, str) or not isinstance(secrets, dict):
        return REFUSAL
    spans = _spans(reply, secrets)
    if not spans:
        return reply  # exactly as the model wrote it
    kept = reply
    for start, end in reversed(spans):
        kept = kept[:start] + REMOVED + kept[end:]
    if holds_secret(kept, secrets):
        return REFUSAL  # cannot happen by construction; fail closed if it does
    return kept
