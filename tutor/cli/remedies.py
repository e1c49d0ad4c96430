"""How the command line words each way out the engine names (see tutor.errors.Remedy)."""

from __future__ import annotations

from tutor.errors import Remedy

WORDS: dict[Remedy, str] = {
    Remedy.RESTORE_STARTER: "Run 'aisec reset {subject}' to get a fresh copy of the starter "
                            "(your file is backed up first).",
    Remedy.CHECK_SETUP: "'aisec doctor' checks your setup.",
    Remedy.LIST_COURSE: "Run 'aisec list' to see them all.",
}
