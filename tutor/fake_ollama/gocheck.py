"""Ollama's request checks, with its error texts word for word (it is written in Go).

Ollama decodes a body with Go's ``encoding/json`` into a typed request
(api/types.go) before any handler logic runs, so a malformed body, a field of the
wrong JSON type, a bad ``think`` or ``keep_alive`` all fail there with Go's own
messages. Options are checked later, when the model is scheduled, and ``format``
only when the model starts generating; each function below says where its facts
come from in github.com/ollama/ollama.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tutor.fake_ollama.transport import HttpError

FOREVER = math.inf  # a negative keep_alive: Go stores math.MaxInt64 nanoseconds
_MAX_NS = 2**63 - 1

# -- the body: Go's json.Decoder as gin's ShouldBindJSON uses it ------------------------

# Python's decoder messages, and the context Go's scanner names for the same fault
# (encoding/json/scanner.go, stateXxx functions).
_SYNTAX = (
    ("Expecting property name enclosed in double quotes",
     "looking for beginning of object key string"),
    ("Expecting ':' delimiter", "after object key"),
    ("Invalid control character", "in string literal"),
    ("Invalid \\escape", "in string escape code"),
    ("Invalid \\uXXXX escape", "in \\u hexadecimal character escape"),
)


def _go_char(ch: str) -> str:
    """Go's quoteChar (encoding/json/scanner.go): 'x', with ' and " special-cased."""
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    quoted = json.dumps(ch, ensure_ascii=False)[1:-1]
    return f"'{quoted}'"


def decode_body(text: str) -> Any:
    """The first JSON value of a body, as Go's json.Decoder reads it; None when empty.

    Like Go's Decoder (and unlike ``json.loads``) anything after the first value is
    ignored. Errors carry Go's text: a truncated body is ``unexpected EOF``, a bad
    character ``invalid character 'x' looking for beginning of value``.
    """
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        return None
    try:
        value, _end = json.JSONDecoder().raw_decode(stripped)
    except json.JSONDecodeError as exc:
        raise HttpError(_syntax_error(exc)) from None
    return value


def _syntax_error(exc: json.JSONDecodeError) -> str:
    if exc.pos >= len(exc.doc.rstrip(" \t\r\n")):
        return "unexpected EOF"
    char = _go_char(exc.doc[exc.pos])
    literal = _bad_literal(exc.doc, exc.pos) if exc.msg.startswith("Expecting value") else None
    if literal:
        return literal
    context = next((go for py, go in _SYNTAX if exc.msg.startswith(py)), None)
    if context is None and exc.msg.startswith("Expecting ',' delimiter"):
        inside = _enclosing(exc.doc, exc.pos)
        context = "after array element" if inside == "[" else "after object key:value pair"
    return f"invalid character {char} {context or 'looking for beginning of value'}"


def _bad_literal(doc: str, pos: int) -> str | None:
    """Go's error inside a misspelt true, false or null (Python only says "Expecting value")."""
    for word in ("true", "false", "null"):
        if doc[pos] != word[0]:
            continue
        for got, want in zip(doc[pos:], word, strict=False):
            if got != want:
                return (f"invalid character {_go_char(got)} in literal {word} "
                        f"(expecting {_go_char(want)})")
        return "unexpected EOF"
    return None


def _enclosing(doc: str, pos: int) -> str:
    """The bracket that encloses ``pos``: '[' or '{' (strings skipped)."""
    stack: list[str] = []
    in_string = escaped = False
    for ch in doc[:pos]:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            stack.append(ch)
        elif ch in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else "{"


def not_an_object(path: str, body: Any) -> str:
    """Go's error for a body that is JSON but not an object (``[]``, ``"x"``, ``5``)."""
    go_type = {"/api/chat": "ChatRequest", "/api/generate": "GenerateRequest",
               "/api/embed": "EmbedRequest", "/api/embeddings": "EmbeddingRequest",
               "/api/pull": "PullRequest", "/api/show": "ShowRequest",
               "/api/delete": "DeleteRequest"}.get(path, "Request")
    return f"json: cannot unmarshal {_json_kind(body)} into Go value of type api.{go_type}"


# -- fields of the wrong JSON type --------------------------------------------------------

def _json_kind(value: Any) -> str:
    """How Go's UnmarshalTypeError names a JSON value: string, number, bool, array, object."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


# JSON kinds each Go type accepts (null is accepted by all: Go leaves the field as is).
_ACCEPTS = {"string": str, "bool": bool, "[]api.Message": list, "api.Tools": list,
            "map[string]interface {}": dict, "[]int": list, "[]api.ImageData": list}

# The fields of api.ChatRequest / api.GenerateRequest the fake reads, and their Go types.
CHAT_FIELDS = {"model": "string", "messages": "[]api.Message", "stream": "bool",
               "options": "map[string]interface {}", "tools": "api.Tools"}
GENERATE_FIELDS = {"model": "string", "prompt": "string", "suffix": "string",
                   "system": "string", "template": "string", "stream": "bool", "raw": "bool",
                   "options": "map[string]interface {}", "context": "[]int",
                   "images": "[]api.ImageData"}
EMBED_FIELDS = {"model": "string", "options": "map[string]interface {}"}


def check_fields(body: dict[str, Any], struct: str, fields: dict[str, str]) -> None:
    """Go's UnmarshalTypeError for the first field whose JSON type its Go type refuses."""
    for name, go_type in fields.items():
        value = body.get(name)
        wanted = _ACCEPTS[go_type]
        if value is None or (isinstance(value, wanted)
                             and (wanted is bool or not isinstance(value, bool))):
            continue
        raise HttpError(f"json: cannot unmarshal {_json_kind(value)} into Go struct field "
                        f"{struct}.{name} of type {go_type}")


def check_messages(messages: list[Any]) -> None:
    """Each message is an object with string fields (api.Message decodes through an Alias)."""
    for message in messages:
        if not isinstance(message, dict):
            raise HttpError(f"json: cannot unmarshal {_json_kind(message)} into Go struct "
                            "field ChatRequest.messages of type api.Alias")
        for key in ("role", "content", "thinking"):
            value = message.get(key)
            if value is not None and not isinstance(value, str):
                raise HttpError(f"json: cannot unmarshal {_json_kind(value)} into Go struct "
                                f"field ChatRequest.messages.{key} of type string")


# -- think: api/types.go, ThinkValue.UnmarshalJSON ---------------------------------------

THINK_LEVELS = ("high", "medium", "low", "max")


def think_value(body: dict[str, Any]) -> bool | str | None:
    """The request's ``think``: None (unset), a bool or a level; else Go's 400."""
    think = body.get("think")
    if think is None or isinstance(think, bool):
        return think
    if isinstance(think, str):
        if think in THINK_LEVELS:
            return think
        raise HttpError(f"invalid think value: {_go_quote(think)} (must be \"high\", "
                        "\"medium\", \"low\", \"max\", true, or false)")
    raise HttpError('think must be a boolean or string ("high", "medium", "low", "max", '
                    "true, or false)")


def thinks(think: bool | str | None) -> bool:
    """ThinkValue.Bool: any level, or true, turns thinking on."""
    return think is True or isinstance(think, str)


# -- keep_alive: api/types.go, Duration.UnmarshalJSON, and Go's time.ParseDuration --------

_UNITS = {"ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000,
          "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_PART: re.Pattern[str] = re.compile(r"(\d*)(?:\.(\d*))?([^\d.]*)")


def _go_quote(text: str) -> str:
    """Go's strconv.Quote, near enough for error messages."""
    return json.dumps(text, ensure_ascii=False)


def _go_type(value: Any) -> str:
    """reflect.TypeOf(v) of a value encoding/json decoded into ``any``."""
    if isinstance(value, list):
        return "[]interface {}"
    return "map[string]interface {}" if isinstance(value, dict) else "bool"


def keep_alive(body: dict[str, Any]) -> float | None:
    """Seconds the model stays loaded after this request: None (unset), FOREVER if negative."""
    value = body.get("keep_alive")
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return FOREVER if value < 0 else float(value)
    if isinstance(value, str):
        ns = parse_duration(value)
        return FOREVER if ns < 0 or ns == _MAX_NS else ns / 1e9
    raise HttpError(f"Unsupported type: '{_go_type(value)}'")


def parse_duration(text: str) -> int:
    """Go's time.ParseDuration, in nanoseconds, raising its error texts as a 400."""
    invalid = HttpError(f"time: invalid duration {_go_quote(text)}")
    rest, sign = text, 1
    if rest[:1] in ("-", "+"):
        sign, rest = (-1 if rest[0] == "-" else 1), rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise invalid
    total = 0.0
    while rest:
        match = _PART.match(rest)  # matches always, perhaps nothing
        if match is None or not (match.group(1) or match.group(2)):
            raise invalid  # Go: the next character must be a digit or '.'
        whole, frac, unit = match.group(1), match.group(2), match.group(3)
        if not unit:
            raise HttpError(f"time: missing unit in duration {_go_quote(text)}")
        if unit not in _UNITS:
            raise HttpError(f"time: unknown unit {_go_quote(unit)} in duration "
                            f"{_go_quote(text)}")
        total += float(f"{whole or 0}.{frac or 0}") * _UNITS[unit]
        rest = rest[match.end():]
    if total > _MAX_NS:
        raise invalid
    return int(sign * total)


# -- options: api/types.go, Options.FromMap (run when the model is scheduled) -------------

_INT = "integer"
_FLOAT = "float32"
_BOOL = "boolean"
OPTION_TYPES = {
    **dict.fromkeys(("num_keep", "seed", "num_predict", "top_k", "repeat_last_n", "num_ctx",
                     "num_batch", "num_gpu", "num_thread", "draft_num_predict", "main_gpu"),
                    _INT),
    **dict.fromkeys(("top_p", "min_p", "typical_p", "temperature", "repeat_penalty",
                     "presence_penalty", "frequency_penalty"), _FLOAT),
    "use_mmap": _BOOL,
    "stop": "array",
}


def check_options(options: dict[str, Any] | None) -> None:
    """FromMap's error for the first option of the wrong type; Ollama answers it with a 500
    (server/routes.go, handleScheduleError's default case). Unknown options are ignored."""
    for key, value in (options or {}).items():
        wanted = OPTION_TYPES.get(key)
        if wanted is None or value is None:
            continue
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = {_INT: number, _FLOAT: number, _BOOL: isinstance(value, bool),
              "array": isinstance(value, list)}[wanted]
        if not ok:
            raise HttpError(f"option {_go_quote(key)} must be of type {wanted}", 500)
        if wanted == "array" and not all(isinstance(s, str) for s in value):
            raise HttpError(f"option {_go_quote(key)} must be of an array of strings", 500)


# -- format: llm/llama_server.go, where the completion request is built -------------------

def check_format(body: dict[str, Any]) -> None:
    """``format`` is absent, "", "json" or a JSON-schema object; else the runner's 500."""
    fmt = body.get("format")
    if fmt is None or fmt in ("", "json") or isinstance(fmt, dict):
        return
    raw = json.dumps(fmt, ensure_ascii=False, separators=(",", ":"))
    raise HttpError(f"invalid format: {_go_quote(raw)}; expected \"json\" or a valid JSON "
                    "Schema object", 500)
