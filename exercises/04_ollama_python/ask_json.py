"""Ask a model for JSON, and trust nothing until it has been parsed and validated.

The scenario
------------

A triage tool asks a local model to classify vulnerability reports and gets back an
object like {"severity": "high", "summary": "...", "cve_count": 2}. Ollama can
constrain the reply with a JSON schema (`format=` in `client.chat`), and usually it
works. Usually. A small model may still wrap the JSON in a ```json fence, add
"Sure! Here it is:", put "3" where you wanted 3, invent a severity called "urgent",
or leave a key out. And the text it reads (the report) may be written by an attacker.
Your code decides what counts as an answer.

What to implement
-----------------

Two helpers are GIVEN, complete: `strip_fence(text)` removes one Markdown fence
around the whole reply, and `validate(value, schema)` checks a value against the
small subset of JSON Schema described below. Read them; you will call them. You write
the three functions that decide what counts as an answer, and how often to ask:

    parse_json(text: str) -> Any
    check_reply(text: str, schema: dict) -> dict
    ask_json(client, model: str, prompt: str, schema: dict, retries: int = 2) -> dict

1. `parse_json(text)` is strict JSON: `json.loads` with a `parse_constant` that
   rejects NaN, Infinity and -Infinity (json.loads accepts them; JSON does not), and
   an `object_pairs_hook` that rejects duplicate keys (json.loads keeps the last one;
   another parser may keep the first). Both raise ValueError.
2. `check_reply(text, schema)` returns the reply as a dict or raises ValueError with
   a message that says what is wrong. In this order: `strip_fence(text)`, then
   `parse_json(...)` (a reply nested too deeply for the parser raises RecursionError:
   turn that into a ValueError too, it is an invalid reply, not a crash), then the
   result must be a dict, then `validate(value, schema)`. Nothing else is removed:
   JSON with prose before or after it is invalid. We do not go looking for an object
   inside free text.
3. `ask_json(...)`:
   a. `retries` must be an int >= 0 (not a bool): raise ValueError otherwise, before
      sending anything. You make at most retries + 1 requests.
   b. Each attempt calls

          client.chat(model=model, messages=messages, format=schema, stream=False,
                      options={"temperature": 0})

      The first attempt sends messages = [{"role": "user", "content": prompt}]. After
      an invalid reply, keep those messages and add two: {"role": "assistant",
      "content": <the invalid reply>} and {"role": "user", "content": <your note
      saying what was wrong>}. (At temperature 0, sending the same messages again gets
      the same reply.)
   c. The reply text is `response.message.content`. Return the first reply that
      check_reply accepts. If every attempt is invalid, raise InvalidModelOutput
      (defined below) whose message describes the LAST problem (e.g. "$.severity is
      missing").
   d. Errors from the server are not invalid output: `ollama.ResponseError` (404
      "model not found", 500...) and connection errors propagate at once, without a
      retry. Asking again will not install the model or start the server; it only
      hides the real problem behind a slower failure.
4. Never use eval(), exec() or ast.literal_eval() on model output.

The schema subset `validate` applies (other keywords, such as "title" or
"description", are ignored):

    type        "object" -> dict; "array" -> list; "string" -> str;
                "boolean" -> bool; "integer" -> int but NOT bool;
                "number" -> int or float but NOT bool (and finite)
    properties  for a dict: the schema of each listed key's value (checked recursively)
    required    for a dict: keys that must be present
    additionalProperties: false
                for a dict: keys not in "properties" are invalid
    enum        the value must equal one of the listed values, with the same type
                (True is not 1)
    items       for a list: the schema every element must match

Examples
--------

With a server whose model replies '```json\\n{"severity": "low", "summary": "typo"}\\n```':

>>> schema = {"type": "object", "required": ["severity", "summary"],
...           "properties": {"severity": {"type": "string", "enum": ["low", "high"]},
...                          "summary": {"type": "string"}}}
>>> ask_json(client, "llama3.2:1b", "Classify: 'Typo in README'", schema)
{'severity': 'low', 'summary': 'typo'}
>>> parse_json('{"a": 1, "a": 2}')
Traceback (most recent call last):
    ...
ValueError: duplicate key 'a'

If it replies 'Sure! {"severity": "low", "summary": "typo"}' three times, ask_json
sends three requests and raises InvalidModelOutput. If the model is not installed,
it sends one request and ollama.ResponseError (status_code 404) propagates.

Going further (no check requires these)
---------------------------------------

- Write `validate` yourself from the table above, without looking at the given one:
  the traps are that True is an int in Python, that json.loads("1e999") is infinity,
  and that an enum of [1] must not accept True.
- Add "minLength"/"maxLength" for strings and "minimum"/"maximum" for numbers, with
  messages that name the path ("$.summary is longer than 200 characters").
- Replace `validate` with a Pydantic model (`Model.model_validate_json`), as Ollama's
  structured-output example does, and compare which of the bad replies in this
  exercise each approach accepts.

Why it matters
--------------

OWASP LLM05:2025 Improper Output Handling: model output is untrusted input to your
program, so it is parsed and validated like any other input before anything acts on
it (lesson 7 goes further: a valid path can still point at /etc/passwd). LLM09:2025
Misinformation: a fluent answer can still be wrong, so the format is enforced by code,
not assumed. And the retry budget is bounded: a model that never complies costs you
retries + 1 calls, not an endless loop.
"""

from __future__ import annotations

import json  # noqa: F401  (json.loads with parse_constant and object_pairs_hook)
import math
from typing import Any

import ollama  # noqa: F401  (ollama.ResponseError propagates; you do not catch it)

FENCE = "```"


class InvalidModelOutput(ValueError):
    """Every attempt returned something that is not a valid object for the schema."""


# --- given: use these as they are ---------------------------------------------------------


def strip_fence(text: str) -> str:
    """The text inside ONE surrounding ```json fence, or the text itself (stripped).

    Only a fence around the whole reply is removed, with an optional "json" tag in any
    case. JSON with prose before or after it stays as it is, and so stays invalid.
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
    # A schema outside the subset is the caller's bug, not the model's: don't retry it.
    raise TypeError(f"unsupported schema type {expected!r}")


def validate(value: Any, schema: dict[str, Any], where: str = "$") -> None:
    """Raise ValueError (saying what and where) if ``value`` does not match ``schema``."""
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


# --- your part ---------------------------------------------------------------------------


def parse_json(text: str) -> Any:
    """Strict JSON: no NaN/Infinity, no duplicate keys. Raises ValueError."""
    # TODO 1: json.loads(text, object_pairs_hook=..., parse_constant=...), where the
    #         hook raises ValueError on a repeated key and parse_constant always raises.
    raise NotImplementedError("TODO: implement parse_json")


def check_reply(text: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The reply as a dict, or ValueError saying what is wrong with it."""
    # TODO 2: strip_fence, parse_json (RecursionError is an invalid reply too), a dict,
    #         validate. Every problem becomes a ValueError with a readable message.
    raise NotImplementedError("TODO: implement check_reply")


def ask_json(client: Any, model: str, prompt: str, schema: dict[str, Any],
             retries: int = 2) -> dict[str, Any]:
    """Ask ``model`` for a JSON object matching ``schema``; retry invalid replies a few times."""
    # TODO 3: check retries; loop at most retries + 1 times calling client.chat(...) exactly
    #         as described; return the first reply check_reply accepts.
    # TODO 4: after an invalid reply, add the assistant reply and a user note to messages.
    # TODO 5: raise InvalidModelOutput with the last problem when every attempt failed.
    raise NotImplementedError("TODO: implement ask_json")
