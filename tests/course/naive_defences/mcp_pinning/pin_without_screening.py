"""Half a defence: pins and asks again on every change, but never reads a description.

Every rug pull is caught, and every ordinary request served, yet the lab fails:
a poisoned tool the user approved on sight (people do not read a long
description to the end) gives the model its orders from the start.
"""

import hashlib
import json

FAILS = ("attacks blocked",)


def pin(tool):
    told = {k: tool.get(k) for k in ("name", "description", "inputSchema")}
    return hashlib.sha256(json.dumps(told, sort_keys=True).encode()).hexdigest()


def gives_orders(description, tool_names):
    return False


def review(tools, pinned, ask_human):
    offered = []
    for tool in tools:
        name, fingerprint = tool["name"], pin(tool)
        if pinned.get(name) != fingerprint:
            if not ask_human(tool, name in pinned):
                continue
            pinned[name] = fingerprint
        offered.append(tool)
    return offered
