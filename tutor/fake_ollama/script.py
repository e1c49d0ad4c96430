"""What the fake server knows and says: models, scripted replies, errors and delays.

A script is a mapping (usually YAML). Every key is optional::

    version: "0.17.1"            # what GET /api/version reports
    default_reply: "Hello!"      # the reply when nothing below matches
    chunk_size: null             # characters per streamed chunk; null = word by word
    latency: 0                   # seconds before every response (0 = none)
    chunk_latency: 0             # seconds between streamed chunks
    embedding_dim: 16            # length of the vectors /api/embed returns
    models:                      # replaces the default models (see DEFAULT_MODELS)
      - name: llama3.2:1b
        capabilities: [completion, tools]
    gullible: false              # true: answer what no rule answers by fixed rules
                                 # that obey the context (tutor.fake_ollama.gullible)
    queue:                       # chat/generate answers used once each, in order
      - reply: "first answer"
    rules:                       # then the first matching rule answers
      - match: "capital of France"        # case-insensitive substring of the prompt
        reply: "Paris."
      - regex: "(?i)ignore (all )?previous"
        reply_json: {"refused": true}     # sent as JSON text (structured outputs)
        latency: 3                        # for timeout exercises
      - match: "riddle"                   # a model with the "thinking" capability
        thinking: "Let me think..."       # sends this as message.thinking first
        reply: "A keyboard."
      - match: "crash"
        error: "something went wrong"     # an HTTP error with this body...
        status: 500                       # ...and status (default 500)
      - match: "half"
        reply: "one two three four"
        error_after_chunks: 2             # then a {"error": ...} line, HTTP 200
      - endpoint: pull
        model: "does-not-exist"
        error: "pull model manifest: file does not exist"

The prompt a rule matches on is the last ``user`` message for ``/api/chat``, the
``prompt`` for ``/api/generate`` and the input for ``/api/embed``. A rule without
``endpoint`` applies to chat and generate; ``endpoint`` may name ``chat``,
``generate``, ``embed``, ``pull`` or a list of them. A rule without ``match`` or
``regex`` matches every prompt. ``times: N`` lets a rule answer only N times.

A rule's ``tool_calls`` are sent as calls only when the request offered ``tools``
(as in Ollama, which parses calls out of the model's text only then); otherwise
the rule's ``reply``, or the calls written out as JSON text, is the content.
``thinking`` is sent only by a model whose capabilities include ``thinking`` and
when the request did not say ``think: false``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tutor.errors import TutorError
from tutor.text.suggest import did_you_mean

PROMPT_ENDPOINTS = ("chat", "generate")
ENDPOINTS = ("chat", "generate", "embed", "pull")
DEFAULT_VERSION = "0.17.1"
DEFAULT_REPLY = "This is a scripted reply from the aisec-tutor fake Ollama server."
DEFAULT_ERROR = {
    400: "bad request",
    404: "not found",
    500: "an error was encountered while running the model",
    503: "server busy, please try again.  maximum pending requests exceeded",
}


class ScriptError(TutorError):
    """A fake-server script that cannot be used as written."""


def normalize_model(name: str) -> str:
    """``name:tag`` with the tag defaulting to ``latest``, lowercased like Ollama does."""
    name = name.strip().lower()
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last else f"{name}:latest"


def prompt_of(body: Mapping[str, Any]) -> str:
    """What rules match on: the last user message (chat) or the prompt (generate)."""
    messages = body.get("messages")
    if isinstance(messages, list):
        users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        last = (users or [m for m in messages if isinstance(m, dict)] or [{}])[-1]
        content = last.get("content")
        return content if isinstance(content, str) else ""
    prompt = body.get("prompt")
    return prompt if isinstance(prompt, str) else ""


@dataclass(frozen=True)
class ModelSpec:
    """One installed model as /api/tags, /api/show and /api/ps describe it."""

    name: str
    family: str = "llama"
    parameter_size: str = "1.2B"
    quantization_level: str = "Q8_0"
    size: int = 1_321_098_329
    capabilities: tuple[str, ...] = ("completion",)
    context_length: int = 131072
    template: str = "{{ .Prompt }}"
    system: str = ""
    parameters: str = ""
    license: str = ""
    modified_at: str = "2025-01-01T00:00:00Z"

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.name.encode()).hexdigest()


DEFAULT_MODELS = (
    ModelSpec("llama3.2:1b", capabilities=("completion", "tools"),
              parameters='stop "<|start_header_id|>"\nstop "<|eot_id|>"'),
    ModelSpec("gemma3:1b", family="gemma3", parameter_size="999.89M",
              quantization_level="Q4_K_M", size=815_319_791, context_length=32768),
    ModelSpec("nomic-embed-text:latest", family="nomic-bert", parameter_size="137M",
              quantization_level="F16", size=274_302_450, capabilities=("embedding",),
              context_length=2048),
)


@dataclass
class Rule:
    """One scripted behaviour: when it applies, and what the server does then."""

    match: str | None = None
    regex: str | None = None
    endpoint: tuple[str, ...] = PROMPT_ENDPOINTS
    model: str | None = None
    reply: str | None = None
    reply_json: Any = None
    tool_calls: list[dict[str, Any]] | None = None
    thinking: str | None = None  # sent as message.thinking when the model thinks
    error: str | None = None
    status: int | None = None
    error_after_chunks: int | None = None
    done_reason: str | None = None
    latency: float | None = None
    chunk_latency: float | None = None
    times: int | None = None

    def matches(self, endpoint: str, model: str, prompt: str) -> bool:
        if endpoint not in self.endpoint:
            return False
        if self.model is not None and normalize_model(self.model) != model:
            return False
        if self.match is not None and self.match.lower() not in prompt.lower():
            return False
        return self.regex is None or re.search(self.regex, prompt) is not None

    def text(self) -> str | None:
        if self.reply_json is not None:
            return json.dumps(self.reply_json, ensure_ascii=False)
        return self.reply

    @property
    def http_status(self) -> int | None:
        """The status of an up-front HTTP error, or None when the reply starts normally."""
        if self.error is None and self.status is None:
            return None
        if self.error_after_chunks is not None:
            return None
        return self.status or 500

    @property
    def error_text(self) -> str:
        return self.error or DEFAULT_ERROR.get(self.status or 500, "error")


@dataclass
class Script:
    """Everything the fake server is told to do; see the module docstring."""

    version: str = DEFAULT_VERSION
    default_reply: str = DEFAULT_REPLY
    chunk_size: int | None = None
    latency: float = 0.0
    chunk_latency: float = 0.0
    embedding_dim: int = 16
    models: tuple[ModelSpec, ...] = DEFAULT_MODELS
    rules: list[Rule] = field(default_factory=list)
    queue: list[Rule] = field(default_factory=list)
    # Answer what no rule answers as the gullible model does (tutor.fake_ollama.gullible).
    gullible: bool = False

    def model(self, name: str) -> ModelSpec | None:
        wanted = normalize_model(name)
        return next((m for m in self.models if m.name == wanted), None)


# -- reading a script --------------------------------------------------------

_SCRIPT_KEYS = {f.name for f in fields(Script)}
_RULE_KEYS = {f.name for f in fields(Rule)}
_MODEL_KEYS = {f.name for f in fields(ModelSpec)}


def _unknown(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    for key in data:
        if key not in allowed:
            close = did_you_mean(str(key), allowed)
            hint = (f"did you mean '{close}'?" if close
                    else f"allowed: {', '.join(sorted(allowed))}")
            raise ScriptError(f"{where}: unknown key '{key}' — {hint}")


def _number(value: Any, where: str, minimum: float = 0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ScriptError(f"{where} must be a number >= {minimum:g}, not {value!r}")
    return value


# Each setting's check takes the value and where it is (``script.rules[0].latency``)
# and returns the value to use, or raises ScriptError.
Check = Callable[[Any, str], Any]


def _seconds(value: Any, where: str) -> float:
    return float(_number(value, where))


def _count(value: Any, where: str) -> int:
    return int(_number(value, where))


def _positive(value: Any, where: str) -> int:
    return int(_number(value, where, 1))


def _status(value: Any, where: str) -> int:
    return int(_number(value, where, 400))


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ScriptError(f"{where} must be text, not {value!r}")
    return value


def _endpoints(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, (str, list)) or not all(isinstance(n, str) for n in value):
        raise ScriptError(f"{where} must be an endpoint name or a list of them: "
                          f"{', '.join(ENDPOINTS)} (or 'any')")
    names = (value,) if isinstance(value, str) else tuple(value)
    names = ENDPOINTS if "any" in names else names
    bad = [n for n in names if n not in ENDPOINTS]
    if bad:
        raise ScriptError(f"{where}: {bad[0]!r} is not one of {', '.join(ENDPOINTS)} (or 'any')")
    return names


def _regex(value: Any, where: str) -> Any:
    if not isinstance(value, str):
        raise ScriptError(f"{where} must be a regular expression written as text")
    try:
        re.compile(value)
    except re.error as exc:
        raise ScriptError(f"{where} {value!r} is not a valid regex: {exc}") from None
    return value


def _tool_calls(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ScriptError(f"{where} must be a list of "
                          "{function: {name: ..., arguments: {...}}}")
    return value


# In the order they are checked, so the first problem reported does not depend on key order.
_RULE_CHECKS: tuple[tuple[str, Check], ...] = (
    ("endpoint", _endpoints),
    ("latency", _seconds),
    ("chunk_latency", _seconds),
    ("error_after_chunks", _count),
    ("times", _count),
    ("status", _status),
    ("regex", _regex),
    ("match", _text),
    ("reply", _text),
    ("thinking", _text),
    ("error", _text),
    ("model", _text),
    ("done_reason", _text),
    ("tool_calls", _tool_calls),
)


def _rule(raw: Any, where: str) -> Rule:
    if isinstance(raw, str):  # a bare string in a queue is a reply
        return Rule(reply=raw)
    if not isinstance(raw, Mapping):
        raise ScriptError(f"{where} must be a mapping like {{match: ..., reply: ...}}")
    _unknown(raw, _RULE_KEYS, where)
    data = {key: value for key, value in raw.items() if value is not None}  # None: the default
    for key, check in _RULE_CHECKS:
        if key in data:
            data[key] = check(data[key], f"{where}.{key}")
    return Rule(**data)


def _rules(raw: Any, where: str) -> list[Rule]:
    return [_rule(r, f"{where}[{i}]") for i, r in enumerate(raw or [])]


def _model(raw: Any, where: str) -> ModelSpec:
    if isinstance(raw, str):
        return ModelSpec(normalize_model(raw))
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str):
        raise ScriptError(f"{where} must be a model name or a mapping with 'name'")
    _unknown(raw, _MODEL_KEYS, where)
    data = dict(raw)
    data["name"] = normalize_model(data["name"])
    if "capabilities" in data:
        data["capabilities"] = tuple(data["capabilities"])
    return ModelSpec(**data)


def _models(raw: Any, where: str) -> tuple[ModelSpec, ...]:
    return tuple(_model(m, f"{where}[{i}]") for i, m in enumerate(raw or []))


def _optional_positive(value: Any, where: str) -> int | None:
    return None if value is None else _positive(value, where)


def _as_text(value: Any, where: str) -> str:
    return str(value)


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ScriptError(f"{where} must be true or false, not {value!r}")
    return value


_SCRIPT_CHECKS: tuple[tuple[str, Check], ...] = (
    ("latency", _seconds),
    ("chunk_latency", _seconds),
    ("chunk_size", _optional_positive),
    ("embedding_dim", _positive),
    ("version", _as_text),
    ("default_reply", _as_text),
    ("models", _models),
    ("rules", _rules),
    ("queue", _rules),
    ("gullible", _flag),
)


def parse_script(data: Mapping[str, Any] | None, where: str = "script") -> Script:
    """Build a :class:`Script` from plain data, with messages that name the bad key."""
    if data is None:
        return Script()
    if not isinstance(data, Mapping):
        raise ScriptError(f"{where} must be a mapping of settings, not {type(data).__name__}")
    _unknown(data, _SCRIPT_KEYS, where)
    return Script(**{key: check(data[key], f"{where}.{key}")
                     for key, check in _SCRIPT_CHECKS if key in data})


def load_script(source: Script | Mapping[str, Any] | Path | str | None) -> Script:
    """A script from a :class:`Script`, a mapping, a YAML/JSON file (Path) or YAML text (str)."""
    if source is None or isinstance(source, Script):
        return source or Script()
    if isinstance(source, Mapping):
        return parse_script(source)
    import yaml

    where = "script"
    if isinstance(source, Path):
        where = str(source)
        try:
            source = source.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScriptError(f"cannot read the script {where}: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise ScriptError(f"{where} is not valid YAML: {exc}") from None
    return parse_script(data, where)
