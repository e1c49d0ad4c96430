"""What every Ollama endpoint of the fake works with: the call, its model, scripted delays.

An endpoint is a function of one :class:`Call`. It raises
:class:`~tutor.fake_ollama.transport.HttpError` for Ollama's error answers, and
otherwise answers through ``call.reply``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tutor.fake_ollama.script import ModelSpec, Rule
from tutor.fake_ollama.state import ServerState
from tutor.fake_ollama.transport import HttpError, Responder


@dataclass(frozen=True)
class Call:
    """One request to an Ollama endpoint: its JSON body, the server's state, the reply."""

    body: dict[str, Any]
    state: ServerState
    reply: Responder


Endpoint = Callable[[Call], None]


@dataclass(frozen=True)
class Timing:
    """Seconds before the answer starts, and between streamed chunks."""

    latency: float
    chunk_latency: float


def requested_name(body: dict[str, Any]) -> str:
    """The model the body names; ``name`` is the deprecated spelling of ``model``.

    Only the model-management endpoints still read ``name`` (server/routes.go:
    ShowHandler, DeleteHandler, PullHandler); chat, generate and embed read ``model``.
    """
    name = body.get("model") or body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise HttpError("model is required")
    return name


def installed_model(call: Call) -> tuple[str, ModelSpec]:
    """The model name as sent, and the installed model it names (404 if none)."""
    name = requested_name(call.body)
    spec = call.state.script.model(name)
    if spec is None:
        raise HttpError(f"model '{name}' not found", 404)
    return name, spec


def scheduled_model(call: Call) -> tuple[str, ModelSpec]:
    """The model of an embedding request: Ollama looks it up when scheduling it, and
    its not-found text differs (server/routes.go, handleScheduleError)."""
    name = call.body.get("model")
    name = name if isinstance(name, str) else ""
    spec = call.state.script.model(name) if name.strip() else None
    if spec is None:
        raise HttpError(f"model {json.dumps(name, ensure_ascii=False)} not found, "
                        "try pulling it first", 404)
    return name, spec


def rule_for(call: Call, endpoint: str, model: str, prompt: str) -> Rule:
    """The rule that answers; when none matches, an empty one: the script's reply and delays."""
    return call.state.pick(endpoint, model, prompt) or Rule()


def timing(call: Call, rule: Rule) -> Timing:
    """The rule's delays, or the script's where the rule sets none."""
    script = call.state.script
    latency = rule.latency if rule.latency is not None else script.latency
    chunk = rule.chunk_latency if rule.chunk_latency is not None else script.chunk_latency
    return Timing(latency, chunk)


def begin(call: Call, rule: Rule) -> Timing | None:
    """Wait the scripted latency and send the rule's up-front error, if any.

    Returns the timing, or None when the answer is already complete.
    """
    delays = timing(call, rule)
    if not call.reply.pause(delays.latency):
        return None
    if rule.http_status is not None:
        call.reply.error(rule.http_status, rule.error_text)
        return None
    return delays
