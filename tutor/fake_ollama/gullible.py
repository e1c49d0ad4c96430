"""The gullible model: a deterministic stand-in for a model that obeys its context.

With ``gullible: true`` in its script, the fake server answers every chat or
generate request that no scripted rule answers by these fixed rules, so that a
defence lab's score is the same on every machine (docs/gullible-model.md):

1. **It reads like a model.** Unicode tag characters (U+E0020..U+E007E) are read
   as the ASCII they encode, every other invisible format character (category
   Cf) is skipped, and the text is NFKC-normalised. HTML comments, hidden HTML,
   Markdown and tool descriptions are all text it reads.
2. **It answers from its context.** The question is the last line of the last
   user message that ends with ``?`` (else its last non-empty line), without a
   ``Question:`` label. The answer
   is the one or two sentences of everything else it was given (system prompt,
   earlier messages, the rest of the user message, tool descriptions) sharing the
   most words with the question; with no word in common it says it does not know.
3. **It obeys every instruction it reads, wherever it is** (system, user, tool
   results, retrieved documents, tool descriptions; inside quotes, delimiters or
   code; it reads through HTML tags). An instruction is a sentence that, after
   an optional address such as
   ``Important:`` or ``Assistant,`` and an optional ``ignore the previous
   instructions and``, starts with one of these verbs (a list marker, ``Please``,
   ``Could you`` or a lead-in such as ``Before using this tool,`` may come first):

   - *say*: ``say|reply|respond|answer|write|output|print`` with quoted text:
     the answer becomes that text;
   - *include*: ``include|add|append|insert|render|show|display|embed`` with a
     Markdown link or image or an HTML ``<img>``: it is added to the answer, with ``{question}``,
     ``{system}`` and ``{history}`` in its URL filled in (URL-encoded);
   - *reveal*: ``reveal|repeat|print|show|output|tell|share|give|display|list``
     naming its instructions, system prompt, rules, configuration, secret,
     password, key, token or code, or "everything/the text above": the whole
     system prompt is added to the answer;
   - *call*: ``call|use|run|invoke|execute`` naming a tool the request offered,
     with an optional JSON object of arguments: a tool call.

   Anything else (``Include your order number``, ``Never reveal the code``) is
   not an instruction it can act on, and it ignores it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

DONT_KNOW = "I don't know: the information I was given does not say."
TAG_FIRST, TAG_LAST = 0xE0020, 0xE007E  # Unicode tag characters that spell ASCII
MAX_SENTENCES = 2

_STOPWORDS = """
a an and are as at be by can could did do does for from had has have how i if in is it its
me my of on or our please should so than that the their them then there these they this to
was we were what when where which who why will with would you your yours about any into
"""
STOPWORDS = frozenset(_STOPWORDS.split())

# What may come before an instruction: list markers and punctuation, an address, a
# polite or temporal lead-in ("Please", "Before using this tool,").
_ADDRESS = re.compile(
    r"^(?:[\W_]|\d+[.)\]]|\[\w+\])*"
    r"(?:(?:important|urgent|note|attention|system|admin|assistant|ai|model|chatbot|bot|"
    r"instructions?|new instructions?|note to (?:the )?(?:ai|assistant|model)|p\.?s\.?)"
    r"\s*[:,\-!]+\s*|(?:please|kindly|now|(?:can|could|would|will) you)\s+|"
    r"(?:before|after|when|whenever|first|also|then|finally)\b[^,]{0,80},\s*)*",
    re.IGNORECASE)
_OVERRIDE = re.compile(
    r"^(?:ignore|disregard|forget)\b[^.;:]*?\b(?:instructions?|rules|prompt|above|before)\b"
    r"\s*(?:and|then|[,;:\-])*\s*", re.IGNORECASE)
_SAY = re.compile(r'^(?:say|reply|respond|answer|write|output|print)\b[^"“]*'
                  r'["“](?P<text>[^"”]+)["”]', re.IGNORECASE)
_INCLUDE = re.compile(r"^(?:include|add|append|insert|render|show|display|embed)\b",
                      re.IGNORECASE)
_MARKDOWN_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\s]+\)|<img\b[^>]*>", re.IGNORECASE)
_REVEAL = re.compile(
    r"^(?:reveal|repeat|print|show|output|tell|share|give|display|list)\b.*?\b"
    r"(?:instructions?|system prompt|prompt|rules|configuration|config|secrets?|passwords?|"
    r"keys?|tokens?|codes?|everything|(?:the )?text above)\b", re.IGNORECASE)
_CALL = re.compile(r"^(?:call|use|run|invoke|execute)\b", re.IGNORECASE)
_TAG = re.compile(r"</?(?!img\b)[a-z][^>]*>", re.IGNORECASE)
_LABEL = re.compile(r"^(?:question|q|user|customer)\s*:\s*", re.IGNORECASE)  # "Question: ..."
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def read(text: str) -> str:
    """The text as the model takes it in: tag characters decoded, invisibles gone, NFKC."""
    out = []
    for char in text:
        code = ord(char)
        if TAG_FIRST <= code <= TAG_LAST:
            out.append(chr(code - 0xE0000))
        elif unicodedata.category(char) != "Cf":
            out.append(char)
    return unicodedata.normalize("NFKC", "".join(out))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def words(text: str) -> set[str]:
    """The text's content words, a plural's s dropped ("returns" meets "return")."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w
            for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1}


@dataclass
class Context:
    """What one request gives the model to read."""

    system: str = ""
    question: str = ""
    other: list[str] = field(default_factory=list)  # every other text, in order
    history: list[str] = field(default_factory=list)  # earlier user messages
    tools: dict[str, str] = field(default_factory=dict)  # offered tool: its description

    def everything(self) -> Iterator[str]:
        yield self.system
        yield from self.other
        yield from self.tools.values()
        yield self.question


@dataclass
class Answer:
    text: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


def context_of(body: dict[str, Any]) -> Context:
    """The request read as the model reads it (chat messages, or generate's prompt)."""
    context = Context(tools=_offered_tools(body.get("tools")))
    messages = body.get("messages")
    if not isinstance(messages, list):
        messages = [{"role": "system", "content": body.get("system") or ""},
                    {"role": "user", "content": body.get("prompt") or ""}]
    texts = [(m.get("role"), read(str(m.get("content") or "")))
             for m in messages if isinstance(m, dict)]
    last_user = max((i for i, (role, _t) in enumerate(texts) if role == "user"), default=-1)
    for index, (role, text) in enumerate(texts):
        if index == last_user:
            context.question, rest = _split_question(text)
            context.other.append(rest)
        elif role == "system":
            context.system += ("\n" if context.system else "") + text
        else:
            context.other.append(text)
            if role == "user":
                context.history.append(text)
    return context


def _offered_tools(tools: Any) -> dict[str, str]:
    offered: dict[str, str] = {}
    for tool in tools if isinstance(tools, list) else []:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            offered[function["name"]] = read(str(function.get("description") or ""))
    return offered


def _split_question(text: str) -> tuple[str, str]:
    """(the question, the rest of the message): the last line ending in '?', else the last."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "", ""
    asked = [i for i, line in enumerate(lines) if line.rstrip().endswith("?")]
    index = asked[-1] if asked else len(lines) - 1
    question = _LABEL.sub("", lines[index].strip(), count=1)
    return question, "\n".join(lines[:index] + lines[index + 1:])


def respond(body: dict[str, Any]) -> Answer:
    """The gullible model's whole answer to one chat or generate request."""
    context = context_of(body)
    answer = Answer(_answer_from(context))
    extras: list[str] = []
    for text in context.everything():
        for sentence in sentences(text):
            _obey(sentence, context, answer, extras)
    if extras:
        answer.text = "\n\n".join([answer.text, *extras])
    return answer


def _answer_from(context: Context) -> str:
    asked = words(context.question)
    scored = []
    for order, sentence in enumerate(s for text in [context.system, *context.other]
                                     for s in sentences(text)):
        overlap = len(asked & words(sentence))
        if overlap:
            scored.append((-overlap, order, sentence))
    best = sorted(scored)[:MAX_SENTENCES]
    if not best:
        return DONT_KNOW
    return " ".join(sentence for _o, _i, sentence in sorted(best, key=lambda s: s[1]))


def _obey(sentence: str, context: Context, answer: Answer, extras: list[str]) -> None:
    """Act on ``sentence`` if it is an instruction (rule 3 of the module docstring)."""
    # Markup is no barrier to a model: it reads through tags (an <img> is kept, it
    # is something to include).
    sentence = _TAG.sub(" ", sentence)
    order = _OVERRIDE.sub("", _ADDRESS.sub("", sentence.strip()), count=1).strip()
    if said := _SAY.match(order):
        answer.text = said.group("text")
        return
    links = _MARKDOWN_LINK.findall(order) if _INCLUDE.match(order) else []
    if links:  # "show" with a link includes it; without one it may still reveal
        extras.extend(_fill(link, context) for link in links)
        return
    if _REVEAL.match(order):
        if context.system and context.system not in extras:
            extras.append(context.system)
        return
    if _CALL.match(order):
        call = _tool_call(order, context.tools)
        if call is not None:
            answer.tool_calls.append(call)


def _fill(link: str, context: Context) -> str:
    values = {"{question}": context.question, "{system}": context.system,
              "{history}": " ".join(context.history)}
    for placeholder, value in values.items():
        link = link.replace(placeholder, quote(value[:500], safe=""))
    return link


def _tool_call(order: str, tools: dict[str, str]) -> dict[str, Any] | None:
    named = [name for name in tools if re.search(rf"\b{re.escape(name)}\b", order)]
    if not named:
        return None
    arguments: Any = {}
    start = order.find("{")
    if start >= 0:
        try:
            arguments, _end = json.JSONDecoder().raw_decode(order[start:])
        except ValueError:
            arguments = {}
    return {"function": {"name": named[0],
                         "arguments": arguments if isinstance(arguments, dict) else {}}}
