"""``/api/chat`` and ``/api/generate``: the scripted reply, whole or streamed as NDJSON.

Both answer the same way and differ in where the text goes: chat in
``message.content`` (with any ``tool_calls`` beside it), generate in ``response``
(and its final line carries ``context``). A streamed reply is one line per
chunk, then a line with the tool calls if any, then the final line with
``done: true`` and the metrics; a rule's ``error_after_chunks`` ends the stream
early with an ``{"error": ...}`` line instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.fake_ollama import replies
from tutor.fake_ollama.exchange import Call, begin, installed_model, rule_for
from tutor.fake_ollama.script import ModelSpec, Rule, prompt_of
from tutor.fake_ollama.transport import HttpError

CHAT = "chat"
GENERATE = "generate"


def chat(call: Call) -> None:
    name, spec = installed_model(call)
    _require_completion(spec, name, CHAT)
    if call.body.get("tools") and "tools" not in spec.capabilities:
        raise HttpError(f"registry.ollama.ai/library/{name} does not support tools")
    messages = call.body.get("messages") or []
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise HttpError("messages must be a list of {role, content} objects")
    if not messages:  # Ollama answers an empty chat by loading the model
        _load_only(call, name, spec, {"message": {"role": "assistant", "content": ""}})
        return
    tokens = sum(replies.count_tokens(str(m.get("content") or "")) + 1 for m in messages)
    _respond(call, CHAT, name, spec, prompt_of(call.body), tokens)


def generate(call: Call) -> None:
    name, spec = installed_model(call)
    _require_completion(spec, name, GENERATE)
    prompt = call.body.get("prompt") or ""
    if not isinstance(prompt, str):
        raise HttpError("prompt must be a string")
    if not prompt:  # an empty prompt only loads the model
        _load_only(call, name, spec, {"response": ""})
        return
    system = call.body.get("system")
    system = system if isinstance(system, str) else ""
    tokens = replies.count_tokens(prompt) + replies.count_tokens(system)
    _respond(call, GENERATE, name, spec, prompt, tokens)


def _require_completion(spec: ModelSpec, name: str, kind: str) -> None:
    if "completion" not in spec.capabilities:
        raise HttpError(f'"{name}" does not support {kind}')


def _load_only(call: Call, name: str, spec: ModelSpec, payload: dict[str, Any]) -> None:
    call.state.mark_loaded(spec)
    final = {"model": name, "created_at": replies.timestamp(), **payload,
             "done_reason": "load", "done": True}
    if call.body.get("stream", True) is False:
        call.reply.json(200, final)
    else:
        call.reply.start_stream()
        call.reply.line(final)
        call.reply.end_stream()


@dataclass(frozen=True)
class _Answer:
    """What a chat or generate call answers, before it is sent."""

    kind: str  # CHAT or GENERATE
    model: str  # as the request named it
    parts: list[str]  # the text's chunks, after the request's options
    done_reason: str
    tool_calls: list[dict[str, Any]] | None
    error_after: int | None  # chunks sent before a mid-stream error
    error_text: str
    summary: dict[str, Any]  # what the final line carries after done_reason

    def content(self, text: str, tool_calls: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The text (and tool calls) where this kind of call puts them."""
        if self.kind == GENERATE:
            return {"response": text}
        message: dict[str, Any] = {"role": "assistant", "content": text}
        if tool_calls:
            message["tool_calls"] = tool_calls
        return {"message": message}

    def piece(self, text: str, tool_calls: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return {"model": self.model, "created_at": replies.timestamp(),
                **self.content(text, tool_calls), "done": False}

    def final(self, text: str = "", tool_calls: list[dict[str, Any]] | None = None,
              ) -> dict[str, Any]:
        return {"model": self.model, "created_at": replies.timestamp(),
                **self.content(text, tool_calls), "done": True,
                "done_reason": self.done_reason, **self.summary}


def _compose(call: Call, kind: str, name: str, rule: Rule, prompt: str, prompt_tokens: int,
             latency: float) -> _Answer:
    script = call.state.script
    tool_calls = rule.tool_calls
    text = rule.text()
    if text is None:
        text = "" if tool_calls else script.default_reply
    parts, reason = replies.apply_options(text, call.body.get("options"), script.chunk_size)
    summary: dict[str, Any] = {}
    if kind == GENERATE:
        summary["context"] = replies.context_tokens(prompt + " " + "".join(parts))
    summary.update(replies.metrics(prompt_tokens, len(parts) + bool(tool_calls), latency))
    return _Answer(kind, name, parts, rule.done_reason or reason, tool_calls,
                   rule.error_after_chunks, rule.error_text, summary)


def _respond(call: Call, kind: str, name: str, spec: ModelSpec, prompt: str,
             prompt_tokens: int) -> None:
    rule = rule_for(call, kind, spec.name, prompt)
    delays = begin(call, rule)
    if delays is None:
        return
    answer = _compose(call, kind, name, rule, prompt, prompt_tokens, delays.latency)
    call.state.mark_loaded(spec)
    if call.body.get("stream", True) is False:
        _send_whole(call, answer)
    else:
        _send_stream(call, answer, delays.chunk_latency)


def _send_whole(call: Call, answer: _Answer) -> None:
    if answer.error_after is not None:
        call.reply.error(500, answer.error_text)
        return
    call.reply.json(200, answer.final("".join(answer.parts), answer.tool_calls))


def _send_stream(call: Call, answer: _Answer, chunk_latency: float) -> None:
    out = call.reply
    out.start_stream()
    shown = answer.parts if answer.error_after is None else answer.parts[:answer.error_after]
    for index, part in enumerate(shown):
        if index and not out.pause(chunk_latency):
            return
        out.line(answer.piece(part))
    if answer.error_after is not None:
        out.line({"error": answer.error_text})
        out.end_stream()
        return
    if answer.tool_calls:
        out.line(answer.piece("", answer.tool_calls))
    if answer.parts and not out.pause(chunk_latency):
        return
    out.line(answer.final())
    out.end_stream()
