"""The OpenAI-compatible ``/v1/`` endpoints, answered by the fake's own Ollama endpoints.

Real Ollama does this with middlewares (middleware/openai.go): the OpenAI request
is rewritten into an Ollama one, the Ollama handler runs, and a wrapping writer
turns each answer it writes into OpenAI's shape (openai/openai.go). Here the
request becomes an Ollama body, the same endpoint function runs, and a
:class:`_Translator` stands in for the responder. So scripted models, rules,
errors and delays apply to ``/v1/`` exactly as to ``/api/``.
"""

from __future__ import annotations

import base64
import json
import random
import struct
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tutor.fake_ollama import endpoints, generation
from tutor.fake_ollama.exchange import Call, Endpoint
from tutor.fake_ollama.openai_shapes import (
    chat_chunk,
    chat_completion,
    completion,
    error_body,
    finish_chunk,
    model_entry,
    usage,
)
from tutor.fake_ollama.transport import JSON, HttpError, Responder

SSE = "text/event-stream"
Shaper = Callable[["_Translator", dict[str, Any]], None]


class _Translator(Responder):
    """A responder that writes OpenAI's shapes for what an Ollama endpoint answers."""

    def __init__(self, inner: Responder, shaper: Shaper, prefix: str,
                 include_usage: bool = False) -> None:
        self.inner = inner
        self.shaper = shaper
        self.id = f"{prefix}-{random.randrange(999)}"  # middleware/openai.go: rand.Intn(999)
        self.include_usage = include_usage
        self.created: int | None = None
        self.first_sent = False
        self.tool_call_sent = False
        self.streaming = False
        self.sent = False
        self.headers = inner.headers

    def send(self, status: int, data: bytes, content_type: str | None) -> None:
        self.inner.send(status, data, content_type)

    def json(self, status: int, obj: Any) -> None:
        if status != 200 or "error" in obj:  # BaseWriter.writeError
            self.error(status, str(obj.get("error", "")))
            return
        self.shaper(self, obj)

    def error(self, status: int, message: str) -> None:
        if self.streaming:  # too late for a status: the stream carries the error
            self.event(error_body(500, message))
            return
        body = json.dumps(error_body(status, message), ensure_ascii=False) + "\n"
        self.inner.send(status, body.encode("utf-8"), "application/json")

    def start_stream(self, content_type: str = SSE) -> None:
        self.streaming = True
        self.inner.start_stream(SSE)

    def line(self, obj: Any) -> None:
        if "error" in obj:
            self.error(500, str(obj["error"]))
            return
        self.shaper(self, obj)

    def event(self, obj: Any) -> None:
        self.inner.chunk(b"data: %s\n\n" % json.dumps(obj, ensure_ascii=False).encode("utf-8"))

    def end_stream(self) -> None:
        self.inner.end_stream()

    def pause(self, seconds: float) -> bool:
        return self.inner.pause(seconds)

    def whole(self, obj: Any) -> None:
        data = json.dumps(obj, ensure_ascii=False) + "\n"  # Go's json.Encoder adds the newline
        self.inner.send(200, data.encode("utf-8"), "application/json")

    def stamp(self) -> int:
        """One ``created`` for every chunk of a stream (ChatWriter pins the first)."""
        if self.created is None:
            self.created = int(time.time())
        return self.created


def _openai_errors(endpoint: Endpoint) -> Endpoint:
    """Send the errors found while translating a request in OpenAI's shape too."""

    def guarded(call: Call) -> None:
        try:
            endpoint(call)
        except HttpError as exc:
            body = json.dumps(error_body(exc.status, str(exc)), ensure_ascii=False) + "\n"
            call.reply.send(exc.status, body.encode("utf-8"), "application/json")

    guarded.__doc__ = endpoint.__doc__
    return guarded


def _bad(message: str) -> HttpError:
    return HttpError(message, 400)


def _options(body: dict[str, Any], strict_stop: bool) -> dict[str, Any]:
    """openai.go, FromChatRequest/FromCompleteRequest: the sampling options Ollama gets."""
    options: dict[str, Any] = {}
    stop = body.get("stop")
    if isinstance(stop, str):
        options["stop"] = [stop]
    elif isinstance(stop, list):
        if strict_stop and not all(isinstance(s, str) for s in stop):
            bad = next(s for s in stop if not isinstance(s, str))
            raise _bad(f"invalid type for 'stop' field: {_go_type(bad)}")
        options["stop"] = [s for s in stop if isinstance(s, str)]
    if body.get("max_tokens") is not None:
        options["num_predict"] = body["max_tokens"]
    options["temperature"] = body.get("temperature", 1.0) if body.get("temperature") is not None \
        else 1.0
    for key in ("seed", "frequency_penalty", "presence_penalty"):
        if body.get(key) is not None:
            options[key] = body[key]
    options["top_p"] = body.get("top_p") or 1.0
    return options


def _go_type(value: Any) -> str:
    return {bool: "bool", int: "float64", float: "float64", dict: "map[string]interface {}",
            list: "[]interface {}"}.get(type(value), "<nil>")


def _messages(raw: Any) -> list[dict[str, Any]]:
    """OpenAI messages as Ollama's: a list of content parts becomes one message per part."""
    out: list[dict[str, Any]] = []
    for msg in raw:
        if not isinstance(msg, dict):
            raise _bad("invalid message format")
        role, content = msg.get("role"), msg.get("content")
        if isinstance(content, str):
            out.append({"role": role, "content": content})
        elif isinstance(content, list):
            for part in content:
                if not isinstance(part, dict) or part.get("type") not in ("text", "image_url"):
                    raise _bad("invalid message format")
                if part["type"] == "text":
                    out.append({"role": role, "content": str(part.get("text", ""))})
                else:
                    out.append({"role": role, "content": "", "images": []})
        elif msg.get("tool_calls") is None:
            raise _bad(f"invalid message content type: {_go_type(content)}")
        else:
            out.append({"role": role, "content": ""})
    return out


# -- /v1/chat/completions -------------------------------------------------------------


@_openai_errors
def chat_completions(call: Call) -> None:
    body = call.body
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _bad("[] is too short - 'messages'")
    request: dict[str, Any] = {"model": body.get("model", ""), "messages": _messages(messages),
                               "options": _options(body, strict_stop=False),
                               "stream": body.get("stream") is True}
    fmt = body.get("response_format")
    if isinstance(fmt, dict):
        kind = str(fmt.get("type", "")).strip().lower()
        if kind == "json_object":
            request["format"] = "json"
        elif kind == "json_schema" and isinstance(fmt.get("json_schema"), dict):
            request["format"] = fmt["json_schema"].get("schema")
    if body.get("tools"):
        request["tools"] = body["tools"]
    translator = _Translator(call.reply, _chat_shape, "chatcmpl", _include_usage(body))
    _run(generation.chat, call, request, translator)


def _include_usage(body: dict[str, Any]) -> bool:
    opts = body.get("stream_options")
    return isinstance(opts, dict) and opts.get("include_usage") is True


def _run(endpoint: Endpoint, call: Call, request: dict[str, Any], reply: _Translator) -> None:
    try:
        endpoint(Call(request, call.state, reply))
    except HttpError as exc:
        reply.error(exc.status, str(exc))


def _chat_shape(out: _Translator, obj: dict[str, Any]) -> None:
    if not out.streaming:
        out.whole(chat_completion(out.id, obj, int(time.time())))
        return
    message = obj.get("message") or {}
    trailer = (obj.get("done") and out.first_sent and not message.get("content")
               and not message.get("tool_calls"))
    if not trailer:  # ChatWriter skips the metrics-only last line once a chunk is out
        out.event(chat_chunk(out.id, obj, out.stamp(), include_role=not out.first_sent))
        out.tool_call_sent = out.tool_call_sent or bool(message.get("tool_calls"))
        out.first_sent = True
    if obj.get("done"):
        finish = finish_chunk(out.id, obj, out.stamp(), out.tool_call_sent)
        out.event(finish)
        if out.include_usage:
            out.event({**finish, "choices": [], "usage": usage(obj)})
        out.inner.chunk(b"data: [DONE]\n\n")


# -- /v1/completions --------------------------------------------------------------------


@_openai_errors
def completions(call: Call) -> None:
    body = call.body
    prompt = body.get("prompt", "")
    if not isinstance(prompt, str):
        raise _bad("json: cannot unmarshal array into Go struct field "
                   "CompletionRequest.prompt of type string")
    request = {"model": body.get("model", ""), "prompt": prompt,
               "options": _options(body, strict_stop=True), "stream": body.get("stream") is True}
    translator = _Translator(call.reply, _completion_shape, "cmpl", _include_usage(body))
    _run(generation.generate, call, request, translator)


def _completion_shape(out: _Translator, obj: dict[str, Any]) -> None:
    if not out.streaming:
        out.whole(completion(out.id, obj, int(time.time()), "text_completion"))
        return
    chunk = completion(out.id, obj, int(time.time()), "text_completion", chunked=True)
    if out.include_usage:  # CompleteWriter: a zero usage on every chunk, then the real one
        chunk["usage"] = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    out.event(chunk)
    if obj.get("done"):
        if out.include_usage:
            out.event({**chunk, "choices": [], "usage": usage(obj)})
        out.inner.chunk(b"data: [DONE]\n\n")


# -- /v1/embeddings ----------------------------------------------------------------------


@_openai_errors
def embeddings(call: Call) -> None:
    body = call.body
    encoding = body.get("encoding_format") or ""
    if encoding and str(encoding).lower() not in ("float", "base64"):
        raise _bad(f"Invalid value for 'encoding_format' = {encoding}. "
                   "Supported values: ['float', 'base64'].")
    raw = body.get("input")
    raw = [""] if raw == "" else raw
    if raw is None or raw == []:
        raise _bad("invalid input")
    request: dict[str, Any] = {"model": body.get("model", ""), "input": raw}
    if body.get("dimensions"):
        request["dimensions"] = body["dimensions"]
    model = str(body.get("model", ""))

    def shape(out: _Translator, obj: dict[str, Any]) -> None:
        vectors = obj.get("embeddings") or []
        data = [{"object": "embedding", "index": i,
                 "embedding": _b64(v) if str(encoding).lower() == "base64" else v}
                for i, v in enumerate(vectors)]
        tokens = int(obj.get("prompt_eval_count") or 0)
        out.whole({"object": "list", "data": data, "model": model,
                   "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    _run(endpoints.embed, call, request, _Translator(call.reply, shape, "embd"))


def _b64(vector: list[float]) -> str:
    """openai.go, floatsToBase64: little-endian float32s."""
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


# -- /v1/models ------------------------------------------------------------------------


def list_models(call: Call) -> None:
    """openai.go, ToListCompletion; an empty list is ``"data": null`` (a nil Go slice)."""
    models = call.state.script.models
    data = [model_entry(m.name, _unix(m.modified_at)) for m in models] or None
    call.reply.send(200, (json.dumps({"object": "list", "data": data}) + "\n").encode(), JSON)


def retrieve_model(name: str) -> Endpoint:
    """openai.go, ToModel, for the model named in the path; 404 in OpenAI's error shape."""

    def retrieve(call: Call) -> None:
        spec = call.state.script.model(name) if name else None
        if spec is None:
            message = f"model '{name}' not found" if name else "model is required"
            status = 404 if name else 400
            data = json.dumps(error_body(status, message)) + "\n"
            call.reply.send(status, data.encode(), "application/json")
            return
        entry = model_entry(name, _unix(spec.modified_at))
        call.reply.send(200, (json.dumps(entry) + "\n").encode(), "application/json")

    return retrieve


def _unix(stamp: str) -> int:
    try:
        return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return 0
