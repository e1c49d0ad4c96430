"""How the TUI words each way out the engine names (see tutor.errors.Remedy)."""

from __future__ import annotations

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
