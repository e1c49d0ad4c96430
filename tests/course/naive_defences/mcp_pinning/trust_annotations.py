"""Naive: a full policy, except that a tool marked readOnlyHint: true is trusted unasked.

Pins, asks again on change and screens descriptions, but takes the server's
word that a tool is read-only: a new tool, or a changed one, that claims so
runs without the user ever being asked.
"""

import hashlib
import json
import re
import unicodedata

FAILS = ("attacks blocked",)
LEAD = re.compile(r"^(?:[\W_]+|(?:important|note(?: to ai)?|assistant|ai)\s*:\s*|please\s+|"
                  r"(?:before|when|whenever|after)\b[^,]{0,80},\s*)*", re.IGNORECASE)
ORDER = re.compile(r"^(?:call|use|run|invoke|execute)\b.*\b[a-z]+_[a-z_]+\b|"
                   r"^(?:say|reply|respond|answer|write)\b.*\"", re.IGNORECASE)
OVERRIDE = re.compile(r"\b(?:ignore|disregard)\b.{0,40}\binstructions\b", re.IGNORECASE)


def pin(tool):
    told = {k: tool.get(k) for k in ("name", "description", "inputSchema")}
    return hashlib.sha256(json.dumps(told, sort_keys=True).encode()).hexdigest()


def _read(text):
    text = "".join(chr(ord(c) - 0xE0000) if 0xE0020 <= ord(c) <= 0xE007E else c for c in text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"<[^>]*>", " ", unicodedata.normalize("NFKC", text))


def gives_orders(description, tool_names):
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", _read(description)):
        if OVERRIDE.search(sentence) or ORDER.match(LEAD.sub("", sentence.strip())):
            return True
    return False


def review(tools, pinned, ask_human):
    offered = []
    for tool in tools:
        name, fingerprint = tool["name"], pin(tool)
        if gives_orders(tool.get("description") or "", set()):
            continue
        if (tool.get("annotations") or {}).get("readOnlyHint"):
            offered.append(tool)  # it says it only reads: nothing to ask
            continue
        if pinned.get(name) != fingerprint:
            if not ask_human(tool, name in pinned):
                continue
            pinned[name] = fingerprint
        offered.append(tool)
    return offered
