"""Put a budget around every model call: prompt size, output cap, token bucket.

The scenario
------------

Your support assistant calls a local model through Ollama. Anyone who can open a
ticket can make it call the model, and every call costs: GPU time on your own
server, or money on a hosted API. Without limits, one script that sends huge
tickets in a loop slows the assistant down for everybody (denial of service) or
runs up your bill (denial of wallet). OWASP calls this LLM10:2025 Unbounded
Consumption.

You will write `BudgetGuard`, a wrapper that sits between your code and the chat
client and refuses to spend more than you allowed:

1. it refuses prompts that are too long, before they reach the model;
2. it always caps the number of tokens the model may generate (`num_predict`);
3. it keeps a token bucket: every call is paid for with the tokens the model
   reports having used, and when the bucket is empty, calls are refused until it
   has refilled.

The client
----------

`client` is anything with the interface of `ollama.Client`:

    client.chat(model=..., messages=[...], options={...}) -> response

In the checks it is a fake that records its calls and returns a dict shaped like
Ollama's non-streaming chat response:

    {"message": {"role": "assistant", "content": "Hello!"},
     "done": True,
     "prompt_eval_count": 26,   # tokens in the prompt
     "eval_count": 290}         # tokens generated

(the real client returns a `ChatResponse` object; it supports `key in response`
and `response[key]` just like a dict, so code written with those works for both).
Always call the client with keyword arguments: `model=`, `messages=`, `options=`,
and `format=` only when the caller passed a format that is not None.

`clock` is a function without arguments that returns the current time in seconds,
as a float: `time.monotonic` in production, a fake in the checks. Never call
`time.time()`, `time.monotonic()` or `time.sleep()` yourself: the guard refuses,
it never waits.

What to implement
-----------------

Ready to use, below: `BudgetGuard.__init__` (it validates the four limits, which must
be ints greater than 0, and starts with a FULL bucket), `usage()`, `_refuse()` and
`check_messages()`. You write three pieces:

    reported_count(response, key) -> int | None

`response[key]` if it is a believable token count, else None. Believable means
`type(value) is int and value >= 0`: a missing key, None, a negative number, a bool,
a float or a str are all None. Read it with `response[key]` inside
`try`/`except (KeyError, TypeError)`, which works for dicts and for ollama's
`ChatResponse`.

    BudgetGuard._refill(self) -> None

`now = self._clock()`. If `now` is later than `self._last`, add
`(now - self._last) * self._rate_per_second` tokens to `self._available`, but never
let it hold more than `self._burst`. Then `self._last = now`, even when the clock went
backwards (then add nothing, and never remove tokens).

    BudgetGuard.chat(model, messages, options=None, *, format=None) -> response

Steps, in this order:

1. `prompt_chars = check_messages(messages, options)`: raises TypeError for anything
   it cannot measure, and returns the total length of every message's content
   (system prompt and earlier turns included).
2. Prompt size: if `prompt_chars > self._max_prompt_chars`,
   `raise self._refuse(PROMPT_TOO_LONG, "...")`. A total equal to the limit is fine.
3. `self._refill()`.
4. If `self._available <= 0`, `raise self._refuse(RATE_LIMITED, "...")`.
5. Options: make a NEW dict from the caller's options (never change the caller's
   dict) and set "num_predict" in it to `self._max_output_tokens`, unless the caller
   asked for an int between 1 and `self._max_output_tokens`, which you keep. Missing,
   0, negative, too large, bool, float, str: all become the cap. (Ollama documents -1
   as "infinite generation", and 0 does not reliably mean "nothing" either.)
6. Call `self._client.chat(model=model, messages=messages, options=new_options)`,
   adding `format=format` only when format is not None. If the client raises, let
   the exception through: nothing is charged.
7. Charge the bucket: `reported_count(response, "prompt_eval_count")`, or, when that
   is None, `prompt_chars` (one token per character, an estimate on the expensive
   side); plus `reported_count(response, "eval_count")`, or, when None, the
   "num_predict" you sent in step 5 (the model may not generate more). Subtract the
   sum from `self._available` (it may go below zero: that is a debt the refill pays
   back before the next call is allowed), add 1 to `self._calls`, and add the two
   numbers to `self._prompt_tokens` and `self._output_tokens`. A valid count is
   charged as it is, however large.
8. Return the response unchanged (the same object).

`usage()` (ready to use) refills, then returns `{"calls", "refused", "prompt_tokens",
"output_tokens", "total_tokens", "available"}`.

Never call `time.time()`, `time.monotonic()` or `time.sleep()` yourself: the guard
reads the injected clock, and it refuses, it never waits.

Examples
--------

>>> class FakeClient:
...     def chat(self, **kwargs):
...         return {"message": {"role": "assistant", "content": "Hi!"}, "done": True,
...                 "prompt_eval_count": 30, "eval_count": 20}
>>> now = [1000.0]
>>> guard = BudgetGuard(FakeClient(), lambda: now[0], max_prompt_chars=2000,
...                     max_output_tokens=256, tokens_per_minute=600, burst=100)
>>> guard.chat("llama3.2", [{"role": "user", "content": "Hello"}])["message"]["content"]
'Hi!'
>>> usage = guard.usage()
>>> usage["calls"], usage["prompt_tokens"], usage["output_tokens"], usage["available"]
(1, 30, 20, 50.0)
>>> now[0] += 3.0      # 600 tokens a minute is 10 a second: 30 tokens come back
>>> guard.usage()["available"]
80.0
>>> try:
...     guard.chat("llama3.2", [{"role": "user", "content": "x" * 2001}])
... except BudgetExceeded as exc:
...     print(exc.reason)
prompt_too_long

Going further (no check needs these)
------------------------------------

- Threads: this guard keeps its state without a lock, so two calls at the same time
  could both pass step 4. A server that shares one guard between threads needs a
  lock around steps 3-4 and 7, or one guard per worker.
- Reserve the worst case before the call (the prompt's estimate plus num_predict)
  and refund the difference afterwards: the bucket never goes into debt, at the price
  of refusing some calls that would have fitted.
- One bucket per user or API key, kept in shared storage, and an alert when one user
  keeps being refused.

Why it matters
--------------

OWASP LLM10:2025 lists input size limits, rate limiting and quotas, timeouts and
monitoring among its mitigations. A server like Ollama has no notion of users or
quotas: it works through whatever arrives. Its OLLAMA_MAX_QUEUE (512 by default,
then 503) only counts requests waiting for a model to be scheduled; requests for a
model that is already loaded wait without that limit. Per-user budgets are your
application's job, and the numbers the model reports are the only measure of cost
you have, so a missing number must never count as "free".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PROMPT_TOO_LONG = "prompt_too_long"
RATE_LIMITED = "rate_limited"


class BudgetExceeded(Exception):
    """Raised by BudgetGuard.chat() instead of calling the model."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _positive_int(name: str, value: object) -> int:
    # bool is a subclass of int: True would otherwise pass as a limit of 1.
    if type(value) is not int:
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be greater than 0, got {value}")
    return value


def check_messages(messages: Any, options: Any) -> int:
    """Step 1 (ready to use): the prompt's length in characters, over all messages.

    Raises TypeError unless `messages` is a list or tuple of dicts with a str
    "content" each, and `options` is None or a dict: what the guard cannot measure,
    it must not send.
    """
    if not isinstance(messages, (list, tuple)):
        raise TypeError(f"messages must be a list of dicts, not {type(messages).__name__}")
    for message in messages:
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            raise TypeError("every message must be a dict with a str 'content'")
    if options is not None and not isinstance(options, dict):
        raise TypeError(f"options must be a dict or None, not {type(options).__name__}")
    return sum(len(message["content"]) for message in messages)


def reported_count(response: Any, key: str) -> int | None:
    """response[key] if it is a believable token count (an int >= 0, not a bool), else None."""
    # TODO: response[key] in try/except; return it only if type(value) is int and >= 0.
    raise NotImplementedError("TODO: implement reported_count(response, key)")


class BudgetGuard:
    """Wraps a chat client: refuses oversize prompts, caps output, rate-limits tokens."""

    def __init__(
        self,
        client: Any,
        clock: Callable[[], float],
        *,
        max_prompt_chars: int,
        max_output_tokens: int,
        tokens_per_minute: int,
        burst: int,
    ) -> None:
        """Ready to use: validates the limits and starts with a full bucket."""
        if not callable(clock):
            raise TypeError("clock must be a function that returns the time in seconds")
        self._client = client
        self._clock = clock
        self._max_prompt_chars = _positive_int("max_prompt_chars", max_prompt_chars)
        self._max_output_tokens = _positive_int("max_output_tokens", max_output_tokens)
        self._rate_per_second = _positive_int("tokens_per_minute", tokens_per_minute) / 60
        self._burst = _positive_int("burst", burst)
        # A full bucket to start with: a new user may send a burst straight away.
        self._available: float = float(self._burst)
        self._last = clock()
        self._calls = 0
        self._refused = 0
        self._prompt_tokens = 0
        self._output_tokens = 0

    def _refill(self) -> None:
        """Add the tokens earned since self._last (never above burst); then self._last = now."""
        # TODO: the _refill rules in the module docstring.
        raise NotImplementedError("TODO: implement BudgetGuard._refill")

    def _refuse(self, reason: str, message: str) -> BudgetExceeded:
        """Count a refusal and return the exception to raise (ready to use)."""
        self._refused += 1
        return BudgetExceeded(reason, message)

    def chat(
        self,
        model: str,
        messages: list[dict[str, Any]],
        options: dict[str, Any] | None = None,
        *,
        format: str | dict[str, Any] | None = None,  # the parameter name Ollama uses
    ) -> Any:
        """Call the client within budget, or raise BudgetExceeded. Steps 1-8 above."""
        # TODO: 1. prompt_chars = check_messages(messages, options)
        # TODO: 2. refuse a prompt longer than max_prompt_chars (PROMPT_TOO_LONG).
        # TODO: 3-4. refill; refuse when the bucket holds 0 or fewer (RATE_LIMITED).
        # TODO: 5. new options with a capped num_predict.
        # TODO: 6. call the client with keyword arguments.
        # TODO: 7. charge the reported counts, or the estimates when they are None.
        # TODO: 8. return the response.
        raise NotImplementedError("TODO: implement BudgetGuard.chat")

    def usage(self) -> dict[str, int | float]:
        """Totals so far and the tokens in the bucket now (ready to use)."""
        self._refill()
        return {
            "calls": self._calls,
            "refused": self._refused,
            "prompt_tokens": self._prompt_tokens,
            "output_tokens": self._output_tokens,
            "total_tokens": self._prompt_tokens + self._output_tokens,
            "available": self._available,
        }
