"""Naive: refuse every tool whose description has a suspicious word; ask about new names.

It refuses ordinary tools that say "use", "call", "important" or "ignore", misses
orders written with invisible or fullwidth characters, and never notices a tool
that changed after approval without using those words.
"""

import hashlib
import json

FAILS = ("attacks blocked", "usefulness kept")
WORDS = ("call", "use", "run ", "ignore", "important", "instructions", "<", "reply", "before")


def pin(tool):
    told = {k: tool.get(k) for k in ("name", "description", "inputSchema")}
    return hashlib.sha256(json.dumps(told, sort_keys=True).encode()).hexdigest()


def gives_orders(description, tool_names):
    lowered = description.lower()
    return any(word in lowered for word in WORDS)


def review(tools, pinned, ask_human):
    offered = []
    for tool in tools:
        if gives_orders(tool.get("description") or "", set()):
            continue
        if tool["name"] in pinned or ask_human(tool, False):
            pinned[tool["name"]] = pin(tool)
            offered.append(tool)
    return offered
