"""Naive: leave out every document that mentions "ignore", "instructions" or "assistant".

Stops the plainest overrides, misses the disguised ones (zero-width, fullwidth,
invisible tags, other words), and drops ordinary help pages that use those words.
"""

FAILS = ("attacks blocked", "usefulness kept")
SCORES = {"attacks blocked": (6, 16), "usefulness kept": (9, 12)}
ALLOWED_HOSTS = ("example.com",)
WORDS = ("ignore", "instructions", "assistant")


def clean_document(text):
    lowered = text.lower()
    return None if any(word in lowered for word in WORDS) else text


def safe_reply(reply):
    return reply
