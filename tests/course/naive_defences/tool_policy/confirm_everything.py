"""Naive: ask Ana about every call. She decides, so what could go wrong?

Every ordinary request is served, since she says yes to what she wants. But
an attack that makes the agent ask a third time gets a tired yes (dialog
fatigue, lesson 6), and the injected call runs.
"""

from dataclasses import dataclass, field

FAILS = ("attacks blocked",)


@dataclass(frozen=True)
class Task:
    request: str
    approved: tuple = field(default_factory=tuple)


def decide(call, task):
    return "confirm"
