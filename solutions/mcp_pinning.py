r"""Reference defence for the mcp_pinning lab: pin, diff, screen, and ask a human.

1. pin: a fingerprint of everything the model is told about a tool: its name,
   description and input schema, as SHA-256 of canonical JSON (sorted keys, no
   spaces), so the same tool always gets the same pin and any change another.
   Annotations are left out: they are not what the model reads, and they are the
   server's word about itself, not a reason to trust it.

2. gives_orders: a description is read as the model reads it (Unicode tag
   characters decoded to the ASCII they spell, other invisible characters
   dropped, NFKC, HTML tags ignored), then split into sentences. A sentence
   orders the model when, after an optional address ("IMPORTANT:", "Note to
   AI:"), a lead-in ("Please", "Before using this tool,") and an override
   ("ignore the previous instructions and"), it starts with a call verb
   (call, use, run, invoke, execute) and names a tool, or with an output verb
   and has something to output (quoted text, a link or image, secrets to
   reveal); an override anywhere is an order too. "Use it when the user asks",
   "Call rates are limited" and a mention of another tool stay.

3. review, on every tools/list: a tool that gives orders is never offered, even
   if the human would approve it (people approve what they meant to install and
   rarely read a long description). A tool whose pin matches the approved one is
   offered without asking again; a new one, or one whose pin changed since
   approval (a rug pull), is offered only if the human approves it now, told
   whether it changed. Annotations (readOnlyHint, destructiveHint...) play no
   part: any server can claim to be read-only.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection
from typing import Any

TAG_FIRST, TAG_LAST = 0xE0020, 0xE007E  # Unicode tag characters that spell ASCII

_HTML_TAG = re.compile(r"</?[a-z][^>]*>", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_LEAD = re.compile(
    r"^(?:[\W_]|\d+[.)\]])*"
    r"(?:(?:important|urgent|note|attention|system|admin|assistant|ai|model|chatbot|bot|"
    r"new instructions?|instructions?|note to (?:the )?(?:ai|assistant|model)|p\.?s\.?)"
    r"\s*[:,\-!]+\s*|(?:please|kindly|now|always|(?:can|could|would|will) you)\s+|"
    r"(?:before|after|when|whenever|if|first|also|then|finally)\b[^,]{0,80},\s*)*",
    re.IGNORECASE)
_OVERRIDE = re.compile(r"\b(?:ignore|disregard|forget)\b.{0,40}?\b(?:instructions?|above|"
                       r"previous|prior|rules|prompt)\b", re.IGNORECASE)
_CALL = re.compile(r"^(?:call|use|run|invoke|execute)\b", re.IGNORECASE)
_SAY = re.compile(r"^(?:say|reply|respond|answer|write|output|print)\b.*[\"“]", re.IGNORECASE)
_INCLUDE = re.compile(r"^(?:include|add|append|insert|render|show|display|embed)\b.*"
                      r"(?:\]\(|<img\b)", re.IGNORECASE)
_REVEAL = re.compile(
    r"^(?:reveal|repeat|print|show|output|tell|share|give|display|list)\b.*?\b"
    r"(?:instructions?|system prompt|prompt|rules|configuration|secrets?|passwords?|keys?|"
    r"tokens?|everything|text above)\b", re.IGNORECASE)
_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b", re.IGNORECASE)  # a tool's name


def pin(tool: dict[str, Any]) -> str:
    """A fingerprint of what the model is told about the tool."""
    told = {"name": tool.get("name"), "description": tool.get("description") or "",
            "inputSchema": tool.get("inputSchema") or {}}
    canonical = json.dumps(told, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def as_the_model_reads(text: str) -> str:
    """Tag characters decoded, other invisible characters dropped, NFKC, tags gone."""
    out = []
    for char in text:
        code = ord(char)
        if TAG_FIRST <= code <= TAG_LAST:
            out.append(chr(code - 0xE0000))
        elif unicodedata.category(char) != "Cf":
            out.append(char)
    return _HTML_TAG.sub(" ", unicodedata.normalize("NFKC", "".join(out)))


def _is_order(sentence: str, tool_names: Collection[str]) -> bool:
    if _OVERRIDE.search(sentence):
        return True
    order = _LEAD.sub("", sentence.strip(), count=1)
    if _CALL.match(order):
        named = any(re.search(rf"\b{re.escape(name)}\b", order) for name in tool_names)
        return named or bool(_IDENTIFIER.search(order))
    return bool(_SAY.match(order) or _INCLUDE.match(order) or _REVEAL.match(order))


def gives_orders(description: str, tool_names: Collection[str]) -> bool:
    """Does the description order the model about, rather than describe the tool?"""
    read = as_the_model_reads(description)
    return any(_is_order(s, tool_names) for s in _SENTENCE.split(read) if s.strip())


def _told(tool: dict[str, Any]) -> str:
    """Every text the model reads about a tool: its description and its schema's texts."""
    texts = [str(tool.get("description") or "")]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("description", "title") and isinstance(item, str):
                    texts.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(tool.get("inputSchema"))
    return "\n".join(texts)


def review(tools: list[dict[str, Any]], pinned: dict[str, str],
           ask_human: Callable[[dict[str, Any], bool], bool]) -> list[dict[str, Any]]:
    """The tools the model may be offered from this listing; updates ``pinned``."""
    names = Counter(t.get("name") for t in tools if isinstance(t, dict))
    offered = []
    for tool in tools:
        name = tool.get("name") if isinstance(tool, dict) else None
        if not isinstance(name, str) or names[name] > 1:
            continue  # two tools of one name: which one the model gets is anyone's guess
        if gives_orders(_told(tool), [n for n in names if isinstance(n, str)]):
            continue  # never offered, whoever approves it
        fingerprint = pin(tool)
        if pinned.get(name) != fingerprint:
            if not ask_human(tool, name in pinned):
                continue
            pinned[name] = fingerprint
        offered.append(tool)
    return offered
