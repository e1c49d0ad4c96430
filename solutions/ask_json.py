"""Reference solution for `ask_json`: structured output from a model, validated, bounded."""

from __future__ import annotations

import json
import math
from typing import Any

import ollama  # noqa: F401  (the client passed in is an ollama.Client; errors are ollama's)

FENCE = "```"


class InvalidModelOutput(ValueError):
    """Every attempt returned something that is not a valid object for the schema."""


# --- given in the starter: strip_fence, _type_ok, validate ------------------------------


def strip_fence(text: str) -> str:
    """The text inside ONE surrounding ```json fence, or the text itself (stripped).

    Only a fence around the whole reply is removed. JSON with prose before or after it
    stays invalid: we do not go looking for an object inside free text.
    """
    text = text.strip()
    if len(text) >= 2 * len(FENCE) and text.startswith(FENCE) and text.endswith(FENCE):
        inner = text[len(FENCE):-len(FENCE)]
        if inner[:4].lower() == "json":  # the optional language tag
            inner = inner[4:]
        return inner.strip()
    return text


def _type_ok(value: Any, expected: str) -> bool:
    if expected == "object":
        return isinstance(value, dict)
    if expected == "array":
        return isinstance(value, list)
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):  # True is an int in Python, never a number in JSON
        return False
    if expected == "integer":
        return isinstance(value, int)
    if expected == "number":
        return isinstance(value, (int, float)) and math.isfinite(value)
    # A schema outside our subset is the caller's bug, not the model's: don't retry it.
    raise TypeError(f"unsupported schema type {expected!r}")


def validate(value: Any, schema: dict[str, Any], where: str = "$") -> None:
    """Check ``value`` against the subset of JSON Schema we support; ValueError if not."""
    expected = schema.get("type")
    if expected is not None and not _type_ok(value, expected):
        raise ValueError(f"{where} should be {expected}, got {type(value).__name__} {value!r:.60}")
    if "enum" in schema and not any(
        value == option and type(value) is type(option) for option in schema["enum"]
    ):
        raise ValueError(f"{where} is {value!r:.60}, not one of {schema['enum']!r}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                raise ValueError(f"{where} is missing the required key {key!r}")
        for key, item in value.items():
            if key in properties:
                validate(item, properties[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                raise ValueError(f"{where} has the unexpected key {key!r:.60}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            validate(item, schema["items"], f"{where}[{index}]")


# --- the exercise ---------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # json.loads keeps the last one; another parser may keep the first.
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")  # json.loads accepts NaN and Infinity


def parse_json(text: str) -> Any:
    """Strict JSON: no NaN/Infinity, no duplicate keys. Raises ValueError."""
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)


def check_reply(text: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The reply as a dict, or ValueError saying what is wrong with it."""
    try:
        value = parse_json(strip_fence(text))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        raise ValueError(f"the reply is not valid JSON ({exc})") from None
    except RecursionError:  # "[[[[...]]]]" nested deeper than the parser allows
        raise ValueError("the reply is nested too deeply to parse") from None
    if not isinstance(value, dict):
        raise ValueError(f"the reply is {type(value).__name__}, not a JSON object")
    validate(value, schema)
    return value


def ask_json(client: Any, model: str, prompt: str, schema: dict[str, Any],
             retries: int = 2) -> dict[str, Any]:
    """Ask ``model`` for a JSON object matching ``schema``; retry invalid replies a few times."""
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be an int >= 0, not {retries!r}")

    messages: list[dict[str, str]] = [{"role": "user", "content": prompt}]
    problem = "no attempt was made"
    for _attempt in range(retries + 1):
        # ollama.ResponseError (e.g. 404 model not found) and connection errors propagate at
        # once: asking again will not install the model or start the server.
        response = client.chat(model=model, messages=messages, format=schema, stream=False,
                               options={"temperature": 0})
        text = response.message.content or ""
        try:
            return check_reply(text, schema)
        except ValueError as exc:
            problem = str(exc)
        # Tell the model what was wrong; at temperature 0 the same request gives the same reply.
        messages = [
            *messages,
            {"role": "assistant", "content": text},
            {"role": "user", "content": f"That reply was not valid: {problem}. Answer again "
                                        "with only a JSON object that matches the schema."},
        ]
    raise InvalidModelOutput(f"no valid reply after {retries + 1} attempt(s): {problem}")
