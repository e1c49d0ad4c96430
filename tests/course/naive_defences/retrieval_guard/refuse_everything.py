"""Naive: answer nothing. Every attack is blocked and the bot is useless."""

FAILS = ("usefulness kept",)
SCORES = {"attacks blocked": (16, 16), "usefulness kept": (0, 12)}
ALLOWED_HOSTS = ("example.com",)


def clean_document(text):
    return None


def safe_reply(reply):
    return "Sorry, I can't help with that."
