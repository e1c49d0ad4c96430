"""Naive: ask the user about each tool the first time its name is seen, then trust the name.

Approval is remembered by name only, so a server that changes an approved tool
(a rug pull) is never asked about again, and nothing reads the descriptions.
"""

import json

FAILS = ("attacks blocked",)


def pin(tool):
    return json.dumps(tool.get("name"))


def gives_orders(description, tool_names):
    return False


def review(tools, pinned, ask_human):
    offered = []
    for tool in tools:
        if tool["name"] in pinned or ask_human(tool, False):
            pinned[tool["name"]] = pin(tool)
            offered.append(tool)
    return offered
