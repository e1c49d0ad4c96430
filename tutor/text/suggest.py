"""The closest known word to a mistyped one, for "did you mean ...?" hints."""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.6  # difflib's similarity ratio below which a guess would mislead more than help


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """The choice most similar to ``word``, or None when none is similar enough.

    The answer depends only on the choices, not on their order: of equally similar
    choices the one that sorts last wins, so every run suggests the same word.
    """
    # Imported here: only an error message needs it, and start-up should stay quick.
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None
