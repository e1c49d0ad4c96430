"""``/api/chat`` and ``/api/generate``: the scripted reply, whole or streamed as NDJSON.

Both answer the same way and differ in where the text goes: chat in
``message.content`` (with any ``tool_calls`` and ``thinking`` beside it),
generate in ``response`` (and its final line carries ``context``). A streamed
reply is one line per chunk of thinking, then of text, then a line with the tool
calls if any, then the final line with ``done: true`` and the metrics; a rule's
``error_after_chunks`` ends the stream early with an ``{"error": ...}`` line.

Requests are checked in the order Ollama checks them (server/routes.go,
ChatHandler and GenerateHandler): the body's fields as Go decodes them, the model,
an unload (``keep_alive: 0`` and nothing to answer), ``think`` against the
model's capabilities, the other capabilities, the options, a load (nothing to
answer), and ``format`` once the model would start generating.
"""

from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass
from typing import Any

from tutor.fake_ollama import gocheck, gullible, replies
from tutor.fake_ollama.exchange import Call, begin
from tutor.fake_ollama.script import ModelSpec, Rule, normalize_model, prompt_of
from tutor.fake_ollama.transport import HttpError

CHAT = "chat"
GENERATE = "generate"


@dataclass(frozen=True)
class _Request:
    """What a chat or generate request asks for, once Ollama would have accepted it."""

    kind: str
    model: str  # as the request named it
    spec: ModelSpec
    keep_alive: float | None  # seconds, None when unset
    thinks: bool
    tools: bool  # the request offered tools


def chat(call: Call) -> None:
    body = call.body
    _decode(body, "ChatRequest", gocheck.CHAT_FIELDS)
    # Only "model" names the model here: ChatRequest has no "name" field (api/types.go).
    name = body.get("model")
    if not isinstance(name, str) or not name.strip():
        raise HttpError("model is required")  # modelref.ErrModelRequired
    messages = body.get("messages") or []
    request = _accept(call, CHAT, name, unload=not messages)
    if request is None:
        return
    if not messages:  # Ollama answers an empty chat by loading the model
        _load_only(call, request, "load")
        return
    tokens = sum(replies.count_tokens(str(m.get("content") or "")) + 1 for m in messages)
    _respond(call, request, prompt_of(body), tokens)


def generate(call: Call) -> None:
    body = call.body
    _decode(body, "GenerateRequest", gocheck.GENERATE_FIELDS)
    name = body.get("model")
    name = name if isinstance(name, str) else ""
    if not name.strip():  # GenerateHandler's fallback for a bad model reference is a 404
        raise HttpError(f"model '{name}' not found", 404)
    prompt = body.get("prompt") or ""
    request = _accept(call, GENERATE, name, unload=not prompt)
    if request is None:
        return
    if not prompt:  # an empty prompt only loads the model
        _load_only(call, request, "load")
        return
    if body.get("raw") and (body.get("system") or body.get("template") or body.get("context")):
        raise HttpError("raw mode does not support template, system, or context")
    system = body.get("system") or ""
    tokens = replies.count_tokens(prompt) + replies.count_tokens(system)
    _respond(call, request, prompt, tokens)


def _decode(body: dict[str, Any], struct: str, fields: dict[str, str]) -> None:
    """Go's decoding errors: a custom decoder's error ends decoding at once (in the
    body's key order); a field of the wrong type is reported once decoding is over."""
    for key, value in body.items():
        if key == "messages" and isinstance(value, list):
            gocheck.check_messages(value)
        elif key == "think":
            gocheck.think_value(body)
        elif key == "keep_alive":
            gocheck.keep_alive(body)
    gocheck.check_fields(body, struct, fields)


def _accept(call: Call, kind: str, name: str, unload: bool) -> _Request | None:
    """The request, checked as Ollama checks it; None once an unload has been answered."""
    body = call.body
    spec = call.state.script.model(name)
    if spec is None:
        raise HttpError(f"model '{name}' not found", 404)
    keep_alive = gocheck.keep_alive(body)
    think = gocheck.think_value(body)
    request = _Request(kind, name, spec, keep_alive, False, bool(body.get("tools")))
    if unload and keep_alive == 0:
        call.state.unload(spec.name)
        _load_only(call, request, "unload")
        return None
    if "thinking" in spec.capabilities:
        thinks = think is None or gocheck.thinks(think)  # thinking models think by default
    elif gocheck.thinks(think):
        raise HttpError(f"{_go_quoted(name)} does not support thinking")
    else:
        thinks = False
    if "completion" not in spec.capabilities:
        raise HttpError(f"{_go_quoted(name)} does not support {kind}")
    if request.tools and "tools" not in spec.capabilities:
        raise HttpError(f"{_full_name(spec.name)} does not support tools")
    gocheck.check_options(body.get("options"))
    return _Request(kind, name, spec, keep_alive, thinks, request.tools)


def _go_quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # Go's %q, near enough


def _full_name(name: str) -> str:
    """The model's full name as Ollama's errors show it: registry.ollama.ai/library/x:tag."""
    parts = normalize_model(name).split("/")
    if len(parts) == 1:
        parts = ["library", *parts]
    if len(parts) == 2:
        parts = ["registry.ollama.ai", *parts]
    return "/".join(parts)


def _load_only(call: Call, request: _Request, reason: str) -> None:
    """A load or unload: one JSON object, whatever ``stream`` says (Ollama's c.JSON)."""
    if reason == "load":
        call.state.mark_loaded(request.spec, request.keep_alive)
    payload: dict[str, Any] = ({"response": ""} if request.kind == GENERATE
                               else {"message": {"role": "assistant", "content": ""}})
    call.reply.json(200, {"model": request.model, "created_at": replies.timestamp(),
                          **payload, "done": True, "done_reason": reason})


@dataclass(frozen=True)
class _Answer:
    """What a chat or generate call answers, before it is sent."""

    kind: str  # CHAT or GENERATE
    model: str  # as the request named it
    thinking: list[str]  # the thinking's chunks, sent before the text's
    parts: list[str]  # the text's chunks, after the request's options
    done_reason: str
    tool_calls: list[dict[str, Any]] | None
    error_after: int | None  # chunks sent before a mid-stream error
    error_text: str
    summary: dict[str, Any]  # what the final line carries after done_reason

    def content(self, text: str, tool_calls: list[dict[str, Any]] | None = None,
                thinking: str = "") -> dict[str, Any]:
        """The text (and thinking, tool calls) where this kind of call puts them."""
        if self.kind == GENERATE:
            return {"response": text, **({"thinking": thinking} if thinking else {})}
        message: dict[str, Any] = {"role": "assistant", "content": text}
        if thinking:
            message["thinking"] = thinking
        if tool_calls:
            message["tool_calls"] = tool_calls
        return {"message": message}

    def piece(self, text: str, tool_calls: list[dict[str, Any]] | None = None,
              thinking: str = "") -> dict[str, Any]:
        return {"model": self.model, "created_at": replies.timestamp(),
                **self.content(text, tool_calls, thinking), "done": False}

    def final(self, text: str = "", tool_calls: list[dict[str, Any]] | None = None,
              thinking: str = "") -> dict[str, Any]:
        return {"model": self.model, "created_at": replies.timestamp(),
                **self.content(text, tool_calls, thinking), "done": True,
                "done_reason": self.done_reason, **self.summary}


def _tool_calls(request: _Request, rule: Rule) -> list[dict[str, Any]] | None:
    """The rule's calls as Ollama sends them, or None when the request offered no tools.

    Each call gets an ``id`` (``call_`` and 8 random letters or digits: server/routes.go,
    toolCallId) and its position as ``function.index`` (tools/tools.go), unless scripted.
    """
    if not rule.tool_calls or not request.tools or request.kind != CHAT:
        return None
    calls = []
    for index, raw in enumerate(rule.tool_calls):
        function = dict(raw.get("function") or {}) if isinstance(raw, dict) else {}
        function.setdefault("index", index)
        function.setdefault("arguments", {})
        call_id = raw.get("id") if isinstance(raw, dict) else None
        calls.append({"id": call_id or "call_" + "".join(
            random.choices(string.ascii_lowercase + string.digits, k=8)),
            "function": function})
    return calls


def _calls_as_text(rule: Rule) -> str:
    """Without ``tools`` Ollama parses no calls: the model's call stays in the text."""
    lines = []
    for raw in rule.tool_calls or []:
        function = raw.get("function") if isinstance(raw, dict) else None
        function = function if isinstance(function, dict) else {}
        lines.append(json.dumps({"name": function.get("name"),
                                 "arguments": function.get("arguments") or {}},
                                ensure_ascii=False))
    return "\n".join(lines)


def _compose(call: Call, request: _Request, rule: Rule, prompt: str, prompt_tokens: int,
             latency: float) -> _Answer:
    script = call.state.script
    tool_calls = _tool_calls(request, rule)
    text = rule.text()
    if text is None:
        text = "" if tool_calls else (_calls_as_text(rule) or script.default_reply)
    parts, reason = replies.apply_options(text, call.body.get("options"), script.chunk_size)
    thinking = (replies.chunks(rule.thinking, script.chunk_size)
                if request.thinks and rule.thinking else [])
    summary: dict[str, Any] = {}
    if request.kind == GENERATE:
        summary["context"] = replies.context_tokens(prompt + " " + "".join(parts))
    evals = len(thinking) + len(parts) + bool(tool_calls)
    summary.update(replies.metrics(prompt_tokens, evals, latency))
    return _Answer(request.kind, request.model, thinking, parts, rule.done_reason or reason,
                   tool_calls, rule.error_after_chunks, rule.error_text, summary)


def _respond(call: Call, request: _Request, prompt: str, prompt_tokens: int) -> None:
    picked = call.state.pick(request.kind, request.spec.name, prompt)
    rule = picked or (_gullible_rule(call.body) if call.state.script.gullible else Rule())
    delays = begin(call, rule)
    if delays is None:
        return
    # The runner rejects a bad format when it starts generating (llm/llama_server.go).
    gocheck.check_format(call.body)
    answer = _compose(call, request, rule, prompt, prompt_tokens, delays.latency)
    call.state.mark_loaded(request.spec, request.keep_alive)
    if call.body.get("stream", True) is False:
        _send_whole(call, answer)
    else:
        _send_stream(call, answer, delays.chunk_latency)


def _gullible_rule(body: dict[str, Any]) -> Rule:
    """What the gullible model says, as a rule: its text, and its calls as scripted calls."""
    answer = gullible.respond(body)
    return Rule(reply=answer.text, tool_calls=answer.tool_calls or None)


def _send_whole(call: Call, answer: _Answer) -> None:
    if answer.error_after is not None:
        call.reply.error(500, answer.error_text)
        return
    call.reply.json(200, answer.final("".join(answer.parts), answer.tool_calls,
                                      "".join(answer.thinking)))


def _send_stream(call: Call, answer: _Answer, chunk_latency: float) -> None:
    out = call.reply
    out.start_stream()
    pieces = [("", t) for t in answer.thinking] + [(p, "") for p in answer.parts]
    shown = pieces if answer.error_after is None else pieces[:answer.error_after]
    for index, (text, thinking) in enumerate(shown):
        if index and not out.pause(chunk_latency):
            return
        out.line(answer.piece(text, thinking=thinking))
    if answer.error_after is not None:
        out.line({"error": answer.error_text})
        out.end_stream()
        return
    if answer.tool_calls:
        out.line(answer.piece("", answer.tool_calls))
    if pieces and not out.pause(chunk_latency):
        return
    out.line(answer.final())
    out.end_stream()
