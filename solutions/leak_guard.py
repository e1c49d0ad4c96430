"""Reference solution for `leak_guard`: refuse replies that quote the system prompt.

An output check in code, independent of the model (OWASP LLM07:2025). It compares
word runs ("shingles") after normalising away the cheap disguises: case, spacing,
punctuation and markdown, fullwidth letters, invisible characters.
"""

from __future__ import annotations

import re
import unicodedata

REFUSAL = "I can't share that: my reply repeated part of my instructions."
WORD_RE = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of `text` after NFKC, removing format characters, and casefold()."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    text = unicodedata.normalize("NFKC", text)  # fullwidth -> ASCII, "ﬁ" -> "fi"
    # Format characters (zero-width space and joiner, soft hyphen, bidi marks) are
    # invisible when rendered but would split or change words.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return WORD_RE.findall(text.casefold())


def _runs(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    """Every run of n consecutive words, as tuples (hashable, so they fit in a set)."""
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def leak_guard(system_prompt: str, reply: str, min_words: int = 8) -> str:
    """REFUSAL if `reply` repeats `min_words` consecutive words of the prompt, else `reply`."""
    if not isinstance(system_prompt, str) or not isinstance(reply, str):
        raise TypeError("system_prompt and reply must both be str")
    if min_words < 1:
        raise ValueError(f"min_words must be at least 1, got {min_words!r}")
    prompt_runs = _runs(words(system_prompt), min_words)
    if not prompt_runs:  # a prompt shorter than min_words words: nothing to match
        return reply
    reply_words = words(reply)
    # Comparing tuples of whole words: "scare" never matches "care", which a search
    # for the joined string inside the other text would get wrong.
    for i in range(len(reply_words) - min_words + 1):
        if tuple(reply_words[i : i + min_words]) in prompt_runs:
            return REFUSAL
    return reply  # the model's own text, exactly as written
