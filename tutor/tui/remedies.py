"""How the TUI words each way out the engine names (see tutor.errors.Remedy)."""

from __future__ import annotations

import re

from tutor.errors import Remedy, TutorError

WORDS: dict[Remedy, str] = {
    Remedy.RESTORE_STARTER: "Press x on the exercise screen to restore the starter (your "
                            "file is backed up first).",
    Remedy.CHECK_SETUP: "The doctor (d on the home screen) checks your setup.",
    Remedy.LIST_COURSE: "The home screen lists them all.",
}


def explain(exc: TutorError) -> str:
    """An error's message with the TUI's way out."""
    return exc.explained(WORDS)


# Course text (hints, instructions) is written for the terminal: "Run `aisec check
# luhn`". Inside the app the same step is a key; these say which. Only a command in
# quotes or backticks is reworded, so prose about the CLI stays as written.
_ID = r"(?: [\w.-]+)?"
_IN_APP = [
    (rf"\b(R|r)un ([`'])aisec check{_ID}\2", r"\1un the checks (press r, or just save the file)"),
    (rf"([`'])aisec check{_ID}\1", "r (run the checks)"),
    (rf"([`'])aisec hint{_ID}\1", "h (the next hint)"),
    (rf"([`'])aisec reset{_ID}\1", "x (reset to the starter)"),
    (rf"([`'])aisec solution{_ID}\1", "s (the reference solution)"),
    (rf"([`'])aisec ask{_ID}\1", "a (ask the AI helper)"),
    (r"([`'])aisec doctor\1", "the doctor (d on the home screen)"),
    (r"([`'])aisec progress\1", "your progress (g on the home screen)"),
]


def in_app(text: str) -> str:
    """Course text with its ``aisec`` commands worded as the app's keys."""
    for pattern, words in _IN_APP:
        text = re.sub(pattern, words, text)
    return text


def mentions_cli(text: str) -> bool:
    return bool(re.search(r"[`']aisec [a-z]", text))
