"""Ollama's endpoints other than chat and generate: server info, models, embeddings, pull.

Each is a function of one :class:`~tutor.fake_ollama.exchange.Call`; the bodies
they send are built in :mod:`tutor.fake_ollama.replies`.
"""

from __future__ import annotations

from typing import Any

from tutor.fake_ollama import gocheck, replies
from tutor.fake_ollama.exchange import (
    Call,
    begin,
    installed_model,
    requested_name,
    rule_for,
    scheduled_model,
    timing,
)
from tutor.fake_ollama.script import ModelSpec, Rule, normalize_model
from tutor.fake_ollama.transport import JSON, HttpError

# -- the server and its models --------------------------------------------------


def root(call: Call) -> None:
    call.reply.send(200, b"Ollama is running", "text/plain; charset=utf-8")


def version(call: Call) -> None:
    call.reply.json(200, {"version": call.state.script.version})


def tags(call: Call) -> None:
    models = call.state.script.models
    call.reply.json(200, {"models": [replies.tag_entry(m) for m in models]})


def ps(call: Call) -> None:
    loaded = call.state.loaded_models()
    call.reply.json(200, {"models": [replies.ps_entry(m, at) for m, at in loaded]})


def show(call: Call) -> None:
    _name, spec = installed_model(call)
    call.reply.json(200, replies.show(spec))


def delete(call: Call) -> None:
    _name, spec = installed_model(call)
    call.state.uninstall(spec.name)
    call.reply.send(200, b"", JSON)


# -- embeddings -------------------------------------------------------------------


def embed(call: Call) -> None:
    """server/routes.go, EmbedHandler: its checks in its order."""
    body = call.body
    keep_alive = gocheck.keep_alive(body)
    gocheck.check_fields(body, "EmbedRequest", gocheck.EMBED_FIELDS)
    name = body.get("model")
    if not isinstance(name, str) or not name.strip():
        raise HttpError(f"model '{name or ''}' not found", 404)
    inputs = _embed_inputs(body.get("input"))
    name, spec = scheduled_model(call)
    gocheck.check_options(body.get("options"))
    if not inputs:  # an empty input only loads the model
        call.state.mark_loaded(spec, keep_alive)
        call.reply.json(200, {"model": name, "embeddings": []})
        return
    rule = rule_for(call, "embed", spec.name, "\n".join(inputs))
    latency = timing(call, rule).latency
    if not call.reply.pause(latency):
        return
    if rule.http_status or rule.error_after_chunks is not None:
        call.reply.error(rule.http_status or 500, rule.error_text)  # no stream to break
        return
    dim = _dimensions(call)
    call.state.mark_loaded(spec, keep_alive)
    tokens = sum(replies.count_tokens(i) for i in inputs)
    metrics = replies.metrics(tokens, 0, latency)
    call.reply.json(200, {"model": name,
                          "embeddings": [replies.embedding(i, dim) for i in inputs],
                          "total_duration": metrics["total_duration"],
                          "load_duration": metrics["load_duration"],
                          "prompt_eval_count": tokens})


def _embed_inputs(raw: Any) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list) and all(isinstance(i, str) for i in raw):
        return raw
    raise HttpError("invalid input type")  # EmbedHandler's text, word for word


def _dimensions(call: Call) -> int:
    """The vector length asked for, or the script's."""
    dim = call.body.get("dimensions")
    if not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0:
        return call.state.script.embedding_dim
    return dim


def embeddings(call: Call) -> None:  # the legacy endpoint: server/routes.go, EmbeddingsHandler
    body = call.body
    keep_alive = gocheck.keep_alive(body)
    gocheck.check_fields(body, "EmbeddingRequest", {**gocheck.EMBED_FIELDS, "prompt": "string"})
    name = body.get("model")
    if not isinstance(name, str) or not name.strip():
        raise HttpError("model is required")
    _name, spec = scheduled_model(call)
    gocheck.check_options(body.get("options"))
    prompt = body.get("prompt")
    dim = call.state.script.embedding_dim
    vector = replies.embedding(prompt, dim) if isinstance(prompt, str) and prompt else []
    call.state.mark_loaded(spec, keep_alive)
    call.reply.json(200, {"embedding": vector})


# -- pull -----------------------------------------------------------------------------


def pull(call: Call) -> None:
    """Install any model, streaming ``ollama pull``'s progress; rules can make it fail."""
    try:
        wanted = normalize_model(requested_name(call.body))
    except HttpError:  # PullHandler answers a missing name as an invalid one
        raise HttpError("invalid model name") from None
    rule = rule_for(call, "pull", wanted, "")
    delays = begin(call, rule)
    if delays is None:
        return
    spec = call.state.script.model(wanted) or ModelSpec(wanted)
    if call.body.get("stream", True) is False:
        _pull_whole(call, spec, rule)
    else:
        _pull_stream(call, spec, rule, delays.chunk_latency)


def _pull_whole(call: Call, spec: ModelSpec, rule: Rule) -> None:
    if rule.error_after_chunks is not None:
        call.reply.error(500, rule.error_text)
        return
    call.state.install(spec)
    call.reply.json(200, {"status": "success"})


def _pull_stream(call: Call, spec: ModelSpec, rule: Rule, chunk_latency: float) -> None:
    out = call.reply
    out.start_stream()
    for index, status in enumerate(replies.pull_statuses(spec)):
        if rule.error_after_chunks is not None and index >= rule.error_after_chunks:
            out.line({"error": rule.error_text})
            out.end_stream()
            return
        if index and not out.pause(chunk_latency):
            return
        if status["status"] == "success":
            call.state.install(spec)
        out.line(status)
    out.end_stream()
