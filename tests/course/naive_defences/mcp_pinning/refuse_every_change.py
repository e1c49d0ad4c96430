"""Naive: approve tools once when connecting, then freeze: nothing new, nothing changed.

Rug pulls and late tools are refused, but so is every new tool the user wants
and every change they would approve; and the tools approved on sight are
never read, so a poisoned one works from the start.
"""

import hashlib
import json

FAILS = ("attacks blocked", "usefulness kept")


def pin(tool):
    told = {k: tool.get(k) for k in ("name", "description", "inputSchema")}
    return hashlib.sha256(json.dumps(told, sort_keys=True).encode()).hexdigest()


def gives_orders(description, tool_names):
    return False


def review(tools, pinned, ask_human):
    if not pinned:  # connecting: the only time anything is approved
        for tool in tools:
            if ask_human(tool, False):
                pinned[tool["name"]] = pin(tool)
    return [tool for tool in tools if pinned.get(tool["name"]) == pin(tool)]
