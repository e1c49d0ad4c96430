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

    ask_json(client, model: str, prompt: str, schema: dict, retries: int = 2) -> dict

1. `retries` must be an int >= 0 (not a bool): raise ValueError otherwise, before
   sending anything. You make at most retries + 1 requests.
2. Each attempt calls

       client.chat(model=model, messages=messages, format=schema, stream=False,
                   options={"temperature": 0})

   The first attempt sends messages = [{"role": "user", "content": prompt}]. After an
   invalid reply, keep those messages and add two: {"role": "assistant", "content":
   <the invalid reply>} and {"role": "user", "content": <your note saying what was
   wrong>}. (At temperature 0, sending the same messages again gets the same reply.)
3. The reply text is `response.message.content`. Accept it only if, in this order:
   a. after `.strip()`, if it starts AND ends with ``` it is one fence: drop both
      fences and an optional "json" tag right after the opening one (any case).
      Nothing else is removed: JSON with prose before or after it is invalid. We do
      not go looking for an object inside free text.
   b. it parses as strict JSON: `json.loads` with `parse_constant` that rejects NaN,
      Infinity and -Infinity (json.loads accepts them; JSON does not), and with an
      `object_pairs_hook` that rejects duplicate keys. A reply nested too deeply for
      the parser raises RecursionError: that is an invalid reply too, not a crash.
   c. the result is a dict, and it is valid for the schema (subset below).
4. Return the first valid dict. If every attempt is invalid, raise
   InvalidModelOutput (defined below) whose message describes the LAST problem
   (e.g. "$.severity is missing").
5. Errors from the server are not invalid output: `ollama.ResponseError` (404 "model
   not found", 500...) and connection errors propagate at once, without a retry.
   Asking again will not install the model or start the server; it only hides the
   real problem behind a slower failure.
6. Never use eval(), exec() or ast.literal_eval() on model output.

The schema subset (other keywords, such as "title" or "description", are ignored):

    type        "object" -> dict; "array" -> list; "string" -> str;
                "boolean" -> bool; "integer" -> int but NOT bool;
                "number" -> int or float but NOT bool (and finite)
    properties  for a dict: the schema of each listed key's value (check recursively)
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

If it replies 'Sure! {"severity": "low", "summary": "typo"}' three times, ask_json
sends three requests and raises InvalidModelOutput. If the model is not installed,
it sends one request and ollama.ResponseError (status_code 404) propagates.

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
import math  # noqa: F401  (math.isfinite)
from typing import Any

import ollama  # noqa: F401  (ollama.ResponseError propagates; you do not catch it)


class InvalidModelOutput(ValueError):
    """Every attempt returned something that is not a valid object for the schema."""


def strip_fence(text: str) -> str:
    """The text inside ONE surrounding ```json fence, or the text itself (stripped)."""
    # TODO 1: strip; if it starts and ends with ```, drop them and an optional "json" tag.
    raise NotImplementedError("TODO: implement strip_fence")


def validate(value: Any, schema: dict[str, Any], where: str = "$") -> None:
    """Raise ValueError (saying what and where) if ``value`` does not match ``schema``."""
    # TODO 2: type (mind bool), enum, required, properties (recursively),
    #         additionalProperties: false, items.
    raise NotImplementedError("TODO: implement validate")


def ask_json(client: Any, model: str, prompt: str, schema: dict[str, Any],
             retries: int = 2) -> dict[str, Any]:
    """Ask ``model`` for a JSON object matching ``schema``; retry invalid replies a few times."""
    # TODO 3: check retries; loop at most retries + 1 times calling client.chat(...) exactly
    #         as described; parse strictly (no NaN, no duplicate keys, RecursionError is
    #         invalid); validate; return the first valid dict.
    # TODO 4: after an invalid reply, add the assistant reply and a user note to messages.
    # TODO 5: raise InvalidModelOutput with the last problem when every attempt failed.
    raise NotImplementedError("TODO: implement ask_json")
