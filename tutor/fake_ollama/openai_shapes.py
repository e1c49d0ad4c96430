"""OpenAI's response bodies, built from the fake's Ollama answers (openai/openai.go).

Field order follows the Go structs, so a body reads like the real one.
"""

from __future__ import annotations

import json
from typing import Any

FINGERPRINT = "fp_ollama"


def error_body(status: int, message: str) -> dict[str, Any]:
    """openai.go, NewError: the type follows the status."""
    kind = {400: "invalid_request_error", 404: "not_found_error"}.get(status, "api_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def usage(obj: dict[str, Any]) -> dict[str, int]:
    """openai.go, ToUsage: prompt and completion tokens from Ollama's counts."""
    prompt = int(obj.get("prompt_eval_count") or 0)
    done = int(obj.get("eval_count") or 0)
    return {"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done}


def tool_calls(calls: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """openai.go, ToToolCalls: arguments become a JSON string."""
    out = []
    for call in calls or []:
        function = call.get("function") or {}
        out.append({"id": call.get("id", ""), "index": function.get("index", 0),
                    "type": "function",
                    "function": {"name": function.get("name", ""),
                                 "arguments": json.dumps(function.get("arguments") or {},
                                                         separators=(",", ":"))}})
    return out


def _reason(done_reason: Any, has_tools: bool) -> str | None:
    reason = str(done_reason or "")
    if reason == "stop" and has_tools:
        reason = "tool_calls"
    return reason or None


def chat_completion(ident: str, obj: dict[str, Any], created: int) -> dict[str, Any]:
    """openai.go, ToChatCompletion."""
    message = obj.get("message") or {}
    calls = tool_calls(message.get("tool_calls"))
    out_message: dict[str, Any] = {"role": message.get("role", "assistant"),
                                   "content": message.get("content", "")}
    if message.get("thinking"):
        out_message["reasoning"] = message["thinking"]
    if calls:
        out_message["tool_calls"] = calls
    return {"id": ident, "object": "chat.completion", "created": created,
            "model": obj.get("model", ""), "system_fingerprint": FINGERPRINT,
            "choices": [{"index": 0, "message": out_message,
                         "finish_reason": _reason(obj.get("done_reason"), bool(calls))}],
            "usage": usage(obj)}


def chat_chunk(ident: str, obj: dict[str, Any], created: int, include_role: bool,
               ) -> dict[str, Any]:
    """openai.go, toChunk: the delta keeps ``content`` even when it is empty."""
    message = obj.get("message") or {}
    delta: dict[str, Any] = {}
    if include_role:
        delta["role"] = "assistant"
    delta["content"] = message.get("content", "")
    if message.get("thinking"):
        delta["reasoning"] = message["thinking"]
    calls = tool_calls(message.get("tool_calls"))
    if calls:
        delta["tool_calls"] = calls
    return {"id": ident, "object": "chat.completion.chunk", "created": created,
            "model": obj.get("model", ""), "system_fingerprint": FINGERPRINT,
            "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}


def finish_chunk(ident: str, obj: dict[str, Any], created: int, tool_call_sent: bool,
                 ) -> dict[str, Any]:
    """openai.go, FinishChunk: an empty delta and the finish reason on a chunk of its own."""
    reason = str(obj.get("done_reason") or "stop")
    if reason == "stop" and tool_call_sent:
        reason = "tool_calls"
    return {"id": ident, "object": "chat.completion.chunk", "created": created,
            "model": obj.get("model", ""), "system_fingerprint": FINGERPRINT,
            "choices": [{"index": 0, "delta": {}, "finish_reason": reason}]}


def completion(ident: str, obj: dict[str, Any], created: int, kind: str,
               chunked: bool = False) -> dict[str, Any]:
    """openai.go, ToCompletion (whole) and ToCompleteChunk (``chunked``)."""
    choice = {"text": obj.get("response", ""), "index": 0,
              "finish_reason": _reason(obj.get("done_reason"), False)}
    if chunked:
        return {"id": ident, "object": kind, "created": created, "choices": [choice],
                "model": obj.get("model", ""), "system_fingerprint": FINGERPRINT}
    return {"id": ident, "object": kind, "created": created, "model": obj.get("model", ""),
            "system_fingerprint": FINGERPRINT, "choices": [choice], "usage": usage(obj)}


def owner(name: str) -> str:
    """types/model, ParseName(...).Namespace: ``library`` unless the name gives one."""
    parts = name.split("/")
    return parts[-2] if len(parts) >= 2 else "library"


def model_entry(name: str, created: int) -> dict[str, Any]:
    """openai.go, ToModel / one entry of ToListCompletion."""
    return {"id": name, "object": "model", "created": created, "owned_by": owner(name)}
